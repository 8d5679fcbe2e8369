/**
 * The signature validity and refresh policy (documented in docs/dnssec.md):
 * - inception one hour in the past, for validators whose clocks run slow;
 * - expiration 14 days ahead, pulled earlier per rrset by a stable amount of up to 2 days;
 * - a signature is refreshed once fewer than 7 days remain, so a zone whose publisher is down keeps
 *   validating for at least a week.
 */
import type { Validity } from "./signed-zone.js";

const HOUR = 3600;
const DAY = 24 * HOUR;

export const SIGNATURE_POLICY = {
  inceptionSkew: HOUR,
  validity: 14 * DAY,
  jitter: 2 * DAY,
  refreshWithin: 7 * DAY,
} as const;

/** The validity to sign with at `now` (seconds since the epoch). */
export function validityAt(now: number, policy = SIGNATURE_POLICY): Validity {
  return { inception: now - policy.inceptionSkew, expiration: now + policy.validity, jitter: policy.jitter };
}
