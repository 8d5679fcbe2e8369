/** The DNSSEC records this library produces, in both presentation and wire form. */
import { TYPE_CODES } from "@dnscove/dns";
import { DNSSEC_TYPE_CODES, type DnssecRecordType } from "./encoding.js";

export interface DnssecRecord {
  /** Absolute owner name, lower case, trailing dot. */
  name: string;
  type: DnssecRecordType;
  ttl: number;
  /** Presentation RDATA, as a zone file or `dig` prints it. */
  rdata: string;
  /** Wire RDATA, for the edge and for AXFR/IXFR. */
  wire: Uint8Array;
  /** RRSIG only: the covered type code, signing key tag and validity (32-bit serial times). */
  covers?: number;
  keyTag?: number;
  inception?: number;
  expiration?: number;
}

const MNEMONICS = new Map<number, string>();
for (const [name, code] of Object.entries(TYPE_CODES)) MNEMONICS.set(code, name);
for (const [name, code] of Object.entries(DNSSEC_TYPE_CODES)) MNEMONICS.set(code, name);

/** Type mnemonic for presentation; unknown types as TYPEnnn (RFC 3597 section 5). */
export function typeMnemonic(code: number): string {
  return MNEMONICS.get(code) ?? `TYPE${code}`;
}

export function typeCode(mnemonic: string): number {
  const code =
    (TYPE_CODES as Record<string, number>)[mnemonic] ??
    (DNSSEC_TYPE_CODES as Record<string, number>)[mnemonic];
  if (code === undefined) throw new Error(`unknown record type ${mnemonic}`);
  return code;
}

/** One zone-file line (RFC 1035 section 5.1), absolute names, class IN. */
export function zoneFileLine(r: { name: string; ttl: number; type: string; rdata: string }): string {
  return `${r.name} ${r.ttl} IN ${r.type} ${r.rdata}`;
}
