/**
 * rrset change latency and throughput of the real API process, on SQLite and on PostgreSQL,
 * measured side by side in one run (issue 2). Usage: pnpm --filter @dnscove/bench bench:api
 *
 * For each database: start `apps/api/dist/src/main.js`, sign in, create a zone, then
 *  1. throughput: autocannon at concurrency 16 for DURATION s, each request a single-rrset UPSERT
 *     at a fresh name;
 *  2. latency at a fixed 200 requests/s for DURATION s (p50/p99) on a fresh zone, evenly spaced
 *     and open-loop (bench/paced-load.ts: each request timed from when it was due; 1 s of warm-up
 *     at the same rate reported apart; BENCH_PACED_DUMP=file writes each latency). Beside it, to
 *     compare with earlier runs, autocannon's `overallRate: 200`, which sends each second's 200
 *     requests as one burst (paced-load.ts says why that measures something else).
 * Also the API process's own CPU time per accepted change during the peak run (from /proc; the
 * edge workers not included), which moves far less with other people's load than changes/s.
 * And where the whole machine's CPU went per change in the peak phase (API, PostgreSQL server, load
 * generator, the rest), with the rates that bounds: the server and its database share the CPUs.
 * And the same API's ceiling for any request, side by side: `GET /api/health` (no credential; one
 * read of the applied migrations) and an authenticated `GET` of one rrset, at the same concurrency,
 * with their CPU per request: no change can be accepted faster than the HTTP layer answers a
 * request that does next to nothing.
 * BENCH_DATABASES=sqlite (or postgres) runs one database only; BENCH_CPU_PROF_PEAK=1 with the CPU
 * profile hook (bench/cpu-profile-hook.mjs) profiles the peak phase only.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort, signIn, startPostgres } from "@dnscove/testkit";
import autocannon from "autocannon";
import {
  type CpuCensus,
  cpuCensus,
  cpuCensusSince,
  percentile,
  post,
  processCpuMs,
  startBenchApi,
} from "./lib.js";
import { pacedLoad } from "./paced-load.js";

const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
/** Changes per second of the latency phase (issue 14: p99 < 25 ms at 200 changes/s). */
const PACED_RATE = 200;

interface Result {
  database: string;
  throughput: number;
  cpuUsPerChange: number;
  non2xx: number;
  p50AtRate: number;
  p99AtRate: number;
  achievedRate: number;
  burstP50: number;
  burstP99: number;
  warmupP99: number;
  healthRate: number;
  healthCpuUs: number;
  readRate: number;
  readCpuUs: number;
  /** CPU used during the peak phase, by role (ms), and the changes it accepted. */
  census: CpuCensus;
  peakChanges: number;
}

