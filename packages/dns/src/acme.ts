/**
 * ACME DNS-01 (RFC 8555 section 8.4), shared by the API's challenge endpoint and the CLI's hooks.
 */
import { createHash } from "node:crypto";

/** The label a DNS-01 challenge is published under. */
export const ACME_CHALLENGE_LABEL = "_acme-challenge";

/** The TXT value for a key authorization: base64url(SHA-256(key authorization)), unpadded. */
export function digestKeyAuthorization(keyAuthorization: string): string {
  return createHash("sha256").update(keyAuthorization, "utf8").digest("base64url");
}

/** `_acme-challenge.<domain>.` for a domain being validated; a wildcard is validated at its base name. */
export function acmeChallengeName(domain: string): string {
  const base = domain.trim().replace(/^\*\./, "").replace(/\.$/, "");
  return `${ACME_CHALLENGE_LABEL}.${base}.`;
}
