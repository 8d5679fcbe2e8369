/**
 * Publish → a real Knot and a real NSD secondary answering the new serial (NOTIFY, then IXFR or
 * AXFR from the edge), on a 10,000-rrset zone, through the embedded default (SQLite, edge workers,
 * DNSCOVE_SECONDARIES). Each round changes one rrset, calls publish, and polls both secondaries'
 * SOA until they answer the new serial.
 * Usage: pnpm --filter @dnscove/bench bench:secondaries   (needs knotd and nsd; run as root)
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort, route53Export, signIn } from "@dnscove/testkit";
import { type Secondary, startKnot, startNsd } from "../apps/edge/test/helpers/secondaries.js";
import { median, percentile, post, soaSerial, startBenchApi } from "./lib.js";

const RRSETS = Number(process.env.BENCH_RRSETS ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 30);
const ORIGIN = "secondaries.example";

async function until(secondary: Secondary, serial: number, timeoutMs: number): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    if (((await soaSerial(secondary.port, ORIGIN, 200)) ?? 0) >= serial) return performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  throw new Error(`${secondary.kind} did not serve serial ${serial}:\n${secondary.log().slice(-2000)}`);
}

const dir = mkdtempSync(path.join(os.tmpdir(), "dnscove-bench-secondaries-"));
const dnsPort = await freePort();
const knot = await startKnot(dir, [{ origin: ORIGIN, primaryPort: dnsPort }]);
const nsd = await startNsd(dir, [{ origin: ORIGIN, primaryPort: dnsPort }]);
const api = await startBenchApi({
  PORT: String(await freePort()),
  DNS_PORT: String(dnsPort),
  EDGE_RRL_RATE: "0", // one client asking one name fast is what RRL limits
  DNSCOVE_DATA_DIR: path.join(dir, "api"),
  DNSCOVE_PUBLISH_INTERVAL_MS: "60000",
  DNSCOVE_SECONDARIES: `127.0.0.1:${knot.port},127.0.0.1:${nsd.port}`,
});
const times = { publish: [] as number[], knot: [] as number[], nsd: [] as number[] };
try {
  const token = await signIn(api.url, { label: "bench" });
  const imported = await post(
    `${api.url}/api/import/route53`,
    { json: route53Export(ORIGIN, RRSETS), origin: ORIGIN },
    token,
  );
  const zone = imported.zone as { id: string; published_serial: number };
  await Promise.all([
    until(knot, zone.published_serial, 120_000),
    until(nsd, zone.published_serial, 120_000),
  ]);
  for (let round = 0; round < ROUNDS; round++) {
    await post(
      `${api.url}/api/zones/${zone.id}/rrsets`,
      { name: "changing", type: "TXT", records: [`"round ${round}"`] },
      token,
    );
    const started = performance.now();
    const published = await post(`${api.url}/api/zones/${zone.id}/publish`, undefined, token);
    const publishMs = performance.now() - started;
    times.publish.push(publishMs);
    const serial = published.serial as number;
    const [k, n] = await Promise.all([until(knot, serial, 30_000), until(nsd, serial, 30_000)]);
    times.knot.push(publishMs + k);
    times.nsd.push(publishMs + n);
  }
} finally {
  await api.stop();
  await Promise.all([knot.stop(), nsd.stop()]);
  rmSync(dir, { recursive: true, force: true });
}
console.log(
  `\nPublish → secondary answers the serial, ${RRSETS.toLocaleString("en")}-rrset zone, ${ROUNDS} rounds, ${os.cpus().length} cores\n`,
);
console.log("| measured from publish call to | p50 ms | p99 ms | max ms |");
console.log("|---|---|---|---|");
for (const [what, values] of Object.entries({
  "publish returns": times.publish,
  "Knot answers": times.knot,
  "NSD answers": times.nsd,
})) {
  console.log(
    `| ${what} | ${median(values).toFixed(1)} | ${percentile(values, 99).toFixed(1)} | ${Math.max(...values).toFixed(1)} |`,
  );
}
