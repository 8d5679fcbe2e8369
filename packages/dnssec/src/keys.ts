/**
 * DNSSEC signing keys: generation, DNSKEY RDATA, key tag, DS/CDS and CDNSKEY, and signing.
 *
 * Algorithms: 13 ECDSAP256SHA256 (RFC 6605, the default) and 15 ED25519 (RFC 8080). node:crypto only.
 * A key object never shows its private half: toJSON/inspect print the public fields, and the private
 * key lives in a module-private WeakMap rather than on the object.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from "node:crypto";
import { nameToWire } from "@dnscove/dns";
import { base64, concat, hexUpper } from "./encoding.js";

export const ALGORITHMS = { ECDSAP256SHA256: 13, ED25519: 15 } as const;
export type Algorithm = 13 | 15;
export const DEFAULT_ALGORITHM: Algorithm = 13;

/** DNSKEY flags: Zone Key (bit 7) = 256; plus Secure Entry Point (bit 15) = 257 for a KSK (RFC 4034 section 2.1.1). */
export const ZSK_FLAGS = 256;
export const KSK_FLAGS = 257;
export type KeyRole = "ksk" | "zsk";

const privateKeys = new WeakMap<SigningKey, KeyObject>();
/** Derived once per key: a restore verifies every stored signature. */
const publicKeys = new WeakMap<SigningKey, KeyObject>();

export class SigningKey {
  readonly algorithm: Algorithm;
  readonly flags: number;
  readonly role: KeyRole;
  /** DNSKEY public key field: X||Y for P-256 (RFC 6605 section 4), the 32-octet key for Ed25519 (RFC 8080 section 3). */
  readonly publicKey: Uint8Array;
  readonly keyTag: number;

  constructor(role: KeyRole, algorithm: Algorithm, privateKey: KeyObject) {
    if (algorithm !== 13 && algorithm !== 15)
      throw new Error(`unsupported DNSSEC algorithm ${String(algorithm)}`);
    this.role = role;
    this.algorithm = algorithm;
    this.flags = role === "ksk" ? KSK_FLAGS : ZSK_FLAGS;
    this.publicKey = publicKeyField(algorithm, privateKey);
    this.keyTag = keyTag(this.dnskeyRdata());
    privateKeys.set(this, privateKey);
  }

  /** DNSKEY RDATA (RFC 4034 section 2.1): flags, protocol 3, algorithm, public key. */
  dnskeyRdata(): Uint8Array {
    const head = Uint8Array.of(this.flags >> 8, this.flags & 0xff, 3, this.algorithm);
    return concat([head, this.publicKey]);
  }

  /** DNSKEY presentation RDATA, e.g. "257 3 13 base64". */
  dnskeyText(): string {
    return `${this.flags} 3 ${this.algorithm} ${base64(this.publicKey)}`;
  }

  /** DS digest type 2 (SHA-256, RFC 4509) over owner name + DNSKEY RDATA (RFC 4034 section 5.1.4). */
  dsDigest(origin: string): Uint8Array {
    return createHash("sha256").update(nameToWire(origin)).update(this.dnskeyRdata()).digest();
  }

  /** DS (and CDS, RFC 7344) RDATA wire: key tag, algorithm, digest type 2, digest. */
  dsRdata(origin: string): Uint8Array {
    return concat([
      Uint8Array.of(this.keyTag >> 8, this.keyTag & 0xff, this.algorithm, 2),
      this.dsDigest(origin),
    ]);
  }

  /** DS presentation for the registrar: "tag alg 2 HEX". */
  dsText(origin: string): string {
    return `${this.keyTag} ${this.algorithm} 2 ${hexUpper(this.dsDigest(origin))}`;
  }

  /** Signs `data`: ECDSA P-256 returns r||s (64 octets, RFC 6605 section 4); Ed25519 its 64-octet signature. */
  sign(data: Uint8Array): Uint8Array {
    const key = privateKeys.get(this);
    if (!key) throw new Error("signing key has no private half");
    if (this.algorithm === 13) return sign("sha256", data, { key, dsaEncoding: "ieee-p1363" });
    return sign(null, data, key);
  }

