/**
 * DNS checks against real servers: is the zone delegated to us (check-delegation.ts), and does
 * the old provider serve what we serve (check-parity.ts)?
 */
export { checkDelegation } from "./check-delegation.js";
export { checkParity } from "./check-parity.js";
export { DnsQueryError, QueryBudget, queryDns } from "./dns-client.js";
export {
  DEFAULT_MAX_QUERIES,
  DEFAULT_TIMEOUT_MS,
  type DelegationResult,
  type DnsCheckConfig,
  dnsCheckConfig,
  type Endpoint,
  type ParityInput,
  type ParityMismatch,
  type ParityResult,
  type ParityRrset,
  type ServerReport,
  type TtlDifference,
} from "./types.js";
