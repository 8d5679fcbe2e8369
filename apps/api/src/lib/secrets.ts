import { createHmac, hash, randomBytes, timingSafeEqual } from "node:crypto";

/** 256 random bits, hex-encoded: hex keeps `dnsc_<id>_<secret>` free of extra separators. */
export function newSecret(): string {
  return randomBytes(32).toString("hex");
}

/** One-shot: every change hashes its audit entry, and a Hash object per call costs twice the hash. */
export function sha256Hex(value: string): string {
  return hash("sha256", value, "hex");
}

export function hmacSha256(key: string, value: string): Buffer {
  return createHmac("sha256", key).update(value).digest();
}

/** Constant-time equality of two hex digests of equal length (the caller hashes first). */
export function digestsEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, "hex");
  const right = Buffer.from(b, "hex");
  return left.length === right.length && timingSafeEqual(left, right);
}
