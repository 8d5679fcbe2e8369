/**
 * Route53 import time (issue 5): a 10,000-rrset `aws route53 list-resource-record-sets` export
 * imported through the API of the embedded default (SQLite), published before the answer.
 * Usage: pnpm --filter @dnscove/bench bench:import
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort, route53Export, signIn } from "@dnscove/testkit";
import { median, post, startBenchApi } from "./lib.js";

const RRSETS = Number(process.env.BENCH_RRSETS ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

const dir = mkdtempSync(path.join(os.tmpdir(), "dnscove-bench-import-"));
const api = await startBenchApi({
  PORT: String(await freePort()),
  DNS_PORT: String(await freePort()),
  DNSCOVE_DATA_DIR: dir,
});
const times: number[] = [];
let size = 0;
try {
  const session = await signIn(api.url, { label: "bench" });
  for (let round = 0; round < ROUNDS; round++) {
    const json = route53Export(`import${round}.example`, RRSETS);
    size = json.length;
    const started = performance.now();
    const result = await post(`${api.url}/api/import/route53`, { json }, session);
    times.push(performance.now() - started);
    if (result.imported !== RRSETS || result.published !== true)
      throw new Error(`unexpected: ${JSON.stringify(result).slice(0, 300)}`);
  }
} finally {
  await api.stop();
  rmSync(dir, { recursive: true, force: true });
}
console.log(`\nRoute53 import, embedded default (SQLite), ${os.cpus().length} cores\n`);
console.log("| rrsets | export size | rounds | median s | min s | max s |");
console.log("|---|---|---|---|---|---|");
console.log(
  `| ${RRSETS.toLocaleString("en")} | ${(size / 1e6).toFixed(1)} MB | ${ROUNDS} | ${(median(times) / 1000).toFixed(2)} | ${(Math.min(...times) / 1000).toFixed(2)} | ${(Math.max(...times) / 1000).toFixed(2)} |`,
);
