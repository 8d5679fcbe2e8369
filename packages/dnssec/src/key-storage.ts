/**
 * Private keys at rest: AES-256-GCM under a key derived with HKDF-SHA256 from a secret string the
 * caller passes (the API's documented setting; see docs/dnssec.md). Each sealed blob has its own
 * random HKDF salt and GCM nonce, and the key's public DNSKEY RDATA is the GCM additional data, so a
 * sealed private key cannot be swapped under another key's public record without failing to open.
 *
 * Format: "dnssec-v1.<salt>.<nonce>.<ciphertext>.<tag>" (base64url parts).
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { type Algorithm, type KeyRole, keyFromPkcs8, type SigningKey } from "./keys.js";

const VERSION = "dnssec-v1";
/** HKDF info naming the purpose, so the same secret used for sessions derives an unrelated key. */
const HKDF_INFO = "dnscove dnssec private key encryption v1";
const MIN_SECRET_LENGTH = 32;

export class KeyStorageError extends Error {
  override readonly name = "KeyStorageError";
}

function deriveKey(secret: string, salt: Uint8Array): Buffer {
  if (typeof secret !== "string" || secret.length < MIN_SECRET_LENGTH) {
    throw new KeyStorageError(`the DNSSEC key secret must be at least ${MIN_SECRET_LENGTH} characters`);
  }
  return Buffer.from(hkdfSync("sha256", Buffer.from(secret, "utf8"), salt, HKDF_INFO, 32));
}

/** Encrypts the key's private half; the result is safe to store (it holds no plaintext key material). */
export function sealPrivateKey(key: SigningKey, secret: string): string {
  const salt = randomBytes(16);
  const nonce = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", deriveKey(secret, salt), nonce);
  cipher.setAAD(key.dnskeyRdata());
  const ct = Buffer.concat([cipher.update(key.exportPrivatePkcs8()), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, salt, nonce, ct, tag]
    .map((p) => (typeof p === "string" ? p : p.toString("base64url")))
    .join(".");
}

/**
 * Opens what `sealPrivateKey` produced for a key with this role, algorithm and public DNSKEY RDATA.
 * Wrong secret, tampering or a mismatched public key all give the same message, without detail.
 */
export function openPrivateKey(
  sealed: string,
  secret: string,
  expected: { role: KeyRole; algorithm: Algorithm; dnskeyRdata: Uint8Array },
): SigningKey {
  const parts = typeof sealed === "string" ? sealed.split(".") : [];
  if (parts.length !== 5 || parts[0] !== VERSION)
    throw new KeyStorageError("sealed DNSSEC key has an unknown format");
  const [salt, nonce, ct, tag] = parts.slice(1).map((p) => Buffer.from(p, "base64url")) as [
    Buffer,
    Buffer,
    Buffer,
    Buffer,
  ];
  let pkcs8: Buffer;
  try {
    const decipher = createDecipheriv("aes-256-gcm", deriveKey(secret, salt), nonce);
    decipher.setAAD(expected.dnskeyRdata);
    decipher.setAuthTag(tag);
    pkcs8 = Buffer.concat([decipher.update(ct), decipher.final()]);
  } catch (e) {
    if (e instanceof KeyStorageError) throw e;
    throw new KeyStorageError("sealed DNSSEC key could not be opened (wrong secret or altered data)");
  }
  const key = keyFromPkcs8(expected.role, expected.algorithm, pkcs8);
  pkcs8.fill(0);
  if (Buffer.compare(Buffer.from(key.dnskeyRdata()), Buffer.from(expected.dnskeyRdata)) !== 0) {
    throw new KeyStorageError("sealed DNSSEC key does not match its public key");
  }
  return key;
}
