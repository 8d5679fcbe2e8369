/**
 * Writes a zone as an RFC 1035 master file: absolute owner names, one record per line, the apex
 * SOA first and then DNS order (RFC 4034 section 6.1: labels compared from the root), types in
 * alphabetical order at a name. Every line carries its TTL and class, so the file reads the same
 * whatever `$ORIGIN`/`$TTL` a tool assumes; `named-checkzone` and `kzonecheck` accept it.
 */
export interface ZoneFileRRset {
  /** Absolute, lowercase, trailing dot. */
  name: string;
  type: string;
  ttl: number;
  /** Canonical presentation RDATA. */
  records: readonly string[];
}

/** Sort key in DNS order: labels from the root joined by NUL (NUL sorts below every label octet). */
function dnsOrderKey(name: string): string {
  return name.split(".").reverse().join("\0");
}

export function writeZoneFile(
  zone: { origin: string; serial: number; comment?: string },
  rrsets: readonly ZoneFileRRset[],
): string {
  const origin = zone.origin.endsWith(".") ? zone.origin : `${zone.origin}.`;
  const soa = rrsets.find((r) => r.type === "SOA" && r.name === origin);
  const keyed = rrsets
    .filter((r) => r !== soa)
    .map((r) => ({ key: dnsOrderKey(r.name), r }))
    .sort((a, b) =>
      a.key < b.key ? -1 : a.key > b.key ? 1 : a.r.type < b.r.type ? -1 : a.r.type > b.r.type ? 1 : 0,
    );
  const lines = [
    `; zone ${origin} serial ${zone.serial}${zone.comment ? ` ${zone.comment}` : ""}`,
    `$ORIGIN ${origin}`,
    `$TTL ${soa?.ttl ?? 3600}`,
  ];
  for (const r of [...(soa ? [soa] : []), ...keyed.map((k) => k.r)]) {
    for (const record of r.records) lines.push(`${r.name}\t${r.ttl}\tIN\t${r.type}\t${record}`);
  }
  return `${lines.join("\n")}\n`;
}
