/** Random test zones with the shapes DNSSEC signing must handle, and the real validators. */
import { createPublicKey, verify as cryptoVerify } from "node:crypto";
import type { WireRecordType } from "@dnscove/dns";
import { verifySignedZone, type ZoneValidatorResult } from "@dnscove/testkit";
import {
  type DnssecRecord,
  type RrsetChange,
  type SignedZone,
  type SigningKey,
  signatureOf,
  signedData,
  typeCode,
  type ZoneRecordInput,
  zoneFileLine,
} from "../src/index.js";

export const ORIGIN = "example.test.";

export function soa(serial: number): ZoneRecordInput {
  return {
    name: ORIGIN,
    type: "SOA",
    ttl: 3600,
    rdata: `ns1.example.test. hostmaster.example.test. ${serial} 7200 900 1209600 300`,
  };
}

function hex(rand: () => number, octets: number): string {
  let s = "";
  for (let i = 0; i < octets; i++)
    s += Math.floor(rand() * 256)
      .toString(16)
      .padStart(2, "0");
  return s.toUpperCase();
}

function ip4(rand: () => number): string {
  return `192.0.2.${1 + Math.floor(rand() * 250)}`;
}

/** Fixed shapes (delegations with and without DS, glue, wildcard, ENTs, CNAME, SRV, escaped TXT) plus `extra` random names. */
export function generateZone(rand: () => number, extra: number): ZoneRecordInput[] {
  const r: ZoneRecordInput[] = [
    soa(1),
    { name: ORIGIN, type: "NS", ttl: 3600, rdata: "ns1.example.test." },
    { name: ORIGIN, type: "NS", ttl: 3600, rdata: "ns2.other.test." },
    { name: ORIGIN, type: "MX", ttl: 3600, rdata: "10 mail.example.test." },
    { name: ORIGIN, type: "TXT", ttl: 300, rdata: '"v=spf1 -all" "quote \\" and backslash \\\\ and \\010"' },
    { name: ORIGIN, type: "CAA", ttl: 300, rdata: '0 issue "letsencrypt.org"' },
    { name: "ns1.example.test.", type: "A", ttl: 300, rdata: "192.0.2.53" },
    { name: "mail.example.test.", type: "AAAA", ttl: 300, rdata: "2001:db8::25" },
    { name: "www.example.test.", type: "CNAME", ttl: 300, rdata: "Target.Example.NET." },
    { name: "*.wild.example.test.", type: "A", ttl: 300, rdata: "192.0.2.80" },
    { name: "*.wild.example.test.", type: "TXT", ttl: 300, rdata: '"wildcard"' },
    { name: "deep.a.b.c.example.test.", type: "A", ttl: 300, rdata: "192.0.2.9" },
    { name: "_sip._tcp.example.test.", type: "SRV", ttl: 300, rdata: "10 5 5060 sip.example.test." },
    { name: "xn--bcher-kva.example.test.", type: "A", ttl: 300, rdata: "192.0.2.44" },
    { name: "-edge-.example.test.", type: "TXT", ttl: 300, rdata: '"hyphens at both ends"' },
    // Secure delegation with in-bailiwick glue.
    { name: "secure.example.test.", type: "NS", ttl: 3600, rdata: "ns.secure.example.test." },
    { name: "secure.example.test.", type: "DS", ttl: 3600, rdata: `12345 13 2 ${hex(rand, 32)}` },
    { name: "ns.secure.example.test.", type: "A", ttl: 3600, rdata: "192.0.2.54" },
    // Insecure delegation whose glue sits under an empty non-terminal below the cut (occluded).
    { name: "insecure.example.test.", type: "NS", ttl: 3600, rdata: "x.ns.insecure.example.test." },
    { name: "x.ns.insecure.example.test.", type: "AAAA", ttl: 3600, rdata: "2001:db8::53" },
    // A delegation below an empty non-terminal.
    { name: "child.ent.example.test.", type: "NS", ttl: 3600, rdata: "ns1.example.test." },
  ];
  for (let i = 0; i < extra; i++) r.push(...randomRrset(rand, i));
  return r;
}

const TYPES: WireRecordType[] = ["A", "AAAA", "TXT", "MX"];

function randomRdata(rand: () => number, type: WireRecordType): string {
  switch (type) {
    case "A":
      return ip4(rand);
    case "AAAA":
      return `2001:db8::${Math.floor(rand() * 65535).toString(16)}`;
    case "TXT":
      return `"t${Math.floor(rand() * 1e6)}"`;
    default:
      return `${Math.floor(rand() * 50)} mx${Math.floor(rand() * 5)}.example.test.`;
  }
}

export function randomName(rand: () => number, i: number): string {
  const depth = Math.floor(rand() * 3);
  const labels = [`h${i}`];
  for (let d = 0; d < depth; d++) labels.push(`l${Math.floor(rand() * 4)}`);
  return `${labels.join(".")}.${ORIGIN}`;
}

function randomRrset(rand: () => number, i: number): ZoneRecordInput[] {
  const name = randomName(rand, i);
  const type = TYPES[Math.floor(rand() * TYPES.length)] ?? "A";
  const n = 1 + Math.floor(rand() * 3);
  const out: ZoneRecordInput[] = [];
  for (let k = 0; k < n; k++) out.push({ name, type, ttl: 300, rdata: randomRdata(rand, type) });
  return out;
}

