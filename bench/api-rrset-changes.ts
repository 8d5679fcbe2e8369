/**
 * rrset change latency and throughput of the real API process, on SQLite and on PostgreSQL,
 * measured side by side in one run (issue 2). Usage: pnpm --filter @dnscove/bench bench:api
 *
 * For each database: start `apps/api/dist/src/main.js`, sign in, create a zone, then
 *  1. throughput: autocannon at concurrency 16 for DURATION s, each request a single-rrset UPSERT
 *     at a fresh name;
 *  2. latency at a fixed 200 requests/s for DURATION s (p50/p99).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { freePort, startPostgres } from "@dnscove/testkit";
import autocannon from "autocannon";

const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const apiMain = fileURLToPath(new URL("../apps/api/dist/src/main.js", import.meta.url));

interface Result {
  database: string;
  throughput: number;
  non2xx: number;
  p50AtRate: number;
  p99AtRate: number;
  achievedRate: number;
}

async function startApi(env: Record<string, string>): Promise<{ url: string; stop(): void }> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [apiMain], {
    env: { ...process.env, ...env, PORT: String(port), LOG_LEVEL: "warn" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${url}/api/health`)).ok) return { url, stop: () => child.kill("SIGTERM") };
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill("SIGKILL");
  throw new Error("the API did not start");
}

async function json(url: string, body: unknown, token?: string): Promise<Record<string, unknown>> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return (await response.json()) as Record<string, unknown>;
}

async function run(database: string, env: Record<string, string>): Promise<Result> {
  const api = await startApi(env);
  try {
    const link = await json(`${api.url}/api/auth/magic-link`, { email: "bench@example.test" });
    const session = (await json(`${api.url}/api/auth/exchange`, { token: link.dev_token })).token as string;
    const zone = await json(`${api.url}/api/zones`, { origin: `bench-${database}.example` }, session);
    let counter = 0;
    const options = {
      url: `${api.url}/api/zones/${zone.id as string}/rrsets`,
      method: "POST" as const,
      headers: { "content-type": "application/json", authorization: `Bearer ${session}` },
      requests: [
        {
          setupRequest: (request: Record<string, unknown>) => ({
            ...request,
            body: JSON.stringify({ name: `host${counter++}`, type: "A", ttl: 300, records: ["192.0.2.1"] }),
          }),
        },
      ],
    };
    const peak = await autocannon({ ...options, connections: 16, duration: DURATION });
    const paced = await autocannon({ ...options, connections: 16, duration: DURATION, overallRate: 200 });
    return {
      database,
      throughput: peak.requests.average,
      non2xx: peak.non2xx + paced.non2xx,
      p50AtRate: paced.latency.p50,
      p99AtRate: paced.latency.p99,
      achievedRate: paced.requests.average,
    };
  } finally {
    api.stop();
  }
}

const dir = mkdtempSync(path.join(os.tmpdir(), "dnscove-bench-"));
const postgres = await startPostgres();
try {
  postgres.createDatabase("bench");
  const results = [
    await run("sqlite", { DNSCOVE_DATA_DIR: path.join(dir, "sqlite") }),
    await run("postgres", { DNSCOVE_DATA_DIR: path.join(dir, "pg"), DATABASE_URL: postgres.databaseUrl("bench") }),
  ];
  console.log(`\nrrset changes, concurrency 16, ${DURATION} s per measurement (${os.cpus().length} cores)\n`);
  console.log("| database | changes/s (peak) | p50 ms at 200/s | p99 ms at 200/s | achieved req/s | non-2xx |");
  console.log("|---|---|---|---|---|---|");
  for (const r of results) {
    console.log(
      `| ${r.database} | ${r.throughput.toFixed(0)} | ${r.p50AtRate} | ${r.p99AtRate} | ${r.achievedRate.toFixed(0)} | ${r.non2xx} |`,
    );
  }
} finally {
  postgres.stop();
  rmSync(dir, { recursive: true, force: true });
}
