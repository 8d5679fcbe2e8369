/**
 * Publish → a real Knot and a real NSD secondary answering the new serial (NOTIFY, then IXFR from
 * the edge's change journal, RFC 1995), on a 10,000-rrset zone by default, through the embedded
 * default (SQLite, edge workers, DNSCOVE_SECONDARIES). Each round changes one rrset, calls publish,
 * and polls the secondaries' SOA until they answer the new serial. The edge's transfer log (LOG_LEVEL
 * info) tells how each IXFR was answered: the run fails unless every one after the bootstrap went
 * out as a difference.
 * Usage: pnpm --filter @dnscove/bench bench:secondaries   (needs knotd and nsd; run as root)
 *   BENCH_RRSETS=200000 (zone size; above 20,000 filled by 1,000-rrset batches, not an import), BENCH_ROUNDS=30, BENCH_SECONDARIES=knot (or knot,nsd: default)
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
const KINDS = (process.env.BENCH_SECONDARIES ?? "knot,nsd").split(",");

async function until(secondary: Secondary, serial: number, timeoutMs: number): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    if (((await soaSerial(secondary.port, ORIGIN, 200)) ?? 0) >= serial) return performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  throw new Error(`${secondary.kind} did not serve serial ${serial}:\n${secondary.log().slice(-2000)}`);
}

/**
 * The zone of RRSETS rrsets, published: a Route53 import up to 20,000 (the API takes 6 MB bodies),
 * else an empty zone filled with batches of 1,000 A rrsets, then one publish.
 */
async function fill(url: string, token: string): Promise<{ id: string; published_serial: number }> {
  if (RRSETS <= 20_000) {
    const imported = await post(
      `${url}/api/import/route53`,
      { json: route53Export(ORIGIN, RRSETS), origin: ORIGIN },
      token,
    );
    return imported.zone as { id: string; published_serial: number };
  }
  const zone = (await post(`${url}/api/zones`, { origin: ORIGIN }, token)) as { id: string };
  for (let start = 0; start < RRSETS; start += 1000) {
    const changes = Array.from({ length: Math.min(1000, RRSETS - start) }, (_, i) => {
      const n = start + i;
      return {
        action: "UPSERT",
        name: `host${n}.${ORIGIN}.`,
        type: "A",
        ttl: 300,
        records: [`10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`],
      };
    });
    await post(`${url}/api/zones/${zone.id}/rrsets`, { changes }, token);
  }
  const published = await post(`${url}/api/zones/${zone.id}/publish`, undefined, token);
  return { id: zone.id, published_serial: published.serial as number };
}

const dir = mkdtempSync(path.join(os.tmpdir(), "dnscove-bench-secondaries-"));
const dnsPort = await freePort();
// The secondaries start once the zone is filled and published: their bootstrap is one AXFR of
// the whole zone, not a chase after every auto-publish of the fill.
const ports = Object.fromEntries(await Promise.all(KINDS.map(async (k) => [k, await freePort()] as const)));
const api = await startBenchApi({
  PORT: String(await freePort()),
  DNS_PORT: String(dnsPort),
  EDGE_RRL_RATE: "0", // one client asking one name fast is what RRL limits
  DNSCOVE_DATA_DIR: path.join(dir, "api"),
  DNSCOVE_PUBLISH_INTERVAL_MS: "60000",
  DNSCOVE_SECONDARIES: Object.values(ports)
    .map((port) => `127.0.0.1:${port}`)
    .join(","),
  LOG_LEVEL: "info", // the edge's "zone transfer answered" lines
});
const times: Record<string, number[]> & { publish: number[] } = { publish: [] };
for (const kind of Object.keys(ports)) times[kind] = [];
let transfers = "";
const secondaries: Secondary[] = [];
try {
  const token = await signIn(api.url, { label: "bench" });
  const zone = await fill(api.url, token);
  const zones = [{ origin: ORIGIN, primaryPort: dnsPort }];
  if (ports.knot) secondaries.push(await startKnot(dir, zones, { port: ports.knot }));
  if (ports.nsd) secondaries.push(await startNsd(dir, zones, [], [], ports.nsd));
  await Promise.all(secondaries.map((s) => until(s, zone.published_serial, 600_000)));
  const bootstrapped = api.output().length;
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
    const took = await Promise.all(secondaries.map((s) => until(s, serial, 30_000)));
    for (const [i, s] of secondaries.entries()) {
      times[s.kind]?.push(publishMs + (took[i] as number));
      // The secondary's own part (NOTIFY, SOA query, IXFR, apply), without the publish call.
      const after = times[`${s.kind}-after`] ?? [];
      after.push(took[i] as number);
      times[`${s.kind}-after`] = after;
    }
  }
  const forms = new Map<string, number>();
  for (const line of api.output().slice(bootstrapped).split("\n")) {
    if (!line.includes('"zone transfer answered"')) continue;
    const { transfer } = JSON.parse(line) as { transfer: { qtype: string; form: string; fallback?: string } };
    const key = `${transfer.qtype} ${transfer.form}${transfer.fallback ? ` (${transfer.fallback})` : ""}`;
    forms.set(key, (forms.get(key) ?? 0) + 1);
  }
  transfers = [...forms].map(([k, n]) => `${k}: ${n}`).join(", ");
  // An empty log proves nothing: every round must have been transferred, as a difference.
  if (forms.size === 0) throw new Error("no zone transfer was logged after the bootstrap");
  if ([...forms.keys()].some((k) => k !== "IXFR difference" && k !== "IXFR soa"))
    throw new Error(`transfers after the bootstrap were not all IXFR differences: ${transfers}`);
} finally {
  await api.stop();
  await Promise.all(secondaries.map((s) => s.stop()));
  rmSync(dir, { recursive: true, force: true });
}
console.log(
  `\nPublish → secondary answers the serial, ${RRSETS.toLocaleString("en")}-rrset zone, ${ROUNDS} rounds, ${os.cpus().length} cores\n`,
);
console.log("| measured from the publish call to | p50 ms | p99 ms | max ms |");
console.log("|---|---|---|---|");
const labels: Record<string, string> = {
  publish: "publish returns",
  knot: "Knot answers",
  nsd: "NSD answers",
  "knot-after": "Knot answers, timed from the publish's return",
  "nsd-after": "NSD answers, timed from the publish's return",
};
for (const [kind, values] of Object.entries(times)) {
  const what = labels[kind] ?? kind;
  console.log(
    `| ${what} | ${median(values).toFixed(1)} | ${percentile(values, 99).toFixed(1)} | ${Math.max(...values).toFixed(1)} |`,
  );
}
console.log(`\nTransfers after the bootstrap (edge log): ${transfers}`);
