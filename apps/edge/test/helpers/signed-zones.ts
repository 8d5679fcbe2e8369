/**
 * Signed test zones (issue 16): data with the shapes DNSSEC answers must handle, signed by
 * @dnscove/dnssec, turned into what the API publishes (a snapshot whose DNSSEC records are
 * ordinary rrsets, one RRSIG rrset per owner: the DNSSEC contract) and into a zone file for Knot.
 */
import type { SnapshotContent, SnapshotRRset } from "@dnscove/db";
import {
  type Algorithm,
  type DnssecRecord,
  generateKey,
  initialKeys,
  SignedZone,
  validityAt,
  type ZoneRecordInput,
  zoneFileLine,
} from "@dnscove/dnssec";

export function soaRecord(origin: string, serial: number): ZoneRecordInput {
  return {
    name: origin,
    type: "SOA",
    ttl: 3600,
    rdata: `ns1.${origin} hostmaster.${origin} ${serial} 7200 900 1209600 300`,
  };
}

/** Apex, secure and insecure delegations with glue, a wildcard, empty non-terminals, CNAMEs, MX, SRV. */
export function zoneData(origin: string, serial: number): ZoneRecordInput[] {
  const o = origin;
  return [
    soaRecord(o, serial),
    { name: o, type: "NS", ttl: 3600, rdata: `ns1.${o}` },
    { name: o, type: "NS", ttl: 3600, rdata: "ns2.other.test." },
    { name: o, type: "MX", ttl: 3600, rdata: `10 mail.${o}` },
    { name: o, type: "MX", ttl: 3600, rdata: `20 x.wild.${o}` },
    { name: o, type: "TXT", ttl: 300, rdata: '"v=spf1 -all"' },
    { name: `ns1.${o}`, type: "A", ttl: 300, rdata: "192.0.2.53" },
    { name: `mail.${o}`, type: "A", ttl: 300, rdata: "192.0.2.25" },
    { name: `mail.${o}`, type: "AAAA", ttl: 600, rdata: "2001:db8::25" },
    { name: `www.${o}`, type: "CNAME", ttl: 300, rdata: `mail.${o}` },
    { name: `ext.${o}`, type: "CNAME", ttl: 300, rdata: "target.example.net." },
    { name: `dangling.${o}`, type: "CNAME", ttl: 300, rdata: `nowhere.${o}` },
    { name: `*.wild.${o}`, type: "A", ttl: 300, rdata: "192.0.2.80" },
    { name: `*.wild.${o}`, type: "TXT", ttl: 120, rdata: '"wildcard"' },
    { name: `*.cw.${o}`, type: "CNAME", ttl: 300, rdata: `mail.${o}` },
    { name: `deep.a.b.${o}`, type: "A", ttl: 300, rdata: "192.0.2.9" },
    { name: `_sip._tcp.${o}`, type: "SRV", ttl: 300, rdata: `10 5 5060 mail.${o}` },
    // Many records: the signed answer outgrows small EDNS sizes.
    ...Array.from({ length: 12 }, (_, i) => ({
      name: `big.${o}`,
      type: "TXT" as const,
      ttl: 300,
      rdata: `"${"x".repeat(60)} ${i}"`,
    })),
    // Secure delegation with in-bailiwick glue.
    { name: `secure.${o}`, type: "NS", ttl: 3600, rdata: `ns.secure.${o}` },
    {
      name: `secure.${o}`,
      type: "DS",
      ttl: 3600,
      rdata: "12345 13 2 9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08",
    },
    { name: `ns.secure.${o}`, type: "A", ttl: 3600, rdata: "192.0.2.54" },
    // Insecure delegation with glue.
    { name: `insecure.${o}`, type: "NS", ttl: 3600, rdata: `ns.insecure.${o}` },
    { name: `ns.insecure.${o}`, type: "AAAA", ttl: 3600, rdata: "2001:db8::53" },
    // A delegation below an empty non-terminal, out-of-zone NS.
    { name: `child.ent.${o}`, type: "NS", ttl: 3600, rdata: "ns.example.net." },
  ];
}

export interface SignedFixture {
  zone: SignedZone;
  data: ZoneRecordInput[];
}

/** Signs `data` with a fresh KSK + ZSK of `algorithm`, valid from an hour ago (validityAt). */
export function signFixture(origin: string, data: ZoneRecordInput[], algorithm: Algorithm): SignedFixture {
  const keys = initialKeys(generateKey("ksk", algorithm), generateKey("zsk", algorithm));
  const zone = SignedZone.sign(origin, data, keys, validityAt(Math.floor(Date.now() / 1000)));
  return { zone, data };
}

/**
 * Data records plus DNSSEC records as the API publishes them: rrsets by (name, type), every RRSIG
 * of one owner in one RRSIG rrset whose TTL is the least of its records' (the DNSSEC contract).
 */
export function toRRsets(data: readonly ZoneRecordInput[], dnssec: readonly DnssecRecord[]): SnapshotRRset[] {
  const map = new Map<string, SnapshotRRset>();
  for (const r of [...data, ...dnssec]) {
    const key = `${r.name} ${r.type}`;
    const rs = map.get(key);
    if (rs) {
      rs.records.push(r.rdata);
      rs.ttl = Math.min(rs.ttl, r.ttl);
    } else map.set(key, { name: r.name, type: r.type, ttl: r.ttl, records: [r.rdata] });
  }
  return [...map.values()];
}

export function snapshotOf(origin: string, serial: number, f: SignedFixture): SnapshotContent {
  return { origin, serial, rrsets: toRRsets(f.data, f.zone.records()) };
}

/** The same content as a zone file (absolute names, each RRSIG with its original TTL). */
export function zoneFileOf(f: SignedFixture): string {
  return `${[...f.data, ...f.zone.records()].map(zoneFileLine).join("\n")}\n`;
}
