import { type ChildProcess, spawn } from "node:child_process";

/**
 * Child processes for the ACME end-to-end tests. Every child gets an explicit, minimal environment:
 * nothing is inherited but PATH, so no proxy variable, CA bundle or resolver setting of the machine
 * reaches pebble, lego, certbot or the API.
 */
export type ChildEnv = Record<string, string>;

export function baseEnv(extra: ChildEnv = {}): ChildEnv {
  return { PATH: process.env.PATH ?? "/usr/sbin:/usr/bin:/sbin:/bin", LANG: "C.UTF-8", ...extra };
}

export interface LongRunning {
  child: ChildProcess;
  output(): string;
  /** Resolves once `pattern` appears in the output; rejects if the process exits first or time runs out. */
  waitForOutput(pattern: RegExp, what: string, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export function startProcess(command: string, args: string[], env: ChildEnv, cwd?: string): LongRunning {
  const child = spawn(command, args, { env, cwd, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const listeners = new Set<() => void>();
  const append = (chunk: Buffer) => {
    output += String(chunk);
    for (const listener of listeners) listener();
  };
  child.stdout?.on("data", append);
  child.stderr?.on("data", append);
  child.on("error", (error) => {
    output += `\n[spawn error] ${error.message}\n`;
    for (const listener of listeners) listener();
  });
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  return {
    child,
    output: () => output,
    waitForOutput(pattern, what, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const done = (error?: Error) => {
          clearTimeout(timer);
          listeners.delete(check);
          child.off("exit", onExit);
          if (error) reject(error);
          else resolve();
        };
        const check = () => {
          if (pattern.test(output)) done();
        };
        const onExit = () => {
          if (!pattern.test(output))
            done(
              new Error(
                `${what} exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${output}`,
              ),
            );
        };
        const timer = setTimeout(
          () => done(new Error(`timed out after ${timeoutMs} ms waiting for ${what}:\n${output}`)),
          timeoutMs,
        );
        listeners.add(check);
        child.on("exit", onExit);
        check();
        if (exited()) onExit();
      });
    },
    stop: () =>
      new Promise((resolve) => {
        if (exited() || child.pid === undefined) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        setTimeout(() => {
          if (!exited()) child.kill("SIGKILL");
        }, 5000).unref();
      }),
  };
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs a command to completion (killing it after `timeoutMs`), never throwing on a non-zero exit. */
export function run(
  command: string,
  args: string[],
  options: { env?: ChildEnv; timeoutMs?: number; input?: string; cwd?: string } = {},
): Promise<RunResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      env: options.env ?? baseEnv(),
      cwd: options.cwd,
      stdio: [options.input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (chunk) => {
      stdout += String(chunk);
    });
    child.stderr?.on("data", (chunk) => {
      stderr += String(chunk);
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
    const timer = setTimeout(() => {
      stderr += `\n[killed after ${options.timeoutMs} ms]\n`;
      child.kill("SIGKILL");
    }, options.timeoutMs ?? 60_000);
    child.on("error", (error) => {
      stderr += `\n[spawn error] ${error.message}\n`;
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** Like `run`, but throws with the whole output unless the command exits 0. */
export async function runOk(
  command: string,
  args: string[],
  options: Parameters<typeof run>[2] = {},
): Promise<RunResult> {
  const result = await run(command, args, options);
  if (result.code !== 0) {
    throw new Error(
      `${command} ${args.join(" ")} exited ${result.code ?? result.signal}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`,
    );
  }
  return result;
}
