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

/**
 * Record types the platform writes itself (SOA, and the DNSSEC records the signer produces at
 * publish: RFC 4034, RFC 5155, RFC 7344); they have wire support but clients cannot write them.
 */
export const SYSTEM_RECORD_TYPES = [
  "SOA",
  "DNSKEY",
  "RRSIG",
  "NSEC",
  "NSEC3",
  "NSEC3PARAM",
  "CDS",
  "CDNSKEY",
] as const;

export type SystemRecordType = (typeof SYSTEM_RECORD_TYPES)[number];

/** Record types understood by the wire functions (client-writable types plus the system ones). */
export type WireRecordType = RecordType | SystemRecordType;

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
  RRSIG: 46,
  NSEC: 47,
  DNSKEY: 48,
  NSEC3: 50,
  NSEC3PARAM: 51,
  TLSA: 52,
  SVCB: 64,
  CDS: 59,
  CDNSKEY: 60,
  HTTPS: 65,
  SPF: 99,
  CAA: 257,
});

const MNEMONICS = new Map<number, string>(Object.entries(TYPE_CODES).map(([name, code]) => [code, name]));

/** Presentation mnemonic of a type code; TYPEnnn for types without one here (RFC 3597 section 5). */
export function typeMnemonicOf(code: number): string {
  return MNEMONICS.get(code) ?? `TYPE${code}`;
}

const TYPE_BY_MNEMONIC = TYPE_CODES as Readonly<Record<string, number>>;

/** Type code of a mnemonic (case-insensitive) or of the generic TYPEnnn form; undefined if neither. */
export function typeCodeOf(text: string): number | undefined {
  const upper = text.toUpperCase();
  if (Object.hasOwn(TYPE_BY_MNEMONIC, upper)) return TYPE_BY_MNEMONIC[upper];
  const m = /^TYPE([0-9]{1,5})$/.exec(upper);
  if (!m) return undefined;
  const code = Number(m[1]);
  return code <= 0xffff ? code : undefined;
}
