/** Numeric DNS constants used by the edge (IANA registries; RFC 1035, 1995, 1996, 5936, 6891, 8945). */
export declare const CLASS_IN = 1;
export declare const CLASS_NONE = 254;
export declare const CLASS_ANY = 255;
export declare const TYPE: {
    readonly A: 1;
    readonly NS: 2;
    readonly CNAME: 5;
    readonly SOA: 6;
    readonly MX: 15;
    readonly TXT: 16;
    readonly AAAA: 28;
    readonly SRV: 33;
    readonly DS: 43;
    readonly OPT: 41;
    readonly TSIG: 250;
    readonly IXFR: 251;
    readonly AXFR: 252;
    readonly ANY: 255;
};
export declare const OPCODE: {
    readonly QUERY: 0;
    readonly NOTIFY: 4;
};
export declare const RCODE: {
    readonly NOERROR: 0;
    readonly FORMERR: 1;
    readonly SERVFAIL: 2;
    readonly NXDOMAIN: 3;
    readonly NOTIMP: 4;
    readonly REFUSED: 5;
    readonly NOTAUTH: 9;
    /** Extended RCODE carried in the OPT record (RFC 6891 section 9). */
    readonly BADVERS: 16;
};
/** TSIG error codes (RFC 8945 section 3). */
export declare const TSIG_ERROR: {
    readonly BADSIG: 16;
    readonly BADKEY: 17;
    readonly BADTIME: 18;
    readonly BADTRUNC: 22;
};
/** Largest UDP answer the edge sends (DNS flag day 2020 recommendation, RFC 9715). */
export declare const MAX_UDP_PAYLOAD = 1232;
/** Without EDNS a UDP message is limited to 512 octets (RFC 1035 section 4.2.1). */
export declare const CLASSIC_UDP_PAYLOAD = 512;
