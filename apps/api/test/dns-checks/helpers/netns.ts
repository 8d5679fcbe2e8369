/**
 * A private network namespace (only `lo`, no routes) and the processes started inside it. Every
 * DNS packet of these tests stays on that namespace's loopback; nothing can reach the machine's
 * resolver or anything off-loopback.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { accessSync, constants, createWriteStream } from "node:fs";
import path from "node:path";

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion (SIGKILL after `timeoutMs`); never throws on a non-zero exit. */
export function run(command: string, args: string[], timeoutMs = 30_000): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      env: { PATH: process.env.PATH ?? "/usr/sbin:/usr/bin:/sbin:/bin", LANG: "C.UTF-8" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c) => {
      stdout += String(c);
    });
    child.stderr.on("data", (c) => {
      stderr += String(c);
    });
    const timer = setTimeout(() => {
      stderr += `\n[killed after ${timeoutMs} ms]`;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.on("error", (e) => {
      stderr += `\n[spawn error] ${e.message}`;
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export async function runOk(command: string, args: string[], timeoutMs?: number): Promise<RunResult> {
  const r = await run(command, args, timeoutMs);
  if (r.code !== 0) {
    throw new Error(
      `${command} ${args.join(" ")} exited ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`,
    );
  }
  return r;
}

function which(tool: string): string | undefined {
  for (const dir of (process.env.PATH ?? "/usr/sbin:/usr/bin:/sbin:/bin")
    .split(":")
    .concat(["/usr/sbin", "/sbin"])) {
    const candidate = path.join(dir, tool);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Fails loudly (never skips) when a peer is missing or we are not root. */
export function requireTools(tools: readonly string[]): void {
  const missing = tools.filter((t) => which(t) === undefined);
  if (missing.length > 0) {
    throw new Error(
      `dns-checks tests need ${missing.join(", ")} on PATH; run /work/main/scripts/install-test-peers.sh ` +
        "(Debian packages knot, knot-dnsutils, nsd, unbound, bind9-dnsutils, iproute2). These tests never skip.",
    );
  }
  if (process.getuid?.() !== 0) {
    throw new Error("dns-checks tests create a network namespace (ip netns add) and must run as root.");
  }
}

export interface Daemon {
  name: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

export interface Netns {
  name: string;
  /** Starts a long-running command inside the namespace; output goes to `logFile`. */
  start(name: string, command: string, args: string[], logFile: string): Daemon;
  run(command: string, args: string[], timeoutMs?: number): Promise<RunResult>;
  destroy(): Promise<void>;
}

export async function createNetns(label: string): Promise<Netns> {
  const name = `dnsc-${label}-${process.pid}-${randomBytes(2).toString("hex")}`.slice(0, 40);
  await runOk("ip", ["netns", "add", name]);
  const daemons: Daemon[] = [];
  const destroy = async () => {
    await Promise.all(daemons.map((d) => d.stop()));
    await run("ip", ["netns", "del", name]);
  };
  try {
    await runOk("ip", ["netns", "exec", name, "ip", "link", "set", "lo", "up"]);
    const routes = await runOk("ip", ["netns", "exec", name, "ip", "-4", "route", "show"]);
    if (routes.stdout.trim() !== "")
      throw new Error(`netns ${name} unexpectedly has routes:\n${routes.stdout}`);
  } catch (error) {
    await destroy();
    throw error;
  }
  return {
    name,
    start(daemonName, command, args, logFile) {
      const log = createWriteStream(logFile, { flags: "a" });
      // `ip netns exec` execs the command, so the child's pid is the daemon's own.
      const child = spawn("ip", ["netns", "exec", name, command, ...args], {
        env: { PATH: process.env.PATH ?? "/usr/sbin:/usr/bin:/sbin:/bin", LANG: "C.UTF-8" },
        stdio: ["ignore", "pipe", "pipe"],
      });
      child.stdout?.pipe(log);
      child.stderr?.pipe(log);
      const exited = () => child.exitCode !== null || child.signalCode !== null;
      const daemon: Daemon = {
        name: daemonName,
        child,
        stop: () =>
          new Promise((resolve) => {
            if (exited() || child.pid === undefined) return resolve();
            child.once("exit", () => resolve());
            child.kill("SIGTERM");
            setTimeout(() => {
              if (!exited()) child.kill("SIGKILL");
            }, 3000).unref();
          }),
      };
      daemons.push(daemon);
      return daemon;
    },
    run: (command, args, timeoutMs) => run("ip", ["netns", "exec", name, command, ...args], timeoutMs),
    destroy,
  };
}
