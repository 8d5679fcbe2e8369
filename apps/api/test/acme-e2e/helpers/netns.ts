import { randomBytes } from "node:crypto";
import { mkdirSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { type ChildEnv, type LongRunning, type RunResult, run, runOk, startProcess } from "./processes.js";

/**
 * A network namespace of our own with only `lo` up: pebble, lego, certbot and the API run inside
 * it, so none of them can reach the machine's (off-loopback) resolver or anything else. Its
 * resolv.conf (bind-mounted by `ip netns exec` from /etc/netns/<name>/) points at 127.0.0.1, where
 * the API's embedded edge answers on port 53.
 */
export interface Netns {
  name: string;
  /** Starts a long-running command inside the namespace. */
  start(command: string, args: string[], env: ChildEnv): LongRunning;
  /** Runs a command inside the namespace to completion. */
  run(command: string, args: string[], options?: Parameters<typeof run>[2]): Promise<RunResult>;
  destroy(): Promise<void>;
}

const ETC_NETNS = "/etc/netns";

export async function createNetns(label: string): Promise<Netns> {
  const name = `dnscove-${label}-${process.pid}-${randomBytes(2).toString("hex")}`.slice(0, 48);
  await runOk("ip", ["netns", "add", name]);
  const etc = path.join(ETC_NETNS, name);
  try {
    await runOk("ip", ["netns", "exec", name, "ip", "link", "set", "lo", "up"]);
    mkdirSync(etc, { recursive: true });
    writeFileSync(path.join(etc, "resolv.conf"), "nameserver 127.0.0.1\noptions timeout:1 attempts:1\n");
    // Only loopback: a route to anywhere else must not exist.
    const routes = await runOk("ip", ["netns", "exec", name, "ip", "-4", "route", "show"]);
    if (routes.stdout.trim() !== "")
      throw new Error(`netns ${name} unexpectedly has routes:\n${routes.stdout}`);
  } catch (error) {
    await run("ip", ["netns", "del", name]);
    rmSync(etc, { recursive: true, force: true });
    throw error;
  }
  const wrap = (command: string, args: string[]) => ["netns", "exec", name, command, ...args];
  return {
    name,
    start: (command, args, env) => startProcess("ip", wrap(command, args), env),
    run: (command, args, options) => run("ip", wrap(command, args), options),
    async destroy() {
      await run("ip", ["netns", "del", name]);
      rmSync(etc, { recursive: true, force: true });
      try {
        rmdirSync(ETC_NETNS); // only if no other namespace still uses it
      } catch {
        // not empty, or already gone
      }
    },
  };
}
