/**
 * RRSIG creation (RFC 4034 sections 3 and 6). The signed data is the RRSIG RDATA without the
 * signature, then every RR of the rrset in canonical form (owner lower case and uncompressed, the
 * original TTL, RDATA in canonical form) in canonical order (RFC 4034 section 6.3), duplicates
 * removed. @dnscove/dns already writes RDATA names lower case and uncompressed (the canonical form of
 * RFC 4034 section 6.2 as corrected by RFC 6840 section 5.1), so its `rdataToWire` is the one encoder.
 */
import { nameToWire } from "@dnscove/dns";
import { base64, concat, formatSigTime } from "./encoding.js";
import type { SigningKey } from "./keys.js";
import { type DnssecRecord, typeMnemonic } from "./records.js";

export interface RrsetToSign {
  /** Absolute owner name, lower case, trailing dot. */
  name: string;
  typeCode: number;
  ttl: number;
  /** RDATA in canonical wire form, already sorted (compareOctets) and without duplicates. */
  rdatas: readonly Uint8Array[];
}

/** The RRSIG labels field: owner labels without the root and without a leading "*" (RFC 4035 section 5.3.2). */
export function labelCount(name: string): number {
  if (name === ".") return 0;
  const labels = name.slice(0, -1).split(".");
  return labels[0] === "*" ? labels.length - 1 : labels.length;
}

export function signRrset(
  rrset: RrsetToSign,
  key: SigningKey,
  signer: string,
  inception: number,
  expiration: number,
): DnssecRecord {
  const owner = nameToWire(rrset.name);
  const signerWire = nameToWire(signer);
  const labels = labelCount(rrset.name);
  const head = new Uint8Array(18);
  const v = new DataView(head.buffer);
  v.setUint16(0, rrset.typeCode);
  v.setUint8(2, key.algorithm);
  v.setUint8(3, labels);
  v.setUint32(4, rrset.ttl >>> 0);
  v.setUint32(8, expiration >>> 0);
  v.setUint32(12, inception >>> 0);
  v.setUint16(16, key.keyTag);
  const parts: Uint8Array[] = [head, signerWire];
  const rrHead = new Uint8Array(10);
  const rv = new DataView(rrHead.buffer);
  rv.setUint16(0, rrset.typeCode);
  rv.setUint16(2, 1); // class IN
  rv.setUint32(4, rrset.ttl >>> 0);
  for (const rdata of rrset.rdatas) {
    rv.setUint16(8, rdata.length);
    parts.push(owner, rrHead.slice(), rdata);
  }
  const signature = key.sign(concat(parts));
  const wire = concat([head, signerWire, signature]);
  const rdata = `${typeMnemonic(rrset.typeCode)} ${key.algorithm} ${labels} ${rrset.ttl} ${formatSigTime(expiration)} ${formatSigTime(inception)} ${key.keyTag} ${signer} ${base64(signature)}`;
  return {
    name: rrset.name,
    type: "RRSIG",
    ttl: rrset.ttl,
    rdata,
    wire,
    covers: rrset.typeCode,
    keyTag: key.keyTag,
    inception: inception >>> 0,
    expiration: expiration >>> 0,
  };
}

/** The signed data an RRSIG covers, rebuilt from its RDATA and the rrset (for verification in tests and tools). */
export function signedData(rrsigWire: Uint8Array, rrset: RrsetToSign): Uint8Array {
  // RRSIG RDATA = 18 fixed octets + signer name + signature; the signer name ends at its root label.
  let pos = 18;
  while ((rrsigWire[pos] ?? 0) !== 0) pos += (rrsigWire[pos] ?? 0) + 1;
  pos += 1;
  const owner = nameToWire(rrset.name);
  const parts: Uint8Array[] = [rrsigWire.subarray(0, pos)];
  for (const rdata of rrset.rdatas) {
    const rrHead = new Uint8Array(10);
    const rv = new DataView(rrHead.buffer);
    rv.setUint16(0, rrset.typeCode);
    rv.setUint16(2, 1);
    rv.setUint32(4, rrset.ttl >>> 0);
    rv.setUint16(8, rdata.length);
    parts.push(owner, rrHead, rdata);
  }
  return concat(parts);
}

export function signatureOf(rrsigWire: Uint8Array): Uint8Array {
  let pos = 18;
  while ((rrsigWire[pos] ?? 0) !== 0) pos += (rrsigWire[pos] ?? 0) + 1;
  return rrsigWire.subarray(pos + 1);
}
