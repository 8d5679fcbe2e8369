/**
 * Route53 import time (issues 5 and 14): a synthetic `aws route53 list-resource-record-sets` export
 * (testkit's `route53Export`, A/AAAA/TXT/MX) imported through the API of the embedded default
 * (SQLite), published before the answer (the edge serves serial 1).
 * Usage: pnpm --filter @dnscove/bench bench:import
 *   BENCH_RRSETS (default 10,000), BENCH_ROUNDS (default 5);
 *   BENCH_BASELINE_MAIN=<another build's apps/api/dist/src/main.js>: that API is measured in the
 *   same run, round by round alternating with this checkout's, for a side-by-side ratio.
 * The import route's body limit is DNSCOVE_MAX_IMPORT_BYTES (default 64 MiB): a 100,000-rrset export
 * (11 MB compact, 27 MB as the aws CLI pretty-prints it) fits the default; nothing is raised here.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { type ApiProcess, freePort, route53Export, signIn, startApiProcess } from "@dnscove/testkit";
import { apiMain, median, post } from "./lib.js";

const RRSETS = Number(process.env.BENCH_RRSETS ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const BASELINE = process.env.BENCH_BASELINE_MAIN;

interface Target {
  label: string;
  main: string;
  dir: string;
  api?: ApiProcess;
  session?: string;
  times: number[];
}

const targets: Target[] = [
  ...(BASELINE ? [{ label: `baseline (${BASELINE})`, main: BASELINE }] : []),
  { label: "this checkout", main: apiMain },
].map((t) => ({ ...t, dir: mkdtempSync(path.join(os.tmpdir(), "dnscove-bench-import-")), times: [] }));

let size = 0;
try {
  for (const target of targets) {
    target.api = await startApiProcess(
      target.main,
      { PORT: String(await freePort()), DNS_PORT: String(await freePort()), DNSCOVE_DATA_DIR: target.dir },
      { inheritEnv: true },
    );
    target.session = await signIn(target.api.url, { label: "bench" });
  }
  for (let round = 0; round < ROUNDS; round++) {
    const json = route53Export(`import${round}.example`, RRSETS);
    size = json.length;
    for (const target of targets) {
      const started = performance.now();
      const result = await post(`${target.api?.url}/api/import/route53`, { json }, target.session);
      target.times.push(performance.now() - started);
      if (result.imported !== RRSETS || result.published !== true)
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
  `\nRoute53 import, embedded default (SQLite), ${os.cpus().length} cores, load average ${load1?.toFixed(1)} at the end\n`,
);
console.log("| code | rrsets | export size | rounds | median s | min s | max s | rounds s |");
console.log("|---|---|---|---|---|---|---|---|");
const s = (ms: number) => (ms / 1000).toFixed(2);
for (const { label, times } of targets) {
  console.log(
    `| ${label} | ${RRSETS.toLocaleString("en")} | ${(size / 1e6).toFixed(1)} MB | ${ROUNDS} | ${s(median(times))} | ${s(Math.min(...times))} | ${s(Math.max(...times))} | ${times.map(s).join(" / ")} |`,
  );
}
const [baseline, current] = targets;
if (BASELINE && baseline && current)
  console.log(
    `\nmedian baseline / this checkout: ${(median(baseline.times) / median(current.times)).toFixed(2)}`,
  );
