/**
 * The product's limits on record data, defined once: the API enforces them, and the CLI, the
 * Terraform provider, the CloudFormation handler and the CDK constructs check them before calling
 * it, so every surface gives the same answer for the same input.
 */

/** Smallest TTL, in seconds. */
export const TTL_MIN = 0;
/** One week, as deSEC caps it; longer TTLs only slow down fixing mistakes. */
export const TTL_MAX = 604_800;
/** The TTL of an rrset created without one (Route53 and Cloudflare use 300 as well). */
export const DEFAULT_TTL = 300;

/** Whether `ttl` is a TTL the API accepts. */
export function isValidTtl(ttl: number): boolean {
  return Number.isInteger(ttl) && ttl >= TTL_MIN && ttl <= TTL_MAX;
}