/** A random change: replace, add or delete an rrset, or add/remove a delegation (with glue) or an ENT-creating name. */
export function randomChange(rand: () => number, zone: SignedZone, step: number): RrsetChange[] {
  const data = zone.dataRecords().filter((r) => r.type !== "SOA");
  const pick = data[Math.floor(rand() * data.length)];
  const kind = Math.floor(rand() * 5);
  const changes: RrsetChange[] = [];
  // Glue a delegation still needs is not deleted (kzonecheck rightly rejects in-bailiwick NS without glue).
  const glue = new Set(data.filter((r) => r.type === "NS").map((r) => r.rdata));
  if (kind === 0 && pick && !(pick.name === ORIGIN && pick.type === "NS") && !glue.has(pick.name)) {
    changes.push({ name: pick.name, type: pick.type, ttl: pick.ttl, records: [] });
  } else if (kind === 1 && pick && (TYPES as string[]).includes(pick.type)) {
    changes.push({ name: pick.name, type: pick.type, ttl: 600, records: [randomRdata(rand, pick.type)] });
  } else if (kind === 2) {
    const d = `del${step}.x${Math.floor(rand() * 3)}.${ORIGIN}`;
    changes.push({ name: d, type: "NS", ttl: 3600, records: [`ns.${d}`] });
    changes.push({ name: `ns.${d}`, type: "A", ttl: 3600, records: [ip4(rand)] });
    if (rand() < 0.5)
      changes.push({ name: d, type: "DS", ttl: 3600, records: [`4242 13 2 ${hex(rand, 32)}`] });
  } else if (kind === 3) {
    const ns = data.filter((r) => r.type === "NS" && r.name !== ORIGIN);
    const cut = ns[Math.floor(rand() * ns.length)];
    if (cut) changes.push({ name: cut.name, type: "NS", ttl: 3600, records: [] });
  } else {
    const t = TYPES[Math.floor(rand() * TYPES.length)] ?? "A";
    changes.push({
      name: `n${step}.e${Math.floor(rand() * 2)}.f.${ORIGIN}`,
      type: t,
      ttl: 300,
      records: [randomRdata(rand, t)],
    });
  }
  changes.push({ name: ORIGIN, type: "SOA", ttl: 3600, records: [soa(100 + step).rdata] });
  return changes;
}

export function zoneFileText(zone: SignedZone, extra: DnssecRecord[] = zone.records()): string {
  const lines = [`$ORIGIN ${zone.origin}`];
  const data = zone.dataRecords();
  // SOA first: some validators read the origin's SOA before anything else.
  data.sort((a, b) => (a.type === "SOA" ? -1 : b.type === "SOA" ? 1 : 0));
  for (const r of data) lines.push(zoneFileLine(r));
  for (const r of extra) lines.push(zoneFileLine(r));
  return `${lines.join("\n")}\n`;
}

export type ValidatorResult = ZoneValidatorResult;

/** Runs dnssec-verify, kzonecheck and ldns-verify-zone on the zone text (@dnscove/testkit); a missing binary fails the test. */
export function validate(text: string, origin = ORIGIN, at?: number): Promise<ValidatorResult[]> {
  return verifySignedZone(text, origin, at === undefined ? {} : { at });
}

/** Verifies every RRSIG in the zone against its rrset with node:crypto. Returns the failures. */
export function verifyAllWithNodeCrypto(zone: SignedZone, keys: readonly SigningKey[]): string[] {
  const failures: string[] = [];
  const byTag = new Map(keys.map((k) => [k.keyTag, k]));
  for (const sig of zone.records().filter((r) => r.type === "RRSIG")) {
    const key = byTag.get(sig.keyTag ?? -1);
    const rrset = zone.rrsetToSign(sig.name, sig.covers ?? 0);
    if (!key || !rrset) {
      failures.push(`${sig.name} ${sig.rdata}: no key or rrset`);
      continue;
    }
    const data = signedData(sig.wire, rrset);
    const signature = signatureOf(sig.wire);
    const pub = publicKeyObject(key);
    const ok =
      key.algorithm === 13
        ? cryptoVerify("sha256", data, { key: pub, dsaEncoding: "ieee-p1363" }, signature)
        : cryptoVerify(null, data, pub, signature);
    if (!ok) failures.push(`${sig.name} ${sig.rdata}`);
  }
  return failures;
}

function publicKeyObject(key: SigningKey) {
  const p = Buffer.from(key.publicKey);
  if (key.algorithm === 15)
    return createPublicKey({
      key: { kty: "OKP", crv: "Ed25519", x: p.toString("base64url") },
      format: "jwk",
    });
  return createPublicKey({
    key: {
      kty: "EC",
      crv: "P-256",
      x: p.subarray(0, 32).toString("base64url"),
      y: p.subarray(32).toString("base64url"),
    },
    format: "jwk",
  });
}

/** The signed content with signature bytes and validity left out, for comparing an incremental result with a full re-sign. */
export function coveredView(zone: SignedZone): string[] {
  return zone
    .records()
    .map((r) =>
      r.type === "RRSIG"
        ? `${r.name} RRSIG ${r.rdata
            .split(" ")
            .filter((_, i) => i < 4 || i === 6 || i === 7)
            .join(" ")}`
        : `${r.name} ${r.ttl} ${r.type} ${r.rdata}`,
    )
    .sort();
}

export { typeCode };
