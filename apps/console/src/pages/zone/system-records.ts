import type { RRset } from "@dnscove/sdk";

/**
 * The apex SOA and apex NS rrsets are written by DNSCove itself (RFC 1035 §5.2: every zone has both
 * at its apex) and the API refuses changes to them, so the console shows them read-only.
 */
export function isSystemRRset(r: Pick<RRset, "name" | "type">, origin: string): boolean {
  return (r.type === "SOA" || r.type === "NS") && withoutDot(r.name) === withoutDot(origin);
}

/** Zone origins are written without the final dot, rrset names with it. */
function withoutDot(name: string): string {
  return name.toLowerCase().replace(/\.$/, "");
}