  /** Checks a signature made by this key (used when restoring stored signatures). */
  verify(data: Uint8Array, signature: Uint8Array): boolean {
    let pub = publicKeys.get(this);
    if (!pub) {
      const key = privateKeys.get(this);
      if (!key) return false;
      pub = createPublicKey(key);
      publicKeys.set(this, pub);
    }
    if (this.algorithm === 13)
      return verify("sha256", data, { key: pub, dsaEncoding: "ieee-p1363" }, signature);
    return verify(null, data, pub, signature);
  }

  /** PKCS#8 DER of the private key, only for sealing (see key-storage.ts). */
  exportPrivatePkcs8(): Uint8Array {
    const key = privateKeys.get(this);
    if (!key) throw new Error("signing key has no private half");
    return key.export({ type: "pkcs8", format: "der" });
  }

  /** Public description only; never the private key. */
  toJSON(): { role: KeyRole; algorithm: Algorithm; flags: number; keyTag: number; publicKey: string } {
    return {
      role: this.role,
      algorithm: this.algorithm,
      flags: this.flags,
      keyTag: this.keyTag,
      publicKey: base64(this.publicKey),
    };
  }

  toString(): string {
    return `DNSSEC ${this.role.toUpperCase()} ${this.keyTag} (algorithm ${this.algorithm})`;
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}

function publicKeyField(algorithm: Algorithm, privateKey: KeyObject): Uint8Array {
  const jwk = privateKey.export({ format: "jwk" });
  if (algorithm === 13) {
    if (jwk.kty !== "EC" || jwk.crv !== "P-256" || !jwk.x || !jwk.y)
      throw new Error("algorithm 13 needs a P-256 key");
    return concat([Buffer.from(jwk.x, "base64url"), Buffer.from(jwk.y, "base64url")]);
  }
  if (jwk.kty !== "OKP" || jwk.crv !== "Ed25519" || !jwk.x)
    throw new Error("algorithm 15 needs an Ed25519 key");
  return Uint8Array.from(Buffer.from(jwk.x, "base64url"));
}

/** Key tag, RFC 4034 Appendix B (the ones'-complement-like sum; algorithm 1 is never used here). */
export function keyTag(rdata: Uint8Array): number {
  let ac = 0;
  for (let i = 0; i < rdata.length; i++) ac += i & 1 ? (rdata[i] ?? 0) : (rdata[i] ?? 0) << 8;
  ac += (ac >> 16) & 0xffff;
  return ac & 0xffff;
}

export function generateKey(role: KeyRole, algorithm: Algorithm = DEFAULT_ALGORITHM): SigningKey {
  const { privateKey } =
    algorithm === 13 ? generateKeyPairSync("ec", { namedCurve: "P-256" }) : generateKeyPairSync("ed25519");
  return new SigningKey(role, algorithm, privateKey);
}

/** Rebuilds a key from PKCS#8 DER (what `openPrivateKey` returns). */
export function keyFromPkcs8(role: KeyRole, algorithm: Algorithm, pkcs8: Uint8Array): SigningKey {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: Buffer.from(pkcs8), format: "der", type: "pkcs8" });
  } catch {
    // The library's message is dropped on purpose: nothing about the key material goes into errors.
    throw new Error("stored DNSSEC private key is not a valid PKCS#8 key");
  }
  return new SigningKey(role, algorithm, key);
}

/** RFC 8078 section 4: the CDS and CDNSKEY that ask the parent to remove the DS (go insecure). */
export const CDS_DELETE_TEXT = "0 0 0 00";
export const CDS_DELETE_WIRE = Uint8Array.of(0, 0, 0, 0, 0);
export const CDNSKEY_DELETE_TEXT = "0 3 0 AA==";
export const CDNSKEY_DELETE_WIRE = Uint8Array.of(0, 0, 3, 0, 0);
