/**
 * Route53 import time (issue 5): a 10,000-rrset `aws route53 list-resource-record-sets` export
 * imported through the API of the embedded default (SQLite), published before the answer.
 * Usage: pnpm --filter @dnscove/bench bench:import
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort, signIn } from "@dnscove/testkit";
import { median, post, startBenchApi } from "./lib.js";

const RRSETS = Number(process.env.BENCH_RRSETS ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

/** An export shaped like the aws CLI's: apex SOA and NS, then a mix of common types. */
function exportOf(origin: string, count: number): string {
  const sets: unknown[] = [
    {
      Name: `${origin}.`,
      Type: "NS",
      TTL: 172800,
      ResourceRecords: [1, 2, 3, 4].map((i) => ({ Value: `ns-${i}.awsdns-${i}.org.` })),
    },
    {
      Name: `${origin}.`,
      Type: "SOA",
      TTL: 900,
      ResourceRecords: [
        { Value: "ns-1.awsdns-1.org. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400" },
      ],
    },
  ];
  for (let i = 0; sets.length < count + 2; i++) {
    const name = `host${i}.${origin}.`;
    switch (i % 5) {
      case 0:
        sets.push({
          Name: name,
          Type: "A",
          TTL: 300,
          ResourceRecords: [{ Value: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` }],
        });
        break;
      case 1:
        sets.push({
          Name: name,
          Type: "AAAA",
          TTL: 300,
          ResourceRecords: [{ Value: `2001:db8::${i.toString(16)}` }],
        });
        break;
      case 2:
        sets.push({ Name: name, Type: "TXT", TTL: 300, ResourceRecords: [{ Value: `"v=verify-${i}"` }] });
        break;
      case 3:
        sets.push({ Name: name, Type: "MX", TTL: 300, ResourceRecords: [{ Value: `10 mx${i}.${origin}.` }] });
        break;
      default:
        sets.push({
          Name: name,
          Type: "CNAME",
          TTL: 300,
          ResourceRecords: [{ Value: `target${i}.example.net.` }],
        });
    }
  }
  return JSON.stringify({ ResourceRecordSets: sets }, null, 4);
}

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
    const json = exportOf(`import${round}.example`, RRSETS);
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
