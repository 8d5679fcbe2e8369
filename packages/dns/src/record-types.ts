/** Record types that clients may write. SOA is managed by the platform and only has wire support. */
export const RECORD_TYPES = [
  "A",
  "AAAA",
  "CAA",
  "CNAME",
  "DS",
  "HTTPS",
  "MX",
  "NAPTR",
  "NS",
  "PTR",
  "SPF",
  "SRV",
  "SSHFP",
  "SVCB",
  "TLSA",
  "TXT",
] as const;

export type RecordType = (typeof RECORD_TYPES)[number];

/** Record types understood by the wire functions (client-writable types plus SOA). */
export type WireRecordType = RecordType | "SOA";

const RECORD_TYPE_SET: ReadonlySet<string> = new Set(RECORD_TYPES);

/** Case-sensitive: only the upper-case mnemonics are record types. */
export function isRecordType(s: string): s is RecordType {
  return RECORD_TYPE_SET.has(s);
}

/** IANA RR TYPE codes. */
export const TYPE_CODES: Readonly<Record<WireRecordType, number>> = Object.freeze({
  A: 1,
  NS: 2,
  CNAME: 5,
  SOA: 6,
  PTR: 12,
  MX: 15,
  TXT: 16,
  AAAA: 28,
  SRV: 33,
  NAPTR: 35,
  DS: 43,
  SSHFP: 44,
  TLSA: 52,
  SVCB: 64,
  HTTPS: 65,
  SPF: 99,
  CAA: 257,
});
