/**
 * Raw probe data of the delegation and parity checks (see probe-delegation.ts, probe-parity.ts):
 * absolute names with their trailing dot, no timestamps. The API's answers built from them are
 * declared once, in domain/checks/schemas.ts.
 */

export interface Endpoint {
  host: string;
  port: number;
}

export interface DnsCheckConfig {
  /** Recursive resolver used to find the parent zone's servers and the old provider's server addresses. */
  resolver: Endpoint;
  /** Port used for authoritative servers discovered by name (53 in production; tests use 53 inside a netns). */
  authoritativePort: number;
  /** Per query, UDP and TCP alike (default 2000). */
  timeoutMs: number;
  /**
   * Total query budget of one delegation check (default 20). For a parity check it bounds the
   * overhead (name resolution, failover, TCP and EDNS retries) on top of the questions themselves;
   * see probe-parity.ts.
   */
  maxQueries: number;
}

export const DEFAULT_TIMEOUT_MS = 2000;
export const DEFAULT_MAX_QUERIES = 20;

export function dnsCheckConfig(
  partial: Pick<DnsCheckConfig, "resolver"> & Partial<DnsCheckConfig>,
): DnsCheckConfig {
  return {
    authoritativePort: 53,
    timeoutMs: DEFAULT_TIMEOUT_MS,
    maxQueries: DEFAULT_MAX_QUERIES,
    ...partial,
  };
}

export interface ServerProbe {
  /** Absolute name with a trailing dot. */
  name: string;
  /** "" when the name did not resolve. */
  address: string;
  answered: boolean;
  error?: string;
}

export interface DelegationProbe {
  /** Absolute, lowercase, trailing dot. */
  origin: string;
  delegated: boolean;
  expected: string[];
  found: string[];
  missing: string[];
  /** Names in the parent's referral that are not ours. */
  extra: string[];
  servers: ServerProbe[];
  error?: string;
}

export interface ParityMismatch {
  name: string;
  type: string;
  ours: string[];
  theirs: string[];
  /** Set when a side gave no usable answer (timeout, REFUSED, SERVFAIL...) rather than different data. */
  error?: string;
}

export interface TtlDifference {
  name: string;
  type: string;
  ours: number;
  theirs: number;
}

export interface ParityProbe {
  origin: string;
  matches: boolean;
  /** Questions compared: rrsets plus the non-existent-name and wildcard probes. */
  checked: number;
  mismatched: number;
  truncated: boolean;
  mismatches: ParityMismatch[];
  ttlDifferences: TtlDifference[];
  /** "name (address)" of every old-provider server that was resolved. */
  theirServers: string[];
  error?: string;
}

export interface ParityRrset {
  name: string;
  type: string;
  ttl: number;
  records: string[];
}

export interface ParityInput {
  origin: string;
  rrsets: ParityRrset[];
  oldNameservers: string[];
  ours: Endpoint;
  /** How many rrsets one run compares; more answers `truncated: true`. */
  budget: number;
}
