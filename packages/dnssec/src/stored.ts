/**
 * DNSSEC records back from their presentation form (what the API stores in snapshots and the change
 * journal), with the wire RDATA `SignedZone.restore` needs to verify stored signatures and re-sign
 * stored NSEC3 records. Only the forms `records()` itself writes are read.
 */
import { nameToWire } from "@dnscove/dns";
import { base32hexDecode, concat, type DnssecRecordType, parseSigTime, typeBitmap } from "./encoding.js";
import { type DnssecRecord, typeCode } from "./records.js";

const TYPES: ReadonlySet<string> = new Set(["DNSKEY", "RRSIG", "NSEC3", "NSEC3PARAM", "CDS", "CDNSKEY"]);

export function isSignerType(type: string): type is DnssecRecordType {
  return TYPES.has(type);
}

function dnskeyWire(f: string[]): Uint8Array {
  const flags = Number(f[0]);
  return concat([
    Uint8Array.of(flags >> 8, flags & 0xff, Number(f[1]), Number(f[2])),
    Buffer.from(f.slice(3).join(""), "base64"),
  ]);
}

/** One stored record (`{name, type, ttl, rdata}` in presentation form) as a DnssecRecord with its wire RDATA. */
export function dnssecRecordFromText(r: {
  name: string;
  type: string;
  ttl: number;
  rdata: string;
}): DnssecRecord {
  if (!isSignerType(r.type)) throw new Error(`${r.type} is not a DNSSEC record type the signer writes`);
  const f = r.rdata.trim().split(/\s+/);
  let wire: Uint8Array;
  switch (r.type) {
    case "DNSKEY":
    case "CDNSKEY":
      wire = dnskeyWire(f);
      break;
    case "CDS": {
      const tag = Number(f[0]);
      const hex = f.slice(3).join("");
      wire = concat([
        Uint8Array.of(tag >> 8, tag & 0xff, Number(f[1]), Number(f[2])),
        Buffer.from(hex, "hex"),
      ]);
      break;
    }
    case "NSEC3PARAM":
      wire = Uint8Array.of(Number(f[0]), Number(f[1]), Number(f[2]) >> 8, Number(f[2]) & 0xff, 0);
      break;
    case "NSEC3": {
      const next = base32hexDecode(f[4] ?? "");
      const iterations = Number(f[2]);
      wire = concat([
        Uint8Array.of(Number(f[0]), Number(f[1]), iterations >> 8, iterations & 0xff, 0, next.length),
        next,
        typeBitmap(f.slice(5).map(typeCode)),
      ]);
      break;
    }
    case "RRSIG": {
      const head = new Uint8Array(18);
      const v = new DataView(head.buffer);
      v.setUint16(0, typeCode(f[0] ?? ""));
      v.setUint8(2, Number(f[1]));
      v.setUint8(3, Number(f[2]));
      v.setUint32(4, Number(f[3]) >>> 0);
      v.setUint32(8, parseSigTime(f[4] ?? "") >>> 0);
      v.setUint32(12, parseSigTime(f[5] ?? "") >>> 0);
      v.setUint16(16, Number(f[6]));
      wire = concat([head, nameToWire(f[7] ?? ""), Buffer.from(f.slice(8).join(""), "base64")]);
      break;
    }
  }
  return { name: r.name, type: r.type, ttl: r.ttl, rdata: r.rdata, wire };
}
