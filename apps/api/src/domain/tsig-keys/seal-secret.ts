import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

/**
 * TSIG secrets are HMAC keys the server itself must use (RFC 8945 section 4.3), so unlike token
 * secrets they cannot be stored as a hash. They are sealed with AES-256-GCM under a key derived
 * (HKDF-SHA256, RFC 5869) from DNSCOVE_SECRET: a copy of the database alone reveals no key.
 * Stored form: `v1.<iv b64>.<ciphertext+tag b64>`.
 */
const INFO = "dnscove tsig-key sealing v1";

function sealingKey(serverSecret: string): Buffer {
  return Buffer.from(hkdfSync("sha256", serverSecret, "dnscove", INFO, 32));
}

export function sealSecret(serverSecret: string, secret: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", sealingKey(serverSecret), iv);
  const body = Buffer.concat([cipher.update(secret), cipher.final(), cipher.getAuthTag()]);
  return `v1.${iv.toString("base64")}.${body.toString("base64")}`;
}

/** The secret, or undefined when it was sealed under another DNSCOVE_SECRET (or altered). */
export function unsealSecret(serverSecret: string, sealed: string): Buffer | undefined {
  const [version, iv, body] = sealed.split(".");
  if (version !== "v1" || !iv || !body) return undefined;
  const data = Buffer.from(body, "base64");
  if (data.length < 16) return undefined;
  try {
    const decipher = createDecipheriv("aes-256-gcm", sealingKey(serverSecret), Buffer.from(iv, "base64"));
    decipher.setAuthTag(data.subarray(data.length - 16));
    return Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]);
  } catch {
    return undefined;
  }
}
