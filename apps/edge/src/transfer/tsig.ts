/**
 * TSIG with HMAC-SHA256 (RFC 8945): verifying signed requests and signing responses, including
 * every message of a multi-message zone transfer (RFC 8945 section 5.3.1).
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { CLASS_ANY, RCODE, TSIG_ERROR, TYPE } from "../wire/constants.js";
import type { DecodedMessage, DecodedTsig } from "../wire/decode-message.js";
import { keyToWire, toKey } from "../wire/names.js";

export interface TsigKey {
  name: string;
  algorithm: "hmac-sha256";
  /** Base64 secret. */
  secret: string;
}

export const HMAC_SHA256 = "hmac-sha256.";
/** Allowed clock difference in seconds (RFC 8945 section 10 recommends 300). */
export const FUDGE = 300;

export interface ResolvedKey {
  name: string;
  secret: Buffer;
}

export class TsigKeyring {
  private readonly keys = new Map<string, ResolvedKey>();
  constructor(keys: readonly TsigKey[]) {
    for (const k of keys) {
      if (k.algorithm !== "hmac-sha256") throw new Error(`unsupported TSIG algorithm ${k.algorithm}`);
      const name = toKey(k.name);
      this.keys.set(name, { name, secret: Buffer.from(k.secret, "base64") });
    }
  }
  get(name: string): ResolvedKey | undefined {
    return this.keys.get(name);
  }
  get size(): number {
    return this.keys.size;
  }
}

export function resolveKey(k: TsigKey): ResolvedKey {
  const name = toKey(k.name);
  return { name, secret: Buffer.from(k.secret, "base64") };
}

function u48(n: number): Buffer {
  const b = Buffer.alloc(6);
  b.writeUInt16BE(Math.floor(n / 0x100000000) & 0xffff, 0);
  b.writeUInt32BE((n % 0x100000000) >>> 0, 2);
  return b;
}

/** TSIG variables of RFC 8945 section 4.3.3. */
function variables(keyName: string, time: number, fudge: number, error: number, other: Uint8Array): Buffer {
  const tail = Buffer.alloc(2 + 4 + 6 + 2 + 2 + 2);
  tail.writeUInt16BE(CLASS_ANY, 0);
  tail.writeUInt32BE(0, 2);
  u48(time).copy(tail, 6);
  tail.writeUInt16BE(fudge, 12);
  tail.writeUInt16BE(error, 14);
  tail.writeUInt16BE(other.length, 16);
  return Buffer.concat([
    keyToWire(keyName),
    tail.subarray(0, 6),
    keyToWire(HMAC_SHA256),
    tail.subarray(6),
    other,
  ]);
}

function timers(time: number, fudge: number): Buffer {
  const b = Buffer.alloc(8);
  u48(time).copy(b, 0);
  b.writeUInt16BE(fudge, 6);
  return b;
}

function withPrior(prior: Uint8Array | undefined): Buffer[] {
  if (!prior) return [];
  const len = Buffer.alloc(2);
  len.writeUInt16BE(prior.length, 0);
  return [len, Buffer.from(prior)];
}

export type TsigCheck =
  | { ok: true; key: ResolvedKey; requestMac: Uint8Array; tsig: DecodedTsig }
  | { ok: false; error: number; tsig: DecodedTsig; key?: ResolvedKey; requestMac?: Uint8Array };

/** Verifies the TSIG of a request (RFC 8945 section 5.2), in the order key, MAC, time. */
export function verifyRequest(msg: DecodedMessage, keyring: TsigKeyring, nowSeconds: number): TsigCheck {
  const tsig = msg.tsig as DecodedTsig;
  const key = keyring.get(tsig.keyName.key);
  if (!key || tsig.algorithm !== HMAC_SHA256) return { ok: false, error: TSIG_ERROR.BADKEY, tsig };
  const signed = Buffer.from(msg.raw.subarray(0, tsig.start));
  signed.writeUInt16BE(tsig.originalId, 0);
  signed.writeUInt16BE(signed.readUInt16BE(10) - 1, 10);
  const mac = createHmac("sha256", key.secret)
    .update(signed)
    .update(variables(key.name, tsig.timeSigned, tsig.fudge, tsig.error, tsig.otherData))
    .digest();
  // Truncated MACs down to 16 octets (half of the HMAC output) are accepted (RFC 8945 section 5.2.2.1).
  const n = tsig.mac.length;
  if (n < 16 || n > mac.length || !timingSafeEqual(mac.subarray(0, n), Buffer.from(tsig.mac))) {
    return { ok: false, error: TSIG_ERROR.BADSIG, tsig, key };
  }
  if (Math.abs(nowSeconds - tsig.timeSigned) > tsig.fudge) {
    return { ok: false, error: TSIG_ERROR.BADTIME, tsig, key, requestMac: tsig.mac };
  }
  return { ok: true, key, requestMac: tsig.mac, tsig };
}

