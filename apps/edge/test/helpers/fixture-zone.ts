/** A hand-written snapshot covering every record type and the tricky lookup cases. */
import type { SnapshotContent } from "@dnscove/db";

const LONG_CHUNK = "x".repeat(250);

export function fixtureZone(origin = "edge.test.", serial = 1): SnapshotContent {
  const o = origin;
  const n = (rel: string) => (rel === "@" ? o : `${rel}.${o}`);
  return {
    origin: o,
    serial,
    rrsets: [
      { name: o, type: "SOA", ttl: 3600, records: [`ns1.${o} hostmaster.${o} ${serial} 3600 600 86400 300`] },
      { name: o, type: "NS", ttl: 3600, records: [`ns1.${o}`, `ns2.${o}`] },
      { name: o, type: "A", ttl: 300, records: ["192.0.2.1"] },
      { name: o, type: "AAAA", ttl: 300, records: ["2001:db8::1"] },
      { name: o, type: "MX", ttl: 300, records: [`10 mail.${o}`, `20 mx.example.net.`] },
      { name: o, type: "TXT", ttl: 300, records: ['"v=spf1 -all"'] },
      {
        name: o,
        type: "CAA",
        ttl: 300,
        records: ['0 issue "letsencrypt.org"', '128 iodef "mailto:sec@example.com"'],
      },
      { name: n("ns1"), type: "A", ttl: 300, records: ["127.0.0.1"] },
      { name: n("ns2"), type: "A", ttl: 300, records: ["192.0.2.2"] },
      { name: n("ns2"), type: "AAAA", ttl: 300, records: ["2001:db8::2"] },
      { name: n("mail"), type: "A", ttl: 300, records: ["192.0.2.25"] },
      { name: n("txt"), type: "TXT", ttl: 300, records: ['"hello world" "second chunk"', '"single"'] },
      {
        name: n("long"),
        type: "TXT",
        ttl: 300,
        records: [Array.from({ length: 6 }, () => `"${LONG_CHUNK}"`).join(" ")],
      },
      { name: n("www"), type: "CNAME", ttl: 300, records: [`www2.${o}`] },
      { name: n("www2"), type: "CNAME", ttl: 300, records: [`host.${o}`] },
      { name: n("host"), type: "A", ttl: 300, records: ["192.0.2.10"] },
      { name: n("host"), type: "SSHFP", ttl: 300, records: ["1 1 0123456789ABCDEF0123456789ABCDEF01234567"] },
      { name: n("loop1"), type: "CNAME", ttl: 300, records: [`loop2.${o}`] },
      { name: n("loop2"), type: "CNAME", ttl: 300, records: [`loop1.${o}`] },
      { name: n("out"), type: "CNAME", ttl: 300, records: ["target.example.net."] },
      { name: n("dangling"), type: "CNAME", ttl: 300, records: [`nothing.${o}`] },
      { name: n("*.wild"), type: "A", ttl: 120, records: ["192.0.2.99"] },
      { name: n("*.wild"), type: "TXT", ttl: 120, records: ['"wildcard"'] },
      { name: n("sub.deep.wild"), type: "A", ttl: 300, records: ["192.0.2.77"] },
      { name: n("*.cn"), type: "CNAME", ttl: 300, records: [`host.${o}`] },
      { name: n("sub"), type: "NS", ttl: 3600, records: [`ns1.sub.${o}`, "ns.outside.example."] },
      {
        name: n("sub"),
        type: "DS",
        ttl: 3600,
        records: ["12345 13 2 3A6B0C2D1E4F5A6B7C8D9E0F1A2B3C4D5E6F7A8B9C0D1E2F3A4B5C6D7E8F9A0B"],
      },
      { name: n("ns1.sub"), type: "A", ttl: 3600, records: ["192.0.2.53"] },
      {
        name: n("_sip._tcp"),
        type: "SRV",
        ttl: 300,
        records: [`10 60 5060 host.${o}`, `20 40 5061 mail.${o}`],
      },
      {
        name: n("_443._tcp.host"),
        type: "TLSA",
        ttl: 300,
        records: ["3 1 1 0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF"],
      },
      { name: n("10.rev"), type: "PTR", ttl: 300, records: [`host.${o}`] },
      {
        name: n("sip"),
        type: "NAPTR",
        ttl: 300,
        records: ['100 10 "u" "E2U+sip" "!^.*$!sip:info@example.com!" .'],
      },
      { name: n("svc"), type: "SVCB", ttl: 300, records: [`1 host.${o} alpn="h2" port=8443`] },
      { name: n("web"), type: "HTTPS", ttl: 300, records: ['1 . alpn="h2,h3"'] },
      { name: n("spf"), type: "SPF", ttl: 300, records: ['"v=spf1 -all"'] },
    ],
  };
}
