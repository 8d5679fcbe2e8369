/**
 * DNS checks against real servers: is the zone delegated to us (probe-delegation.ts), and does
 * the old provider serve what we serve (probe-parity.ts)?
 */

export { DnsQueryError, QueryBudget, queryDns } from "./dns-client.js";
export { probeDelegation } from "./probe-delegation.js";
export { probeParentDs } from "./probe-parent-ds.js";
export { probeParity } from "./probe-parity.js";
export {
  DEFAULT_MAX_QUERIES,
  DEFAULT_TIMEOUT_MS,
  type DelegationProbe,
  type DnsCheckConfig,
  dnsCheckConfig,
  type Endpoint,
  type ParityInput,
  type ParityMismatch,
  type ParityProbe,
  type ParityRrset,
  type ServerProbe,
  type TtlDifference,
} from "./types.js";
