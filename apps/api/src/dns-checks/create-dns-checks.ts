import type { DnsChecks } from "../domain/checks/dns-checks.js";
import { checkDelegation } from "./check-delegation.js";
import { checkParity } from "./check-parity.js";
import type { DnsCheckConfig, Endpoint } from "./types.js";

/** The domain's DnsChecks port, asking real servers: `ours` is where our edge answers. */
export function createDnsChecks(config: DnsCheckConfig, ours: Endpoint): DnsChecks {
  return {
    delegation: (origin, expected) => checkDelegation(origin, expected, config),
    parity: (input) => checkParity({ ...input, ours }, config),
  };
}
