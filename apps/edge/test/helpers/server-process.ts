/**
 * Starts fixtures/dns-server-process.mjs: the DNS server alone in its own process (built code,
 * run `pnpm build` first), so a test's own clients do not share its event loop.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { SnapshotContent } from "@dnscove/db";
import type { RrlOptions } from "../../src/server/response-rate-limit.js";
import type { TcpLimits } from "../../src/server/tcp-front.js";

const fixture = fileURLToPath(new URL("../fixtures/dns-server-process.mjs", import.meta.url));

export interface ServerProcess {
  port: number;
  pid: number;
  output(): string;
  /** The process's resident set size from /proc/<pid>/status, in kB. */
  rssKb(): number;
  stop(): Promise<void>;
}

export async function startServerProcess(
  zone: SnapshotContent,
  options: { tcp?: Partial<TcpLimits>; rrl?: Partial<RrlOptions> & { rate: number } } = {},
): Promise<ServerProcess> {
  const dir = mkdtempSync(join(tmpdir(), "edge-server-process-"));
  const zoneFile = join(dir, "zone.json");
  writeFileSync(zoneFile, JSON.stringify(zone));
  const child: ChildProcess = spawn(process.execPath, [fixture, JSON.stringify({ zoneFile, ...options })], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (c) => {
    output += String(c);
  });
  child.stderr?.on("data", (c) => {
    output += String(c);
  });
  const t0 = Date.now();
  while (!/"port":\d+/.test(output)) {
    if (Date.now() - t0 > 30_000 || child.exitCode !== null) {
      child.kill("SIGKILL");
      throw new Error(`the DNS server process did not start (run pnpm build first): ${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const pid = child.pid as number;
  return {
    port: Number(/"port":(\d+)/.exec(output)?.[1]),
    pid,
    output: () => output,
    rssKb() {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
      if (!m) throw new Error("no VmRSS");
      return Number(m[1]);
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        const t = setTimeout(() => child.kill("SIGKILL"), 5000);
        await exited;
        clearTimeout(t);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
