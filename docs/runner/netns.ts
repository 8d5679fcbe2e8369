import { execFile } from "node:child_process";
import { mkdirSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";

const exec = promisify(execFile);
const ETC_NETNS = "/etc/netns";

/**
 * A network namespace with only `lo` up, so a guide's fixed ports (8080, 5353, pebble's 14000) are
 * free whatever else runs on the machine, and nothing it starts can reach beyond loopback. Its
 * resolv.conf (bind-mounted by `ip netns exec` from /etc/netns/<name>/) points at 127.0.0.1.
 */
export async function createNetns(name: string): Promise<void> {
  await exec("ip", ["netns", "add", name]);
  try {
    await exec("ip", ["netns", "exec", name, "ip", "link", "set", "lo", "up"]);
    mkdirSync(path.join(ETC_NETNS, name), { recursive: true });
    writeFileSync(
      path.join(ETC_NETNS, name, "resolv.conf"),
      "nameserver 127.0.0.1\noptions timeout:1 attempts:1\n",
    );
    const { stdout } = await exec("ip", ["netns", "exec", name, "ip", "-4", "route", "show"]);
    if (stdout.trim() !== "") throw new Error(`netns ${name} unexpectedly has routes:\n${stdout}`);
  } catch (error) {
    await destroyNetns(name);
    throw error;
  }
}

async function pidsIn(name: string): Promise<number[]> {
  try {
    const { stdout } = await exec("ip", ["netns", "pids", name]);
    return stdout.split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function signal(pids: number[], sig: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, sig);
    } catch {
      // already gone
    }
  }
}

/**
 * Ends every process the guide left running in the namespace (SIGTERM, then SIGKILL after 5 s;
 * only processes inside this namespace, which the guide started), then removes it.
 */
export async function destroyNetns(name: string): Promise<void> {
  signal(await pidsIn(name), "SIGTERM");
  const deadline = Date.now() + 5_000;
  while ((await pidsIn(name)).length > 0 && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 200));
  signal(await pidsIn(name), "SIGKILL");
  while ((await pidsIn(name)).length > 0 && Date.now() < deadline + 5_000)
    await new Promise((resolve) => setTimeout(resolve, 200));
  await exec("ip", ["netns", "del", name]).catch(() => undefined);
  rmSync(path.join(ETC_NETNS, name), { recursive: true, force: true });
  try {
    rmdirSync(ETC_NETNS); // only when no other namespace still uses it
  } catch {
    // not empty, or already gone
  }
}
