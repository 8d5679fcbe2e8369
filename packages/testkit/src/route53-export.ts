/**
 * An `aws route53 list-resource-record-sets` export of `count` rrsets besides the apex SOA and NS,
 * a mix of common types (A, AAAA, TXT, MX), for tests and benchmarks that need a big import.
 */
export function route53Export(origin: string, count: number): string {
  const sets: unknown[] = [
    {
      Name: `${origin}.`,
      Type: "NS",
      TTL: 172800,
      ResourceRecords: [1, 2, 3, 4].map((i) => ({ Value: `ns-${i}.awsdns-${i}.org.` })),
    },
    {
      Name: `${origin}.`,
      Type: "SOA",
      TTL: 900,
      ResourceRecords: [
        { Value: "ns-1.awsdns-1.org. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400" },
      ],
    },
  ];
  for (let i = 0; sets.length < count + 2; i++) {
    const Name = `host${i}.${origin}.`;
    const kind = i % 4;
    const record =
      kind === 0
        ? { Type: "A", Value: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` }
        : kind === 1
          ? { Type: "AAAA", Value: `2001:db8::${aaaaSuffix(i)}` }
          : kind === 2
            ? { Type: "TXT", Value: `"v=verify-${i}"` }
            : { Type: "MX", Value: `10 mx${i}.${origin}.` };
    sets.push({ Name, Type: record.Type, TTL: 300, ResourceRecords: [{ Value: record.Value }] });
  }
  return JSON.stringify({ ResourceRecordSets: sets });
}

/** `i` as the last groups of an IPv6 address: one group up to 0xffff (as before), two beyond. */
function aaaaSuffix(i: number): string {
  return i <= 0xffff ? i.toString(16) : `${(i >>> 16).toString(16)}:${(i & 0xffff).toString(16)}`;
}
