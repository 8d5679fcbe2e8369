/**
 * The record types the signer manages (docs/dnssec.md): users never write them, and everything that
 * shows a zone's content at a serial to users (history diff, rollback, snapshots, parity) leaves
 * them out like the apex SOA and NS. RRSIG and NSEC (RFC 4034), NSEC3 and NSEC3PARAM (RFC 5155),
 * DNSKEY, CDS and CDNSKEY (RFC 7344). DS is the user's: it sits at a delegation.
 */
export const DNSSEC_TYPES: ReadonlySet<string> = new Set([
  "DNSKEY",
  "RRSIG",
  "NSEC",
  "NSEC3",
  "NSEC3PARAM",
  "CDS",
  "CDNSKEY",
]);

export function isDnssecType(type: string): boolean {
  return DNSSEC_TYPES.has(type);
}

/** The system-managed rrsets of a zone: the apex SOA and NS, and every DNSSEC record. */
export function isSystemManaged(apex: string, rrset: { name: string; type: string }): boolean {
  return (
    (rrset.name === apex && (rrset.type === "SOA" || rrset.type === "NS")) || DNSSEC_TYPES.has(rrset.type)
  );
}
