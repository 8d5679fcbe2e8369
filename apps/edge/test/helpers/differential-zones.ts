/**
 * Two hosted zones (a parent and its delegated, also hosted, child) built to exercise every lookup
 * corner that the differential test compares against Knot and NSD: RFC 4592 wildcards (below empty
 * non-terminals, at several depths, wildcard CNAME, the "*" owner queried directly), CNAME chains
 * (in zone, out of zone, into the child zone, to a wildcard, loops, dangling), delegations with and
 * without glue, DS at a cut, large RRsets that truncate at 512 and at 1232 octets, and MX/SRV/NS
 * targets in zone, via a wildcard and out of zone.
 */
import type { SnapshotContent } from "@dnscove/db";

export const PARENT = "dt.test.";
export const CHILD = "child.dt.test.";

const rel = (o: string) => (r: string) => (r === "@" ? o : `${r}.${o}`);

/** `count` A records 10.x.y.z: 16 + owner octets each, so the RRset size is easy to steer. */
function manyA(count: number, base: number): string[] {
  return Array.from({ length: count }, (_, i) => `10.${base}.${Math.floor(i / 250)}.${(i % 250) + 1}`);
}

export function parentZone(serial: number): SnapshotContent {
  const n = rel(PARENT);
  return {
    origin: PARENT,
    serial,
    rrsets: [
      {
        name: PARENT,
        type: "SOA",
        ttl: 3600,
        records: [`ns1.${PARENT} hostmaster.${PARENT} ${serial} 3600 600 86400 300`],
      },
      // Out-of-zone apex NS on purpose: NSD (default configuration) adds the apex NS RRset and its
      // glue to every positive answer, which would hide the MX/SRV additional data from comparison.
      // The child zone has an in-zone apex NS, so NS additional data is covered there.
      { name: PARENT, type: "NS", ttl: 3600, records: ["ns.out.example.", "ns2.out.example."] },
      { name: PARENT, type: "A", ttl: 300, records: ["192.0.2.1"] },
      { name: PARENT, type: "AAAA", ttl: 300, records: ["2001:db8::1"] },
      {
        name: PARENT,
        type: "MX",
        ttl: 300,
        records: [`10 ${n("mail")}`, "20 mx.out.example.", `30 ${n("foo.wc")}`],
      },
      { name: PARENT, type: "TXT", ttl: 300, records: ['"v=spf1 -all"'] },
      { name: PARENT, type: "CAA", ttl: 300, records: ['0 issue "letsencrypt.org"'] },
      { name: n("ns1"), type: "A", ttl: 300, records: ["192.0.2.53"] },
      { name: n("ns2"), type: "A", ttl: 300, records: ["192.0.2.54"] },
      { name: n("ns2"), type: "AAAA", ttl: 300, records: ["2001:db8::54"] },
      { name: n("mail"), type: "A", ttl: 300, records: ["192.0.2.25"] },
      { name: n("mail"), type: "AAAA", ttl: 300, records: ["2001:db8::25"] },
      { name: n("host"), type: "A", ttl: 300, records: ["192.0.2.10"] },
      { name: n("host"), type: "TXT", ttl: 300, records: ['"host"'] },
      { name: n("10.rev"), type: "PTR", ttl: 300, records: [n("host")] },
      // Wildcards (RFC 4592): at depth 1, with A+AAAA, used as MX/SRV/NS targets.
      { name: n("*.wc"), type: "A", ttl: 120, records: ["192.0.2.50"] },
      { name: n("*.wc"), type: "AAAA", ttl: 120, records: ["2001:db8::50"] },
      { name: n("*.wc"), type: "TXT", ttl: 120, records: ['"wild"'] },
      { name: n("exact.wc"), type: "TXT", ttl: 300, records: ['"exact"'] },
      {
        name: n("*.wmx"),
        type: "MX",
        ttl: 120,
        records: [`10 ${n("foo.wc")}`, `20 ${n("mail")}`, "30 mx.out.example."],
      },
      { name: n("*.wsrv"), type: "SRV", ttl: 120, records: [`0 5 443 ${n("bar.wc")}`] },
      // Wildcard below an empty non-terminal ("x.ent" and "ent" own nothing).
      { name: n("*.x.ent"), type: "A", ttl: 120, records: ["192.0.2.60"] },
      // Wildcard and an exact name below it; "deep.wild" and "wild" are empty non-terminals.
      { name: n("*.deep.wild"), type: "A", ttl: 120, records: ["192.0.2.70"] },
      { name: n("sub.deep.wild"), type: "A", ttl: 300, records: ["192.0.2.77"] },
      // Wildcard at depth 3 with a child of the "*" node itself ("*" is then a non-terminal).
      { name: n("*.c.b.a"), type: "TXT", ttl: 120, records: ['"abc"'] },
      { name: n("z.*.c.b.a"), type: "A", ttl: 120, records: ["192.0.2.80"] },
      // Wildcard CNAMEs: in zone, out of zone, into another wildcard, self-loop through the wildcard.
      { name: n("*.cw"), type: "CNAME", ttl: 120, records: [n("host")] },
      { name: n("*.cwo"), type: "CNAME", ttl: 120, records: ["target.out.example."] },
      { name: n("*.cww"), type: "CNAME", ttl: 120, records: [n("via.wc")] },
      { name: n("*.cwl"), type: "CNAME", ttl: 120, records: [n("again.cwl")] },
      // CNAME chains.
      { name: n("www"), type: "CNAME", ttl: 300, records: [n("www2")] },
      { name: n("www2"), type: "CNAME", ttl: 300, records: [n("host")] },
      { name: n("out"), type: "CNAME", ttl: 300, records: ["target.out.example."] },
      { name: n("towild"), type: "CNAME", ttl: 300, records: [n("some.wc")] },
      { name: n("toent"), type: "CNAME", ttl: 300, records: [n("x.ent")] },
      { name: n("loop1"), type: "CNAME", ttl: 300, records: [n("loop2")] },
      { name: n("loop2"), type: "CNAME", ttl: 300, records: [n("loop1")] },
      { name: n("self"), type: "CNAME", ttl: 300, records: [n("self")] },
      { name: n("dangling"), type: "CNAME", ttl: 300, records: [n("nothing")] },
      { name: n("tochild"), type: "CNAME", ttl: 300, records: [`www.${CHILD}`] },
      { name: n("tosub"), type: "CNAME", ttl: 300, records: [n("host.sub")] },
      { name: n("toapex"), type: "CNAME", ttl: 300, records: [PARENT] },
      // Delegations: in-bailiwick glue plus an out-of-zone NS; no glue at all; a sibling NS; the child.
      { name: n("sub"), type: "NS", ttl: 3600, records: [n("ns1.sub"), "ns.out.example."] },
      {
        name: n("sub"),
        type: "DS",
        ttl: 3600,
        records: ["12345 13 2 3A6B0C2D1E4F5A6B7C8D9E0F1A2B3C4D5E6F7A8B9C0D1E2F3A4B5C6D7E8F9A0B"],
      },
      { name: n("ns1.sub"), type: "A", ttl: 3600, records: ["192.0.2.153"] },
      { name: n("ns1.sub"), type: "AAAA", ttl: 3600, records: ["2001:db8::153"] },
      { name: n("nog"), type: "NS", ttl: 3600, records: ["ns1.out.example.", "ns2.out.example."] },
      { name: n("sib"), type: "NS", ttl: 3600, records: [n("ns1"), n("foo.wc")] },
      { name: CHILD, type: "NS", ttl: 3600, records: [`ns1.${CHILD}`] },
      {
        name: CHILD,
        type: "DS",
        ttl: 3600,
        records: ["54321 13 2 0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF"],
      },
      { name: `ns1.${CHILD}`, type: "A", ttl: 3600, records: ["192.0.2.200"] },
      // A delegation whose in-bailiwick NS names have no addresses at all (lame glue).
      { name: n("lame"), type: "NS", ttl: 3600, records: [n("ns.lame"), n("ns2.lame")] },
      // A delegation with so much glue that a referral does not fit in 512 octets (RFC 9471).
      {
        name: n("bigdeleg"),
        type: "NS",
        ttl: 3600,
        records: Array.from({ length: 10 }, (_, i) => n(`nameserver${i}.bigdeleg`)),
      },
      ...Array.from({ length: 10 }, (_, i) => ({
        name: n(`nameserver${i}.bigdeleg`),
        type: "A",
        ttl: 3600,
        records: [`192.0.2.${20 + i}`],
      })),
      ...Array.from({ length: 10 }, (_, i) => ({
        name: n(`nameserver${i}.bigdeleg`),
        type: "AAAA",
        ttl: 3600,
        records: [`2001:db8:1::${20 + i}`],
      })),
      // A CNAME chain of 20 links inside the zone, ending at an address.
      ...Array.from({ length: 20 }, (_, i) => ({
        name: n(`chain${i}`),
        type: "CNAME",
        ttl: 300,
        records: [i === 19 ? n("host") : n(`chain${i + 1}`)],
      })),
      // MX/SRV targets: in zone, via wildcard, out of zone; NS RRset of an in-zone name (not a cut).
      {
        name: n("mx"),
        type: "MX",
        ttl: 300,
        records: [`10 ${n("mail")}`, `20 ${n("any.wc")}`, "30 mx.out.example."],
      },
      {
        name: n("_sip._tcp"),
        type: "SRV",
        ttl: 300,
        records: [`10 60 5060 ${n("host")}`, `20 40 5061 ${n("sip.wc")}`, "30 10 5062 sip.out.example."],
      },
      // Large RRsets: ~650 octets (truncates without EDNS), ~1500 octets (truncates at 1232 too).
      { name: n("big512"), type: "A", ttl: 300, records: manyA(32, 1) },
      { name: n("big1232"), type: "A", ttl: 300, records: manyA(80, 2) },
      {
        name: n("bigtxt"),
        type: "TXT",
        ttl: 300,
        records: [Array.from({ length: 3 }, () => `"${"t".repeat(200)}"`).join(" ")],
      },
      // Many MX targets with addresses: the additional section overflows at 512.
      {
        name: n("mxmany"),
        type: "MX",
        ttl: 300,
        records: Array.from({ length: 12 }, (_, i) => `${i} m${i}.mxhosts.${PARENT}`),
      },
      ...Array.from({ length: 12 }, (_, i) => ({
        name: `m${i}.mxhosts.${PARENT}`,
        type: "A",
        ttl: 300,
        records: [`192.0.2.${100 + i}`],
      })),
      ...Array.from({ length: 12 }, (_, i) => ({
        name: `m${i}.mxhosts.${PARENT}`,
        type: "AAAA",
        ttl: 300,
        records: [`2001:db8::${(100 + i).toString(16)}`],
      })),
    ],
  };
}

