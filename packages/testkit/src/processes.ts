import { type ChildProcess, execFile, spawn } from "node:child_process";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

export interface RunningProcess {
  child: ChildProcess;
  output: () => string;
  stop(): Promise<void>;
}

/**
 * Children still running when this process exits (a test whose hook timed out never reached its
 * stop()): killed then, so no API or peer outlives the test run holding ports and files.
 */
const running = new Set<ChildProcess>();
let reaperInstalled = false;
function killOnExit(child: ChildProcess): void {
  running.add(child);
  child.once("exit", () => running.delete(child));
  if (reaperInstalled) return;
  reaperInstalled = true;
  process.once("exit", () => {
    for (const leftover of running) leftover.kill("SIGKILL");
  });
}

/** Starts a Node.js entry point with the given environment, keeping its output for diagnostics. */
export function startNodeProcess(entry: string, env: Record<string, string>): RunningProcess {
  return startProcess(process.execPath, [entry], env);
}

/**
 * Starts a long-running command with only PATH inherited besides `env` (no proxy, CA bundle or
 * resolver setting of the machine leaks in), keeping its output for diagnostics.
 */
export function startProcess(command: string, args: string[], env: Record<string, string>): RunningProcess {
  const child = spawn(command, args, {
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  killOnExit(child);
  let output = "";
  child.stdout?.on("data", (chunk) => {
    output += String(chunk);
  });
  child.stderr?.on("data", (chunk) => {
    output += String(chunk);
  });
  // Without a listener a command that cannot start (ENOENT) would crash the test process.
  child.on("error", (error) => {
    output += `\n[spawn error] ${error.message}\n`;
  });
  return {
    child,
    output: () => output,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 5000).unref();
      }),
  };
}

/** Polls `check` until it returns true or `timeoutMs` passes; fails with `what` otherwise. */
export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // not ready yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Debian's dig against a server of ours on loopback; never the machine's resolver. */
export async function dig(port: number, name: string, type: string, ...flags: string[]): Promise<string> {
  const { stdout } = await execFileAsync("dig", [
    "@127.0.0.1",
    "-p",
    String(port),
    name,
    type,
    "+norec",
    "+time=2",
    "+tries=1",
    ...flags,
  ]);
  return stdout;
}

/** The rcode dig printed ("NOERROR", "NXDOMAIN", "REFUSED", …). */
export function digStatus(output: string): string {
  return /status: (\w+)/.exec(output)?.[1] ?? "NO ANSWER";
}
