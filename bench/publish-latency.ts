/**
 * Publish-to-answer latency of the embedded default (API + edge in one process, SQLite), for zones
 * of 10, 10,000 and 100,000 rrsets (issue 3). Usage: pnpm --filter @dnscove/bench bench:publish
 *
 * Each round changes one rrset, then times `POST /zones/{id}/publish` (which returns once the edge
 * serves the new serial) and the first SOA query answered with that serial.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort, signIn } from "@dnscove/testkit";
import { median, percentile, post, soaSerial, startBenchApi } from "./lib.js";

const SIZES = (process.env.BENCH_SIZES ?? "10,10000,100000").split(",").map(Number);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 30);

const dir = mkdtempSync(path.join(os.tmpdir(), "dnscove-bench-publish-"));
const dnsPort = await freePort();
const api = await startBenchApi({
  PORT: String(await freePort()),
  DNS_PORT: String(dnsPort),
  EDGE_RRL_RATE: "0", // one client asking one name fast is what RRL limits
  DNSCOVE_DATA_DIR: dir,
  DNSCOVE_PUBLISH_INTERVAL_MS: "60000",
});
const rows: string[] = [];
try {
  const session = await signIn(api.url, { label: "bench" });
  for (const size of SIZES) {
    const origin = `p${size}.example`;
    const zone = await post(`${api.url}/api/zones`, { origin }, session);
    const rrsets = `${api.url}/api/zones/${zone.id as string}/rrsets`;
    for (let start = 0; start < size; start += 1000) {
      const changes = Array.from({ length: Math.min(1000, size - start) }, (_, i) => ({
        name: `host${start + i}`,
        type: "A",
        ttl: 300,
        records: [`192.0.2.${(start + i) % 250}`],
      }));
      await post(rrsets, { changes }, session);
    }
    await post(`${api.url}/api/zones/${zone.id as string}/publish`, undefined, session);
    const rounds = size >= 100_000 ? Math.min(ROUNDS, 10) : ROUNDS;
    const publishMs: number[] = [];
    const answerMs: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const change = await post(rrsets, { name: "probe", type: "TXT", records: [`round ${round}`] }, session);
      const started = performance.now();
      const published = await post(`${api.url}/api/zones/${zone.id as string}/publish`, undefined, session);
      publishMs.push(performance.now() - started);
      if (published.published !== true)
        throw new Error(`publish not confirmed: ${JSON.stringify(published)}`);
      while ((await soaSerial(dnsPort, origin)) !== change.serial) {
        // the publish answered; the edge must already serve the serial, but measure rather than assume
      }
      answerMs.push(performance.now() - started);
    }
    rows.push(
      `| ${size.toLocaleString("en")} | ${rounds} | ${median(publishMs).toFixed(1)} | ${percentile(publishMs, 99).toFixed(1)} | ${median(answerMs).toFixed(1)} | ${percentile(answerMs, 99).toFixed(1)} |`,
    );
  }
} finally {
  await api.stop();
  rmSync(dir, { recursive: true, force: true });
}
console.log(`\npublish-to-answer, embedded default (SQLite), ${os.cpus().length} cores\n`);
console.log("| rrsets | rounds | publish p50 ms | publish p99 ms | answer p50 ms | answer p99 ms |");
console.log("|---|---|---|---|---|---|");
for (const row of rows) console.log(row);
