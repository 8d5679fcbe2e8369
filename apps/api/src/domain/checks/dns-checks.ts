/**
 * What the domain needs from the DNS to check a zone; the implementation (apps/api/src/dns-checks)
 * asks real servers through the configured resolver.
 */
export interface DelegationFindings {
  delegated: boolean;
  /** Absolute names with a trailing dot. */
  expected: string[];
  found: string[];
  missing: string[];
  /** Nameservers the parent lists that are not ours. */
  extra: string[];
  servers: { name: string; address: string; answered: boolean; error?: string }[];
  error?: string;
}

export interface ParityFindings {
  matches: boolean;
  checked: number;
  mismatched: number;
  truncated: boolean;
  mismatches: { name: string; type: string; ours: string[]; theirs: string[] }[];
  ttlDifferences: { name: string; type: string; ours: number; theirs: number }[];
  theirServers: string[];
  error?: string;
}

export interface DnsChecks {
  delegation(origin: string, expected: string[]): Promise<DelegationFindings>;
  parity(input: {
    origin: string;
    rrsets: { name: string; type: string; ttl: number; records: string[] }[];
    oldNameservers: string[];
    budget: number;
  }): Promise<ParityFindings>;
}
