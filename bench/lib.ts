import { createSocket } from "node:dgram";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type ApiProcess, startApiProcess } from "@dnscove/testkit";
import dnsPacket from "dns-packet";

/** This checkout's API, or BENCH_API_MAIN (another build, e.g. the code before a change). */
export const apiMain =
  process.env.BENCH_API_MAIN ?? fileURLToPath(new URL("../apps/api/dist/src/main.js", import.meta.url));

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/**
 * CPU time (user + system, ms) the process `pid` has used so far, from /proc/<pid>/stat: its own
 * threads only, not its children (the embedded edge workers). On a shared machine this moves far
 * less with other people's load than requests per second does.
 */
export function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the parenthesised command name; utime and stime are fields 14 and 15 (proc(5)).
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / CLOCK_TICKS_PER_SECOND;
}

/** USER_HZ: 100 on every Linux architecture Node supports (proc(5), sysconf(_SC_CLK_TCK)). */
const CLOCK_TICKS_PER_SECOND = 100;

/**
 * Starts the real API process (embedded edge unless told otherwise) from this process's
 * environment plus `env`, with no test tuning, and waits for /api/health.
 */
export function startBenchApi(env: Record<string, string>): Promise<ApiProcess> {
  // BENCH_API_NODE_OPTIONS reaches the API process only (not this load generator), e.g.
  // `--cpu-prof --cpu-prof-dir=/tmp/prof` for bench/summarise-cpu-profile.ts.
  const nodeOptions = process.env.BENCH_API_NODE_OPTIONS;
  return startApiProcess(apiMain, nodeOptions ? { ...env, NODE_OPTIONS: nodeOptions } : env, {
    inheritEnv: true,
  });
}

export async function post(url: string, body: unknown, token?: string): Promise<Record<string, unknown>> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = (await response.json()) as Record<string, unknown>;
  if (!response.ok) throw new Error(`${url}: ${response.status} ${JSON.stringify(json).slice(0, 300)}`);
  return json;
}

/** One SOA query over UDP to 127.0.0.1:port; the serial, or null. */
export function soaSerial(port: number, origin: string, timeoutMs = 500): Promise<number | null> {
  return new Promise((resolve) => {
    const socket = createSocket("udp4");
    const id = Math.floor(Math.random() * 0xffff);
    const timer = setTimeout(() => finish(null), timeoutMs);
    const finish = (serial: number | null) => {
      clearTimeout(timer);
      socket.close();
      resolve(serial);
    };
    socket.on("message", (message) => {
      const answer = dnsPacket.decode(message);
      if (answer.id !== id) return;
      const soa = answer.answers?.find((record) => record.type === "SOA");
      finish(soa?.type === "SOA" ? (soa.data.serial ?? null) : null);
    });
    socket.send(
      dnsPacket.encode({
        type: "query",
        id,
        flags: 0,
        questions: [{ type: "SOA", class: "IN", name: origin }],
      }),
      port,
      "127.0.0.1",
    );
  });
}

/** TXT strings at `name` from 127.0.0.1:port over UDP (one query). */
export function txtValues(port: number, name: string, timeoutMs = 500): Promise<string[]> {
  return new Promise((resolve) => {
    const socket = createSocket("udp4");
    const id = Math.floor(Math.random() * 0xffff);
    const timer = setTimeout(() => finish([]), timeoutMs);
    const finish = (values: string[]) => {
      clearTimeout(timer);
      socket.close();
      resolve(values);
    };
    socket.on("message", (message) => {
      const answer = dnsPacket.decode(message);
      if (answer.id !== id) return;
      const values: string[] = [];
      for (const record of answer.answers ?? []) {
        if (record.type !== "TXT") continue;
        const data = Array.isArray(record.data) ? record.data : [record.data];
        values.push(data.map((chunk) => chunk.toString()).join(""));
      }
      finish(values);
    });
    socket.send(
      dnsPacket.encode({ type: "query", id, flags: 0, questions: [{ type: "TXT", class: "IN", name }] }),
      port,
      "127.0.0.1",
    );
  });
}
