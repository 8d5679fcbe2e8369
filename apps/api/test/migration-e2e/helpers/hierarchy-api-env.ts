/**
 * The environment of the real embedded default (API + authoritative edge in one process) inside
 * the migration world's network namespace, configured for its DNS hierarchy: its edge on `edge`
 * (e.g. 127.0.0.20:53, where ns1/ns2.dnscove.test point), its delegation and parity checks asking
 * `resolver`. Start it with @dnscove/testkit's startApiInNetns, which reaches the API through a
 * Unix socket so nothing listens on any address outside the namespace.
 */
export function hierarchyApiEnv(options: {
  edge: { host: string; port: number };
  nameservers: readonly string[];
  resolver: { host: string; port: number };
}): Record<string, string> {
  return {
    DNS_HOST: options.edge.host,
    DNS_PORT: String(options.edge.port),
    DNSCOVE_NAMESERVERS: options.nameservers.join(","),
    DNSCOVE_SOA_RNAME: "hostmaster.dnscove.test",
    DNSCOVE_RESOLVER: `${options.resolver.host}:${options.resolver.port}`,
    DNSCOVE_AUTHORITATIVE_PORT: "53",
  };
}
