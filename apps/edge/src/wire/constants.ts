/** Numeric DNS constants used by the edge (IANA registries; RFC 1035, 1995, 1996, 5936, 6891, 8945). */

export const CLASS_IN = 1;
export const CLASS_NONE = 254;
export const CLASS_ANY = 255;

export const TYPE = {
  A: 1,
  NS: 2,
  CNAME: 5,
  SOA: 6,
  MX: 15,
  TXT: 16,
  AAAA: 28,
  SRV: 33,
  DS: 43,
  OPT: 41,
  RRSIG: 46,
  NSEC: 47,
  DNSKEY: 48,
  NSEC3: 50,
  NSEC3PARAM: 51,
  TSIG: 250,
  IXFR: 251,
  AXFR: 252,
  ANY: 255,
} as const;

export const OPCODE = { QUERY: 0, NOTIFY: 4, UPDATE: 5 } as const;

export const RCODE = {
  NOERROR: 0,
  FORMERR: 1,
  SERVFAIL: 2,
  NXDOMAIN: 3,
  NOTIMP: 4,
  REFUSED: 5,
  NOTAUTH: 9,
  /** Extended RCODE carried in the OPT record (RFC 6891 section 9). */
  BADVERS: 16,
} as const;

/** EDNS option code of Extended DNS Errors (RFC 8914 section 2). */
export const EDNS_OPTION_EDE = 15;
/** Extended DNS Error INFO-CODEs the edge sends (RFC 8914 section 4). */
export const EDE = { NOT_AUTHORITATIVE: 20 } as const;

/** TSIG error codes (RFC 8945 section 3). */
export const TSIG_ERROR = { BADSIG: 16, BADKEY: 17, BADTIME: 18, BADTRUNC: 22 } as const;

/** Largest UDP answer the edge sends (DNS flag day 2020 recommendation, RFC 9715). */
export const MAX_UDP_PAYLOAD = 1232;
/** Without EDNS a UDP message is limited to 512 octets (RFC 1035 section 4.2.1). */
export const CLASSIC_UDP_PAYLOAD = 512;
