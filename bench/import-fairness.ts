/**
 * One tenant's big write against everyone else (issue 14; "no one tenant can slow others down"):
 * while tenant A imports a large Route53 export through the embedded default (SQLite), tenant B
 * keeps reading — `GET /api/zones/{id}/rrsets` of its small zone, one request after another — and
 * we record how long each of B's reads took while A's import ran.
 * Usage: pnpm --filter @dnscove/bench bench:import-fairness
 *   BENCH_RRSETS (default 100,000), BENCH_ROUNDS (default 3);
 *   BENCH_BASELINE_MAIN=<another build's apps/api/dist/src/main.js>: measured in the same run,
 *   round by round alternating with this checkout's, for a side-by-side ratio.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { type ApiProcess, freePort, route53Export, signIn, startApiProcess } from "@dnscove/testkit";
import { apiMain, median, percentile, post } from "./lib.js";

const RRSETS = Number(process.env.BENCH_RRSETS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const BASELINE = process.env.BENCH_BASELINE_MAIN;

interface Target {
  label: string;
  main: string;
  dir: string;
  api?: ApiProcess;
  importer?: string;
  reader?: string;
  readerZone?: string;
  importMs: number[];
  /** Every read of tenant B that overlapped an import, in ms. */
  reads: number[];
}

const targets: Target[] = [
  ...(BASELINE ? [{ label: "baseline", main: BASELINE }] : []),
  { label: "this checkout", main: apiMain },
].map((t) => ({
  ...t,
  dir: mkdtempSync(path.join(os.tmpdir(), "dnscove-bench-fairness-")),
  importMs: [],
  reads: [],
}));

async function readWhile(target: Target, running: () => boolean): Promise<void> {
  while (running()) {
    const started = performance.now();
    const answer = await fetch(`${target.api?.url}/api/zones/${target.readerZone}/rrsets`, {
      headers: { authorization: `Bearer ${target.reader}` },
    });
    await answer.arrayBuffer();
    if (!answer.ok) throw new Error(`${target.label}: tenant B's read answered ${answer.status}`);
    if (running()) target.reads.push(performance.now() - started);
  }
}

try {
  for (const target of targets) {
    target.api = await startApiProcess(
      target.main,
      { PORT: String(await freePort()), DNS_PORT: String(await freePort()), DNSCOVE_DATA_DIR: target.dir },
      { inheritEnv: true },
    );
    target.importer = await signIn(target.api.url, { label: "bench-a" });
    target.reader = await signIn(target.api.url, { label: "bench-b" });
    const zone = await post(`${target.api.url}/api/zones`, { origin: "small-b.example" }, target.reader);
    target.readerZone = String(zone.id);
  }
  for (let round = 0; round < ROUNDS; round++) {
    const json = route53Export(`big${round}.example`, RRSETS);
    for (const target of targets) {
      let importing = true;
      const reading = readWhile(target, () => importing);
      const started = performance.now();
      const result = await post(`${target.api?.url}/api/import/route53`, { json }, target.importer).finally(
        () => {
          importing = false;
        },
      );
      target.importMs.push(performance.now() - started);
      await reading;
      if (result.imported !== RRSETS)
        throw new Error(`${target.label}: unexpected: ${JSON.stringify(result).slice(0, 300)}`);
    }
  }
} finally {
  for (const target of targets) {
    await target.api?.stop();
    rmSync(target.dir, { recursive: true, force: true });
  }
}

const [load1] = os.loadavg();
console.log(
  `\nTenant B's reads during tenant A's ${RRSETS.toLocaleString("en")}-rrset import, embedded default (SQLite), ${os.cpus().length} cores, load average ${load1?.toFixed(1)} at the end, ${ROUNDS} rounds\n`,
);
console.log(
  "| code | import median s | B's reads during imports | B read p50 ms | B read p99 ms | B read max ms |",
);
console.log("|---|---|---|---|---|---|");
for (const { label, importMs, reads } of targets) {
  console.log(
    `| ${label} | ${(median(importMs) / 1000).toFixed(2)} | ${reads.length} | ${median(reads).toFixed(1)} | ${percentile(reads, 99).toFixed(1)} | ${Math.max(...reads).toFixed(1)} |`,
  );
}
