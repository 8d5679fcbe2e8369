import { createSocket } from "node:dgram";
import { readdirSync, readFileSync } from "node:fs";
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
  const stat = statAt(`/proc/${pid}/stat`);
  if (!stat) throw new Error(`no process ${pid}`);
  return stat.cpuMs;
}

/** USER_HZ: 100 on every Linux architecture Node supports (proc(5), sysconf(_SC_CLK_TCK)). */
const CLOCK_TICKS_PER_SECOND = 100;

/**
 * One /proc/<pid>/stat, or a thread's /proc/<pid>/task/<tid>/stat (same fields): the command name,
 * the parent, and CPU ms (user + system) so far; undefined when the process is gone.
 */
function statAt(file: string): { command: string; parent: number; cpuMs: number } | undefined {
  let stat: string;
  try {
    stat = readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  const command = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
  // Fields after the parenthesised command name; ppid is field 4, utime and stime 14 and 15 (proc(5)).
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const cpuMs = ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  return { command, parent: Number(fields[1]), cpuMs };
}

/** All CPU ms the machine's CPUs have spent busy (not idle, not waiting on I/O), from /proc/stat. */
function machineBusyMs(): number {
  const [, ...ticks] = (readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "").trim().split(/\s+/);
  const [user, nice, system, , , irq, softirq, steal] = ticks.map(Number);
  const busy = [user, nice, system, irq, softirq, steal].reduce<number>((sum, t) => sum + (t ?? 0), 0);
  return (busy * 1000) / CLOCK_TICKS_PER_SECOND;
}

export interface CpuCensus {
  /** The API process and its children (the embedded edge). */
  apiMs: number;
  /** The API process alone, all its threads (processCpuMs). */
  apiProcessMs: number;
  /** The API's main thread alone: its event loop, where every request's JavaScript runs. */
  apiMainThreadMs: number;
  /** Every process named `postgres` (the bench's own server; nothing else runs one during a bench). */
  postgresMs: number;
  /** This process: the load generator. */
  loadGeneratorMs: number;
  /** Everything the machine's CPUs did, ours or not. */
  machineMs: number;
}

/**
 * CPU used so far, by role, so a benchmark can say where a request's CPU goes on the whole machine
 * (subtract two censuses): on a 2-core machine the server, its database and the load generator share
 * the CPUs, and their sum per request bounds the requests per second any code could reach here.
 */
export function cpuCensus(apiPid: number): CpuCensus {
  const processes = readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .flatMap((name) => {
      const stat = statAt(`/proc/${name}/stat`);
      return stat ? [{ pid: Number(name), ...stat }] : [];
    });
  const inApi = new Set([apiPid]);
  // Parents before children is not guaranteed by pid order: grow the tree until it stops growing.
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of processes) {
      if (!inApi.has(p.pid) && inApi.has(p.parent)) {
        inApi.add(p.pid);
        grew = true;
      }
    }
  }
  const sum = (keep: (p: (typeof processes)[number]) => boolean) =>
    processes.filter(keep).reduce((total, p) => total + p.cpuMs, 0);
  const own = process.cpuUsage();
  return {
    apiMs: sum((p) => inApi.has(p.pid)),
    apiProcessMs: sum((p) => p.pid === apiPid),
    // The main thread's task id is the process id (proc(5), /proc/<pid>/task/<tid>).
    apiMainThreadMs: statAt(`/proc/${apiPid}/task/${apiPid}/stat`)?.cpuMs ?? Number.NaN,
    postgresMs: sum((p) => p.command === "postgres"),
    loadGeneratorMs: (own.user + own.system) / 1000,
    machineMs: machineBusyMs(),
  };
}

export function cpuCensusSince(before: CpuCensus, apiPid: number): CpuCensus {
  const now = cpuCensus(apiPid);
  const since = (key: keyof CpuCensus) => now[key] - before[key];
  return {
    apiMs: since("apiMs"),
    apiProcessMs: since("apiProcessMs"),
    apiMainThreadMs: since("apiMainThreadMs"),
    postgresMs: since("postgresMs"),
    loadGeneratorMs: since("loadGeneratorMs"),
    machineMs: since("machineMs"),
  };
}

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
