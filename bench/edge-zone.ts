/**
 * Synthetic zones for the edge benchmarks (edge-qps.ts, edge-memory.ts): the same deterministic
 * content as an edge snapshot, as an RFC 1035 zone file (for knotd) and as a dnsperf query file.
 * Not a benchmark itself.
 */

import { seededRandom } from "@dnscove/testkit";

export const ORIGIN = "bench.example.";

export interface BenchRRset {
  name: string;
  type: string;
  ttl: number;
  records: string[];
}

/** Structurally the same as @dnscove/db's SnapshotContent (bench does not depend on @dnscove/db). */
export interface BenchSnapshot {
  origin: string;
  serial: number;
  rrsets: BenchRRset[];
}

const host = (i: number): string => `h${i}.${ORIGIN}`;

/** The type of the i-th generated rrset: 40% A, 20% AAAA, 10% MX, 15% TXT, 15% CNAME. */
export function typeOf(i: number): string {
  const k = i % 20;
  if (k < 8) return "A";
  if (k < 12) return "AAAA";
  if (k < 14) return "MX";
  if (k < 17) return "TXT";
  return "CNAME";
}

/** The nearest index at or below i whose rrset is an A rrset (a target for MX and CNAME). */
function aHostBelow(i: number): number {
  return i - (i % 20);
}

function generatedRRset(i: number): BenchRRset {
  const type = typeOf(i);
  const name = host(i);
  const b = (i >>> 8) & 0xff;
  const c = i & 0xff;
  switch (type) {
    case "A":
      // Every third A rrset has two records.
      return {
        name,
        type,
        ttl: 300,
        records:
          i % 3 === 0
            ? [`10.${i >>> 16}.${b}.${c}`, `10.${128 + (i >>> 16)}.${b}.${c}`]
            : [`10.${i >>> 16}.${b}.${c}`],
      };
    case "AAAA":
      return {
        name,
        type,
        ttl: 300,
        records: [`2001:db8::${(i >>> 16).toString(16)}:${(i & 0xffff).toString(16)}`],
      };
    case "MX":
      return { name, type, ttl: 3600, records: [`10 ${host(aHostBelow(i))}`] };
    case "TXT":
      return { name, type, ttl: 300, records: [`"v=bench1 host ${i}" "second string for ${i}"`] };
    default:
      // Half the CNAMEs stay inside the zone (the server follows them), half leave it.
      return {
        name,
        type,
        ttl: 300,
        records: [i % 2 === 0 ? host(aHostBelow(i)) : `target${i}.example.net.`],
      };
  }
}

/** Fixed apex and wildcard content. */
function fixedRRsets(serial: number): BenchRRset[] {
  return [
    {
      name: ORIGIN,
      type: "SOA",
      ttl: 3600,
      records: [`ns1.${ORIGIN} hostmaster.${ORIGIN} ${serial} 3600 600 1209600 300`],
    },
    { name: ORIGIN, type: "NS", ttl: 3600, records: [`ns1.${ORIGIN}`] },
    { name: ORIGIN, type: "MX", ttl: 3600, records: [`10 mail.${ORIGIN}`] },
    { name: `ns1.${ORIGIN}`, type: "A", ttl: 3600, records: ["127.0.0.1"] },
    { name: `mail.${ORIGIN}`, type: "A", ttl: 3600, records: ["192.0.2.25"] },
    { name: `*.wild.${ORIGIN}`, type: "A", ttl: 300, records: ["192.0.2.99"] },
    { name: `*.wild.${ORIGIN}`, type: "TXT", ttl: 300, records: ['"wildcard answer"'] },
  ];
}

/** A zone of exactly `total` rrsets (7 fixed ones, the rest generated). */
export function buildSnapshot(total: number, serial = 1): BenchSnapshot {
  const rrsets = fixedRRsets(serial);
  const generated = Math.max(0, total - rrsets.length);
  for (let i = 0; i < generated; i++) rrsets.push(generatedRRset(i));
  return { origin: ORIGIN, serial, rrsets };
}

export function generatedCount(snapshot: BenchSnapshot): number {
  return snapshot.rrsets.length - fixedRRsets(snapshot.serial).length;
}

export function recordCount(snapshot: BenchSnapshot): number {
  let n = 0;
  for (const rs of snapshot.rrsets) n += rs.records.length;
  return n;
}

/** The same content as a zone file (absolute names only, so there is nothing to interpret). */
export function toZoneFile(snapshot: BenchSnapshot): string {
  const lines = [`$ORIGIN ${snapshot.origin}`, "$TTL 300"];
  for (const rs of snapshot.rrsets) {
    for (const r of rs.records) lines.push(`${rs.name} ${rs.ttl} IN ${rs.type} ${r}`);
  }
  return `${lines.join("\n")}\n`;
}

export type QueryKind = "existing" | "nodata" | "nxdomain" | "wildcard";

export interface BenchQuery {
  kind: QueryKind;
  name: string;
  type: string;
}

/**
 * A shuffled query mix: 65% existing names with their own type (CNAMEs asked for A, so in-zone
 * ones are followed), 5% existing names with a type they do not have (NODATA), 15% NXDOMAIN,
 * 15% wildcard hits (A and TXT, the wildcard owns both).
 */
export function buildQueries(snapshot: BenchSnapshot, count: number, seed = 42): BenchQuery[] {
  const rand = seededRandom(seed);
  const n = generatedCount(snapshot);
  const pick = (): number => Math.floor(rand() * n);
  const out: BenchQuery[] = [];
  for (let q = 0; q < count; q++) {
    const r = rand();
    if (r < 0.65) {
      const i = pick();
      const t = typeOf(i);
      out.push({ kind: "existing", name: host(i), type: t === "CNAME" ? "A" : t });
    } else if (r < 0.7) {
      const i = pick();
      out.push({ kind: "nodata", name: host(i), type: typeOf(i) === "TXT" ? "A" : "SRV" });
    } else if (r < 0.85) {
      out.push({ kind: "nxdomain", name: `nx${Math.floor(rand() * 1e9)}.${ORIGIN}`, type: "A" });
    } else {
      out.push({
        kind: "wildcard",
        name: `w${Math.floor(rand() * 1e9)}.wild.${ORIGIN}`,
        type: rand() < 0.8 ? "A" : "TXT",
      });
    }
  }
  return out;
}

export function toDnsperfFile(queries: BenchQuery[]): string {
  return `${queries.map((q) => `${q.name} ${q.type}`).join("\n")}\n`;
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** The p-th percentile (0..100), nearest-rank. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}
