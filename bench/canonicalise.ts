/**
 * Record validation and canonicalisation throughput of packages/dns (issue 14: ≥ 100,000
 * records/s). Usage: pnpm --filter @dnscove/bench bench:canonicalise
 *
 * Does per rrset what the API does per change (apps/api/src/domain/rrsets/rrset-change.ts): the
 * owner name, every record canonicalised, de-duplicated and sorted, and the rrset's wire size
 * summed for the one-message check. The mix is a realistic zone: A, AAAA, MX, CNAME, SRV, CAA,
 * IDNA owners and targets, and TXT rrsets of 40 records (the batch). Each run is timed
 * after a warm-up run; the median of RUNS runs is printed, in this fresh process.
 *
 * BENCH_DNS_DIST points at another build of packages/dns (e.g. a copy of dist/ from before a
 * change) so before and after are measured the same way.
 */
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { median } from "./lib.js";

type Dns = typeof import("../packages/dns/dist/index.js");

const distIndex = process.env.BENCH_DNS_DIST
  ? pathToFileURL(path.resolve(process.env.BENCH_DNS_DIST, "index.js")).href
  : new URL("../packages/dns/dist/index.js", import.meta.url).href;
// An older build (BENCH_DNS_DIST) may not have canonicalRecordsWithSize.
const dns = (await import(distIndex)) as Omit<Dns, "canonicalRecordsWithSize"> &
  Partial<Pick<Dns, "canonicalRecordsWithSize">>;

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const RRSETS = Number(process.env.BENCH_RRSETS ?? 20_000);
const ORIGIN = "example.com";

interface RRset {
  name: string;
  type: string;
  records: string[];
}

/** Deterministic xorshift, so every run and every build sees the same input. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x1_0000_0000;
  };
}

const IDNA = ["bücher", "straße", "münchen", "café", "日本語", "пример", "ελληνικά"];

function generate(count: number): RRset[] {
  const rand = rng(14);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
  const int = (n: number) => Math.floor(rand() * n);
  const out: RRset[] = [];
  for (let i = 0; i < count; i++) {
    const k = i % 20;
    const idna = k === 19;
    const name = idna ? `${pick(IDNA)}-${i}` : k % 3 === 0 ? `host${i}.sub.${ORIGIN}.` : `Host${i}`;
    if (k < 6) {
      out.push({
        name,
        type: "A",
        records: Array.from({ length: 1 + int(4) }, (_, j) => `192.0.${int(256)}.${j + 1}`),
      });
    } else if (k < 9) {
      out.push({
        name,
        type: "AAAA",
        records: [`2001:DB8:${int(0xffff).toString(16)}::${(i % 9000) + 1}`, `2001:db8::${(i % 7000) + 1}`],
      });
    } else if (k < 11) {
      out.push({ name, type: "MX", records: [`10 mx1.${ORIGIN}.`, `20 Mail.${pick(IDNA)}.example.`] });
    } else if (k < 13) {
      out.push({
        name,
        type: "CNAME",
        records: [idna ? `${pick(IDNA)}.example.` : `target${i}.cdn.example.net`],
      });
    } else if (k < 14) {
      out.push({
        name: `_sip._tcp.${name}`,
        type: "SRV",
        records: [`10 60 5060 sip${i}.${ORIGIN}.`, `20 40 5061 backup.${ORIGIN}.`],
      });
    } else if (k < 15) {
      out.push({
        name,
        type: "CAA",
        records: ['0 issue "letsencrypt.org"', "0 issuewild ;", '128 iodef "mailto:security@example.com"'],
      });
    } else {
      // The batch: TXT rrsets of 40 records, a mix of plain and quoted, multi-string ones.
      const records = Array.from({ length: 40 }, (_, j) =>
        j % 4 === 0
          ? `"v=spf1 include:_spf${j}.example.com ~all" "second string ${i}"`
          : j % 4 === 1
            ? `google-site-verification=${i.toString(36)}x${j}abcdefghijklmnopqrstuvwxyz0123456789`
            : j % 4 === 2
              ? `"key=value; part=${j}; \\"quoted\\" \\240 text ${i}"`
              : `"${"x".repeat(60 + (j % 30))}-${i}-${j}"`,
      );
      out.push({ name, type: "TXT", records });
    }
  }
  return out;
}

const RECORD_OVERHEAD_OCTETS = 12;

/** One rrset the way the API's canonicalizeChange/checkRecords does it; returns its wire size. */
function canonicalise(rrset: RRset): number {
  dns.canonicalOwnerName(rrset.name, ORIGIN);
  const type = rrset.type as Parameters<Dns["canonicalRecords"]>[0];
  if (dns.canonicalRecordsWithSize) {
    const { records, rdataOctets } = dns.canonicalRecordsWithSize(type, rrset.records);
    return rdataOctets + RECORD_OVERHEAD_OCTETS * records.length;
  }
  const records = dns.canonicalRecords(type, rrset.records);
  return records.reduce(
    (sum, record) => sum + RECORD_OVERHEAD_OCTETS + dns.rdataToWire(type, record).length,
    0,
  );
}

const rrsets = generate(RRSETS);
const recordCount = rrsets.reduce((sum, rrset) => sum + rrset.records.length, 0);
const byType = new Map<string, number>();
for (const rrset of rrsets) byType.set(rrset.type, (byType.get(rrset.type) ?? 0) + rrset.records.length);

function once(): number {
  const start = process.hrtime.bigint();
  let octets = 0;
  for (const rrset of rrsets) octets += canonicalise(rrset);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (octets <= 0) throw new Error("no wire octets counted");
  return recordCount / seconds;
}

once(); // warm-up: JIT and the IDNA tables
const rates: number[] = [];
for (let i = 0; i < RUNS; i++) rates.push(once());

// Separately: only the 40-record TXT rrsets, the shape of the 1,000 × 40 batch.
const txt = rrsets.filter((rrset) => rrset.type === "TXT").slice(0, 1000);
const txtMs: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const start = process.hrtime.bigint();
  for (const rrset of txt) canonicalise(rrset);
  txtMs.push(Number(process.hrtime.bigint() - start) / 1e6);
}

const mix = [...byType].map(([type, n]) => `${type} ${((100 * n) / recordCount).toFixed(0)}%`).join(", ");
process.stdout.write(
  `\npackages/dns canonicalisation + wire size (${dns.canonicalRecordsWithSize ? "canonicalRecordsWithSize" : "canonicalRecords + rdataToWire"}), ` +
    `${rrsets.length} rrsets, ${recordCount} records (${mix}), ${os.cpus().length} cores, median of ${RUNS}\n\n`,
);
process.stdout.write(
  "| mix records/s (median) | min | max | 1,000 × 40 TXT records, ms (median) |\n|---|---|---|---|\n",
);
process.stdout.write(
  `| ${Math.round(median(rates)).toLocaleString("en")} | ${Math.round(Math.min(...rates)).toLocaleString("en")} | ` +
    `${Math.round(Math.max(...rates)).toLocaleString("en")} | ${median(txtMs).toFixed(1)} |\n`,
);
