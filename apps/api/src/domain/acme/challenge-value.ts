import { ACME_CHALLENGE_LABEL as CHALLENGE_LABEL, canonicalOwnerName, DnsInputError } from "@dnscove/dns";
import type { FieldIssue } from "../errors.js";

/** A DNS-01 value is the base64url SHA-256 digest of the key authorization: 43 characters (RFC 8555 §8.4). */
const VALUE_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/**
 * Checks an `_acme-challenge` owner name inside `origin` and a digest value; returns the canonical
 * name and the TXT record in canonical form, or the field issues.
 */
export function checkChallenge(
  name: string,
  value: string,
  origin: string,
): { name?: string; record?: string; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  let canonical: string | undefined;
  try {
    canonical = canonicalOwnerName(name, origin);
    if (!canonical.startsWith(`${CHALLENGE_LABEL}.`) || canonical.includes("*")) {
      issues.push({ path: "name", message: `must be ${CHALLENGE_LABEL}.<a name inside ${origin}>.` });
    }
  } catch (error) {
    if (!(error instanceof DnsInputError)) throw error;
    issues.push({ path: "name", message: error.message });
  }
  if (!VALUE_PATTERN.test(value)) {
    issues.push({ path: "value", message: "must be a 43-character base64url key authorization digest" });
  }
  return issues.length > 0 ? { issues } : { name: canonical, record: `"${value}"`, issues };
}