export function childZone(serial: number): SnapshotContent {
  const n = rel(CHILD);
  return {
    origin: CHILD,
    serial,
    rrsets: [
      {
        name: CHILD,
        type: "SOA",
        ttl: 3600,
        records: [`ns1.${CHILD} hostmaster.${CHILD} ${serial} 3600 600 86400 60`],
      },
      { name: CHILD, type: "NS", ttl: 3600, records: [n("ns1")] },
      { name: CHILD, type: "MX", ttl: 300, records: [`10 ${n("mail")}`, `20 mail.${PARENT}`] },
      { name: n("ns1"), type: "A", ttl: 3600, records: ["192.0.2.200"] },
      { name: n("mail"), type: "A", ttl: 300, records: ["192.0.2.201"] },
      { name: n("www"), type: "A", ttl: 300, records: ["192.0.2.202"] },
      { name: n("up"), type: "CNAME", ttl: 300, records: [`host.${PARENT}`] },
      { name: n("*"), type: "A", ttl: 60, records: ["192.0.2.222"] },
      { name: n("*"), type: "MX", ttl: 60, records: [`10 ${n("mx.wild")}`] },
      { name: n("*.wild"), type: "A", ttl: 60, records: ["192.0.2.223"] },
    ],
  };
}

/** Names (relative to the parent unless absolute) the query generator draws from. */
export const QUERY_NAMES: readonly string[] = [
  "@",
  "ns1",
  "ns2",
  "mail",
  "host",
  "10.rev",
  "rev",
  "nosuch",
  "a.nosuch",
  "*.wc",
  "wc",
  "exact.wc",
  "foo.wc",
  "a.b.wc",
  "x.exact.wc",
  "*.wmx",
  "one.wmx",
  "two.wsrv",
  "wsrv",
  "ent",
  "x.ent",
  "y.x.ent",
  "a.b.x.ent",
  "*.x.ent",
  "y.ent",
  "*.ent",
  "wild",
  "deep.wild",
  "q.deep.wild",
  "sub.deep.wild",
  "x.sub.deep.wild",
  "*.deep.wild",
  "a.*.deep.wild",
  "a",
  "b.a",
  "c.b.a",
  "*.c.b.a",
  "q.c.b.a",
  "z.*.c.b.a",
  "y.*.c.b.a",
  "q.r.c.b.a",
  "h.cw",
  "*.cw",
  "h.cwo",
  "h.cww",
  "h.cwl",
  "again.cwl",
  "cw",
  "www",
  "www2",
  "out",
  "towild",
  "toent",
  "loop1",
  "loop2",
  "self",
  "dangling",
  "tochild",
  "tosub",
  "toapex",
  "sub",
  "ns1.sub",
  "host.sub",
  "a.b.sub",
  "nog",
  "x.nog",
  "sib",
  "x.sib",
  "mx",
  "_sip._tcp",
  "_tcp",
  "_udp",
  "big512",
  "big1232",
  "bigtxt",
  "mxmany",
  "mxhosts",
  "m3.mxhosts",
  CHILD,
  `ns1.${CHILD}`,
  `mail.${CHILD}`,
  `www.${CHILD}`,
  `up.${CHILD}`,
  `zz.${CHILD}`,
  `*.${CHILD}`,
  `a.b.${CHILD}`,
  `wild.${CHILD}`,
  `q.wild.${CHILD}`,
  `*.wild.${CHILD}`,
  `mx.wild.${CHILD}`,
  "test.",
  ".",
  "example.com.",
  "other.test.",
  "xdt.test.",
  "t.test.",
];

export const QUERY_TYPES: readonly string[] = [
  "A",
  "AAAA",
  "NS",
  "CNAME",
  "SOA",
  "MX",
  "TXT",
  "SRV",
  "DS",
  "PTR",
  "CAA",
  "ANY",
  "HINFO",
  "UNKNOWN_65280",
  "UNKNOWN_999",
  // DNSSEC types on unsigned zones, meta types and zone transfers over UDP.
  "RRSIG",
  "NSEC",
  "DNSKEY",
  "NSEC3PARAM",
  "NULL",
  "OPT",
  "TSIG",
  "AXFR",
  "IXFR",
  "UNKNOWN_253", // MAILB
  "UNKNOWN_254", // MAILA
];
