import type { DelegationProbe, ParityInput, ParityProbe } from "../../dns-checks/types.js";
import type { ParentDs } from "../dnssec/maintain-dnssec.js";

/**
 * What the domain needs from the DNS to check a zone; the implementation (apps/api/src/dns-checks)
 * asks real servers through the configured resolver. Its answers are raw probe data (absolute names
 * with a trailing dot, camelCase); check-delegation.ts and check-parity.ts turn them into the API's
 * answers (schemas.ts).
 */
export interface DnsChecks {
  delegation(origin: string, expected: string[]): Promise<DelegationProbe>;
  /** `ours`, where our edge answers, is the implementation's to know. */
  parity(input: Omit<ParityInput, "ours">): Promise<ParityProbe>;
  /** The DS set the parent zone serves for `origin` (absolute); null when it cannot be told. */
  parentDs(origin: string): Promise<ParentDs>;
}