export interface SignOptions {
  key: ResolvedKey;
  /** Request MAC (first response) or previous message MAC (later messages of one transfer). */
  prior?: Uint8Array;
  /** Later messages of a multi-message response digest only the timers (RFC 8945 section 5.3.1). */
  timersOnly?: boolean;
  time: number;
  originalId?: number;
  error?: number;
  otherData?: Uint8Array;
  /** Produce a TSIG without MAC (BADKEY / BADSIG answers, RFC 8945 section 5.3.2). */
  unsigned?: boolean;
}

/** Builds the TSIG RR and appends it to `wire` (which must not contain one), bumping ARCOUNT. */
export function appendTsig(wire: Buffer, o: SignOptions): { wire: Buffer; mac: Uint8Array } {
  const error = o.error ?? 0;
  const other = o.otherData ?? new Uint8Array(0);
  const originalId = o.originalId ?? wire.readUInt16BE(0);
  let mac: Buffer = Buffer.alloc(0);
  if (!o.unsigned) {
    const h = createHmac("sha256", o.key.secret);
    for (const part of withPrior(o.prior)) h.update(part);
    h.update(wire);
    h.update(o.timersOnly ? timers(o.time, FUDGE) : variables(o.key.name, o.time, FUDGE, error, other));
    mac = h.digest();
  }
  const alg = keyToWire(HMAC_SHA256);
  const rdata = Buffer.concat([alg, u48(o.time), Buffer.alloc(4 + mac.length + 6 + other.length)]);
  let p = alg.length + 6;
  rdata.writeUInt16BE(FUDGE, p);
  rdata.writeUInt16BE(mac.length, p + 2);
  mac.copy(rdata, p + 4);
  p += 4 + mac.length;
  rdata.writeUInt16BE(originalId, p);
  rdata.writeUInt16BE(error, p + 2);
  rdata.writeUInt16BE(other.length, p + 4);
  Buffer.from(other).copy(rdata, p + 6);
  const rrHead = Buffer.alloc(10);
  rrHead.writeUInt16BE(TYPE.TSIG, 0);
  rrHead.writeUInt16BE(CLASS_ANY, 2);
  rrHead.writeUInt32BE(0, 4);
  rrHead.writeUInt16BE(rdata.length, 8);
  const out = Buffer.concat([wire, keyToWire(o.key.name), rrHead, rdata]);
  out.writeUInt16BE(out.readUInt16BE(10) + 1, 10);
  return { wire: out, mac };
}

/** Octets to keep free for a TSIG record signed with `keyName`. */
export function tsigReserve(keyName: string): number {
  return keyToWire(keyName).length + 10 + keyToWire(HMAC_SHA256).length + 6 + 4 + 32 + 6 + 6;
}

/** Verifies a signed response to our own signed request (used by sendNotify). */
export function verifyResponse(msg: DecodedMessage, key: ResolvedKey, requestMac: Uint8Array): boolean {
  const tsig = msg.tsig;
  if (!tsig || tsig.keyName.key !== key.name || tsig.algorithm !== HMAC_SHA256 || tsig.error !== 0)
    return false;
  const signed = Buffer.from(msg.raw.subarray(0, tsig.start));
  signed.writeUInt16BE(tsig.originalId, 0);
  signed.writeUInt16BE(signed.readUInt16BE(10) - 1, 10);
  const h = createHmac("sha256", key.secret);
  for (const part of withPrior(requestMac)) h.update(part);
  const mac = h
    .update(signed)
    .update(variables(key.name, tsig.timeSigned, tsig.fudge, tsig.error, tsig.otherData))
    .digest();
  return tsig.mac.length === mac.length && timingSafeEqual(mac, Buffer.from(tsig.mac));
}

export { RCODE };
