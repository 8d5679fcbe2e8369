/**
 * DNSSEC signing cost (issue 16): a 100,000-rrset zone signed cold, and a one-rrset change applied
 * incrementally to the signed zone (the SOA serial bump that goes with every publish included),
 * and a restore of the signed zone from its stored records (what a restart costs).
 * Usage: pnpm --filter @dnscove/bench bench:dnssec-sign   (BENCH_ALG=15 for Ed25519,
 * BENCH_RRSETS, BENCH_RUNS, BENCH_CHANGES to resize). Prints medians of wall time and of this
 * process's CPU time (process.cpuUsage), which stays meaningful on a loaded machine.
 */
import os from "node:os";
import { median } from "./lib.js";

const dnssec = await import(new URL("../packages/dnssec/dist/index.js", import.meta.url).href);
type Dnssec = typeof import("../packages/dnssec/dist/index.js");
const { SignedZone, generateKey, initialKeys, validityAt } = dnssec as Dnssec;

const ALG = Number(process.env.BENCH_ALG ?? 13) as 13 | 15;
const RRSETS = Number(process.env.BENCH_RRSETS ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const CHANGES = Number(process.env.BENCH_CHANGES ?? 21);
const ORIGIN = "example.com.";

function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

type Rec = {
  name: string;
  type: "SOA" | "NS" | "A" | "AAAA" | "TXT" | "MX" | "DS";
  ttl: number;
  rdata: string;
};

function soa(serial: number): string {
  return `ns1.example.com. hostmaster.example.com. ${serial} 7200 900 1209600 300`;
}

/** RRSETS rrsets: mostly A/AAAA/TXT/MX at names one to three labels deep, 1% delegations with glue. */
function zone(): Rec[] {
  const rand = rng(16);
  const out: Rec[] = [
    { name: ORIGIN, type: "SOA", ttl: 3600, rdata: soa(1) },
    { name: ORIGIN, type: "NS", ttl: 3600, rdata: "ns1.example.com." },
  ];
  let rrsets = 2;
  for (let i = 0; rrsets < RRSETS; i++) {
    const name = `h${i}.${rand() < 0.3 ? `l${Math.floor(rand() * 50)}.` : ""}${ORIGIN}`;
    const k = rand();
    if (k < 0.01) {
      out.push({ name, type: "NS", ttl: 3600, rdata: `ns.${name}` });
      out.push({ name: `ns.${name}`, type: "A", ttl: 3600, rdata: "192.0.2.53" });
      out.push({ name, type: "DS", ttl: 3600, rdata: `${i % 65536} 13 2 ${"AB".repeat(32)}` });
      rrsets += 3;
    } else {
      const type = k < 0.5 ? "A" : k < 0.7 ? "AAAA" : k < 0.9 ? "TXT" : "MX";
      const rdata =
        type === "A"
          ? `192.0.2.${i % 250}`
          : type === "AAAA"
            ? `2001:db8::${(i % 65535).toString(16)}`
            : type === "TXT"
              ? `"record ${i}"`
              : `10 mx${i % 7}.example.com.`;
      out.push({ name, type, ttl: 300, rdata });
      rrsets++;
    }
  }
  return out;
}

function cpuMs(start: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
}

const records = zone();
const ksk = generateKey("ksk", ALG);
const zsk = generateKey("zsk", ALG);
const keys = initialKeys(ksk, zsk);
const now = Math.floor(Date.now() / 1000);

console.log(
  `uptime: ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}; cpus ${os.cpus().length}`,
);
console.log(`zone: ${RRSETS} rrsets (${records.length} records), algorithm ${ALG}`);

const coldWall: number[] = [];
const coldCpu: number[] = [];
let signed: ReturnType<typeof SignedZone.sign> | undefined;
for (let r = 0; r < RUNS; r++) {
  const c = process.cpuUsage();
  const t = performance.now();
  signed = SignedZone.sign(ORIGIN, records, keys, validityAt(now));
  coldWall.push(performance.now() - t);
  coldCpu.push(cpuMs(c));
}
if (!signed) throw new Error("no runs");
const sigs = signed.records().filter((r) => r.type === "RRSIG").length;
console.log(
  `cold sign: median ${median(coldWall).toFixed(0)} ms wall, ${median(coldCpu).toFixed(0)} ms CPU over ${RUNS} runs; ${sigs} RRSIGs`,
);

{
  // A restart: rebuild from the stored records, verifying every stored signature (none re-signed).
  const stored = signed.records();
  const data = signed.dataRecords();
  const c = process.cpuUsage();
  const t = performance.now();
  const { diff } = SignedZone.restore(ORIGIN, data, stored, keys, validityAt(now));
  console.log(
    `restore (verify all stored signatures): ${(performance.now() - t).toFixed(0)} ms wall, ${cpuMs(c).toFixed(0)} ms CPU, one run; ${diff.added.length} re-signed`,
  );
}

const rand = rng(99);
const changeWall: number[] = [];
const changeCpu: number[] = [];
const newNameWall: number[] = [];
const newNameCpu: number[] = [];
for (let r = 0; r < CHANGES; r++) {
  const serial = 100 + r * 2;
  // One existing rrset's data replaced.
  let c = process.cpuUsage();
  let t = performance.now();
  signed.apply(
    [
      { name: "h1.example.com.", type: "TXT", ttl: 300, records: [`"changed ${r} ${rand()}"`] },
      { name: ORIGIN, type: "SOA", ttl: 3600, records: [soa(serial)] },
    ],
    validityAt(now),
  );
  changeWall.push(performance.now() - t);
  changeCpu.push(cpuMs(c));
  // One new name (two NSEC3 links change).
  c = process.cpuUsage();
  t = performance.now();
  signed.apply(
    [
      { name: `new${r}.example.com.`, type: "A", ttl: 300, records: ["192.0.2.1"] },
      { name: ORIGIN, type: "SOA", ttl: 3600, records: [soa(serial + 1)] },
    ],
    validityAt(now),
  );
  newNameWall.push(performance.now() - t);
  newNameCpu.push(cpuMs(c));
}
console.log(
  `incremental, one rrset changed: median ${median(changeWall).toFixed(2)} ms wall, ${median(changeCpu).toFixed(2)} ms CPU over ${CHANGES} rounds`,
);
console.log(
  `incremental, one new name: median ${median(newNameWall).toFixed(2)} ms wall, ${median(newNameCpu).toFixed(2)} ms CPU over ${CHANGES} rounds`,
);
console.log(
  `uptime after: ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`,
);
