/**
 * Child zones signed by @dnscove/dnssec (the library the API signs with at publish), as zone texts
 * Knot and NSD serve pre-signed, and the ways a rogue server changes them behind the signer's back.
 */
import type { WireRecordType } from "@dnscove/dns";
import {
  type Algorithm,
  generateKey,
  initialKeys,
  SignedZone,
  type SigningKey,
  validityAt,
  type ZoneRecordInput,
  zoneFileLine,
} from "@dnscove/dnssec";

export interface ChildZone {
  origin: string;
  ksk: SigningKey;
  zsk: SigningKey;
  zone: SignedZone;
  serial: number;
  /** The DS RDATA for the parent (SHA-256, RFC 4509), from the library's `dsText`. */
  ds(): string;
  /** The signed zone as a zone file: data (SOA first) and every DNSSEC record, one per line. */
  text(): string;
  /** Moves to the next serial (the SOA and its RRSIG re-signed) and returns the new text. */
  bump(): string;
}

const now = () => Math.floor(Date.now() / 1000);

/** A key whose tag differs from `avoid`'s: validators pick candidate keys by tag. */
export function newKey(
  role: "ksk" | "zsk",
  algorithm: Algorithm,
  avoid: readonly SigningKey[] = [],
): SigningKey {
  for (;;) {
    const key = generateKey(role, algorithm);
    if (!avoid.some((k) => k.keyTag === key.keyTag)) return key;
  }
}

function soa(origin: string, serial: number): ZoneRecordInput {
  return {
    name: origin,
    type: "SOA",
    ttl: 300,
    rdata: `ns1.${origin} hostmaster.${origin} ${serial} 1800 900 604800 300`,
  };
}

/**
 * Signs `records` (absolute names, no SOA: one is added at serial 1) as `origin` with a new KSK and
 * ZSK of `algorithm`.
 */
export function signChildZone(
  origin: string,
  records: ReadonlyArray<{ name: string; type: string; ttl: number; rdata: string }>,
  algorithm: Algorithm,
): ChildZone {
  const ksk = newKey("ksk", algorithm);
  const zsk = newKey("zsk", algorithm, [ksk]);
  const input: ZoneRecordInput[] = [
    soa(origin, 1),
    ...records.map((r) => ({ ...r, type: r.type as WireRecordType })),
  ];
  const zone = SignedZone.sign(origin, input, initialKeys(ksk, zsk), validityAt(now()));
  const child: ChildZone = {
    origin,
    ksk,
    zsk,
    zone,
    serial: 1,
    ds: () => ksk.dsText(origin),
    text: () => zoneFileText(zone),
    bump() {
      child.serial++;
      const next = soa(origin, child.serial);
      zone.apply([{ name: origin, type: "SOA", ttl: next.ttl, records: [next.rdata] }], validityAt(now()));
      return zoneFileText(zone);
    },
  };
  return child;
}

export function zoneFileText(zone: SignedZone): string {
  const data = zone.dataRecords();
  // The SOA first: some servers and validators expect the apex SOA before anything else.
  data.sort((a, b) => (a.type === "SOA" ? -1 : b.type === "SOA" ? 1 : 0));
  return `${[`$ORIGIN ${zone.origin}`, ...data.map(zoneFileLine), ...zone.records().map(zoneFileLine)].join("\n")}\n`;
}

/** The zone text with the one line `from` replaced by `to` (throws unless exactly one line matches). */
export function replaceLine(text: string, from: string, to: string | undefined): string {
  const lines = text.split("\n");
  const hits = lines.filter((l) => l === from).length;
  if (hits !== 1) throw new Error(`expected exactly one line "${from}" in the zone text, found ${hits}`);
  return lines.flatMap((l) => (l === from ? (to === undefined ? [] : [to]) : [l])).join("\n");
}

/** The zone text without the RRSIG(s) covering `type` at `name` (an rrset served unsigned). */
export function withoutSignatures(text: string, name: string, type: string): string {
  const prefix = new RegExp(`^${name.replace(/[.*]/g, "\\$&")} \\d+ IN RRSIG ${type} `);
  const lines = text.split("\n");
  const kept = lines.filter((l) => !prefix.test(l));
  if (kept.length === lines.length) throw new Error(`no RRSIG ${type} at ${name} in the zone text`);
  return kept.join("\n");
}
