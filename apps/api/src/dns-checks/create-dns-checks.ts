import type { DnsChecks } from "../domain/checks/dns-checks.js";
import { probeDelegation } from "./probe-delegation.js";
import { probeParentDs } from "./probe-parent-ds.js";
import { probeParity } from "./probe-parity.js";
import type { DnsCheckConfig, Endpoint } from "./types.js";

/** The domain's DnsChecks port, asking real servers: `ours` is where our edge answers. */
export function createDnsChecks(config: DnsCheckConfig, ours: Endpoint): DnsChecks {
  return {
    delegation: (origin, expected) => probeDelegation(origin, expected, config),
    parity: (input) => probeParity({ ...input, ours }, config),
    parentDs: (origin) => probeParentDs(origin, config),
  };
}