async function run(database: string, env: Record<string, string>): Promise<Result> {
  const api = await startBenchApi({
    ...env,
    PORT: String(await freePort()),
    DNS_PORT: String(await freePort()),
  });
  try {
    const session = await signIn(api.url, { label: "bench" });
    // Each measurement gets a fresh zone, so the latency run does not pay for publishing the
    // thousands of rrsets the throughput run left behind (every publish snapshots the whole zone).
    const measure = async (label: string, extra: Partial<autocannon.Options>) => {
      const zone = await post(`${api.url}/api/zones`, { origin: `${label}-${database}.example` }, session);
      let counter = 0;
      return autocannon({
        url: `${api.url}/api/zones/${zone.id as string}/rrsets`,
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${session}` },
        connections: 16,
        duration: DURATION,
        requests: [
          {
            setupRequest: (request: autocannon.Request) => ({
              ...request,
              body: JSON.stringify({ name: `host${counter++}`, type: "A", ttl: 300, records: ["192.0.2.1"] }),
            }),
          },
        ],
        ...extra,
      });
    };
    // BENCH_CPU_PROF_PEAK=1: bench/cpu-profile-hook.mjs in the API profiles the peak phase only.
    const markPeak = () => {
      if (process.env.BENCH_CPU_PROF_PEAK === "1" && api.pid) process.kill(api.pid, "SIGUSR2");
    };
    markPeak();
    const censusBefore = cpuCensus(api.pid ?? 0);
    const peak = await measure("peak", {});
    const census = cpuCensusSince(censusBefore, api.pid ?? 0);
    markPeak();
    const pacedZone = await post(`${api.url}/api/zones`, { origin: `paced-${database}.example` }, session);
    const paced = await pacedLoad({
      url: api.url,
      rate: PACED_RATE,
      seconds: DURATION,
      warmupSeconds: 1,
      connections: 16,
      request: (index) => ({
        method: "POST",
        path: `/api/zones/${pacedZone.id as string}/rrsets`,
        headers: { "content-type": "application/json", authorization: `Bearer ${session}` },
        body: JSON.stringify({ name: `host${index}`, type: "A", ttl: 300, records: ["192.0.2.1"] }),
      }),
    });
    // BENCH_PACED_DUMP=file: each paced request's due time and latency (ms), in due order, one per line.
    if (process.env.BENCH_PACED_DUMP)
      writeFileSync(
        `${process.env.BENCH_PACED_DUMP}.${database}`,
        paced.latencies
          .map(
            (ms, i) =>
              `${new Date(paced.countedFromMs + (i * 1000) / PACED_RATE).toISOString()} ${ms.toFixed(1)}`,
          )
          .join("\n"),
      );
    const burst = await measure("burst", { overallRate: 200 });
    const readZone = await post(`${api.url}/api/zones`, { origin: `read-${database}.example` }, session);
    await post(
      `${api.url}/api/zones/${readZone.id as string}/rrsets`,
      { name: "www", type: "A", ttl: 300, records: ["192.0.2.1"] },
      session,
    );
    const ceiling = async (url: string, headers: Record<string, string>) => {
      const cpu = api.pid ? processCpuMs(api.pid) : Number.NaN;
      const result = await autocannon({ url, headers, connections: 16, duration: DURATION });
      const used = (api.pid ? processCpuMs(api.pid) : Number.NaN) - cpu;
      if (result.non2xx > 0) throw new Error(`${url}: ${result.non2xx} non-2xx answers`);
      return { rate: result.requests.average, cpuUs: (used * 1000) / result["2xx"] };
    };
    const health = await ceiling(`${api.url}/api/health`, {});
    const read = await ceiling(
      `${api.url}/api/zones/${readZone.id as string}/rrsets/www.read-${database}.example./A`,
      {
        authorization: `Bearer ${session}`,
      },
    );
    return {
      database,
      throughput: peak.requests.average,
      cpuUsPerChange: (census.apiProcessMs * 1000) / peak["2xx"],
      census,
      peakChanges: peak["2xx"],
      non2xx: peak.non2xx + paced.non2xx + burst.non2xx,
      p50AtRate: paced.p50,
      p99AtRate: paced.p99,
      achievedRate: paced.achievedRate,
      warmupP99: percentile(paced.warmupLatencies, 99),
      burstP50: burst.latency.p50,
      burstP99: burst.latency.p99,
      healthRate: health.rate,
      healthCpuUs: health.cpuUs,
      readRate: read.rate,
      readCpuUs: read.cpuUs,
    };
  } finally {
    await api.stop();
  }
}

const databases = (process.env.BENCH_DATABASES ?? "sqlite,postgres").split(",");
const dir = mkdtempSync(path.join(os.tmpdir(), "dnscove-bench-"));
// BENCH_PG_LOG=file: the PostgreSQL server logs every statement slower than 20 ms, every lock wait
// longer than 10 ms, its checkpoints and its autovacuum runs, with millisecond timestamps, and the
// log is copied to `file` at the end (to find what a slow episode at 200/s waited on).
const pgLog = process.env.BENCH_PG_LOG;
// BENCH_PG_STATS=1: the server loads pg_stat_statements, and the run ends with PostgreSQL's own
// account of where its time went (statements by total time, with calls and buffers) and how many of
// the zones rows' updates were heap-only (HOT, migration 0016).
const pgStats = process.env.BENCH_PG_STATS === "1";
const postgres = await startPostgres({
  ...(pgLog
    ? {
        log_line_prefix: "%m:%p:",
        log_min_duration_statement: "20",
        log_lock_waits: "on",
        deadlock_timeout: "10ms",
        log_checkpoints: "on",
        log_autovacuum_min_duration: "0",
      }
    : {}),
  ...(pgStats ? { shared_preload_libraries: "pg_stat_statements", "pg_stat_statements.track": "all" } : {}),
});

/** psql's answer to `query` on the bench database, printed as psql prints a table. */
function printPsql(query: string): void {
  execFileSync("psql", ["-X", "-q", postgres.databaseUrl("bench"), "-c", query], { stdio: "inherit" });
}
try {
  await postgres.createDatabase("bench");
  const results: Result[] = [];
  if (databases.includes("sqlite"))
    results.push(await run("sqlite", { DNSCOVE_DATA_DIR: path.join(dir, "sqlite") }));
  if (databases.includes("postgres")) {
    results.push(
      await run("postgres", {
        DNSCOVE_DATA_DIR: path.join(dir, "pg"),
        DATABASE_URL: postgres.databaseUrl("bench"),
      }),
    );
  }
  console.log(`\nrrset changes, concurrency 16, ${DURATION} s per measurement (${os.cpus().length} cores)\n`);
  console.log(
    "| database | changes/s (peak) | API CPU µs per change (peak) | p50 ms at 200/s | p99 ms at 200/s | p99 ms of the 1 s warm-up before | achieved req/s | autocannon 200/s bursts: p50 / p99 ms | non-2xx |",
  );
  console.log("|---|---|---|---|---|---|---|---|---|");
  for (const r of results) {
    console.log(
      `| ${r.database} | ${r.throughput.toFixed(0)} | ${r.cpuUsPerChange.toFixed(0)} | ${r.p50AtRate.toFixed(1)} | ${r.p99AtRate.toFixed(1)} | ${r.warmupP99.toFixed(1)} | ${r.achievedRate.toFixed(0)} | ${r.burstP50} / ${r.burstP99} | ${r.non2xx} |`,
    );
  }
  console.log("\nThe same API processes' ceiling, same concurrency and duration:\n");
  console.log(
    "| database | GET /api/health req/s | CPU µs per request | authenticated GET of one rrset req/s | CPU µs per request | changes/s ÷ health req/s |",
  );
  console.log("|---|---|---|---|---|---|");
  for (const r of results) {
    console.log(
      `| ${r.database} | ${r.healthRate.toFixed(0)} | ${r.healthCpuUs.toFixed(0)} | ${r.readRate.toFixed(0)} | ${r.readCpuUs.toFixed(0)} | ${(r.throughput / r.healthRate).toFixed(2)} |`,
    );
  }
  const cores = os.cpus().length;
  console.log(
    `\nWhere the machine's CPU went per accepted change in the peak phase (µs), and the rates that bounds on ${cores} cores:\n`,
  );
  console.log(
    "| database | API (with its edge) | of which the API's event loop thread | PostgreSQL server | load generator | rest of the machine | whole machine | bound: cores ÷ (API + PostgreSQL) | bound: one core ÷ the event loop thread |",
  );
  console.log("|---|---|---|---|---|---|---|---|---|");
  for (const { database, census: c, peakChanges } of results) {
    const us = (ms: number) => (ms * 1000) / peakChanges;
    const rest = c.machineMs - c.apiMs - c.postgresMs - c.loadGeneratorMs;
    const cells = [c.apiMs, c.apiMainThreadMs, c.postgresMs, c.loadGeneratorMs, rest, c.machineMs];
    console.log(
      `| ${database} | ${cells.map((ms) => us(ms).toFixed(0)).join(" | ")} | ${((cores * 1e6) / us(c.apiMs + c.postgresMs)).toFixed(0)}/s | ${(1e6 / us(c.apiMainThreadMs)).toFixed(0)}/s |`,
    );
  }
  if (pgStats && databases.includes("postgres")) {
    console.log("\nPostgreSQL's statements by total execution time (the whole run, every phase):\n");
    printPsql("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
    printPsql(
      `SELECT calls, round(total_exec_time::numeric, 1) AS exec_ms, rows, shared_blks_hit AS buffers_hit,
         left(regexp_replace(query, '\\s+', ' ', 'g'), 120) AS statement
       FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 25`,
    );
    printPsql(
      `SELECT n_tup_upd AS updates, n_tup_hot_upd AS hot_updates FROM pg_stat_user_tables WHERE relname = 'zones'`,
    );
  }
} finally {
  if (pgLog) copyFileSync(postgres.logFile, pgLog);
  await postgres.stop();
  rmSync(dir, { recursive: true, force: true });
}
