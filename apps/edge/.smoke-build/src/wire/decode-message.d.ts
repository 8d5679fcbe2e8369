export declare class DecodeError extends Error {
}
export interface DecodedHeader {
    id: number;
    flags: number;
    qr: boolean;
    opcode: number;
    rd: boolean;
    cd: boolean;
    qdcount: number;
    ancount: number;
    nscount: number;
    arcount: number;
}
export interface DecodedName {
    /** Lowercase key form, see names.ts. */
    key: string;
    /** Uncompressed wire form exactly as received (original letter case). */
    wire: Uint8Array;
}
export interface DecodedQuestion {
    name: DecodedName;
    qtype: number;
    qclass: number;
}
export interface DecodedRR {
    name: DecodedName;
    type: number;
    klass: number;
    ttl: number;
    /** Offset of the first octet of the RR (its owner name) in the message. */
    start: number;
    rdataOffset: number;
    rdlength: number;
}
export interface DecodedEdns {
    udpSize: number;
    extendedRcode: number;
    version: number;
    dnssecOk: boolean;
}
export interface DecodedTsig {
    /** Offset of the TSIG RR; the signed data is the message up to here (RFC 8945 section 4.3.1). */
    start: number;
    keyName: DecodedName;
    algorithm: string;
    timeSigned: number;
    fudge: number;
    mac: Uint8Array;
    originalId: number;
    error: number;
    otherData: Uint8Array;
}
export interface DecodedMessage {
    header: DecodedHeader;
    questions: DecodedQuestion[];
    answers: DecodedRR[];
    authority: DecodedRR[];
    additional: DecodedRR[];
    edns?: DecodedEdns;
    tsig?: DecodedTsig;
    raw: Uint8Array;
}
export declare function decodeHeader(buf: Uint8Array): DecodedHeader | undefined;
export declare class Reader {
    readonly buf: Uint8Array;
    pos: number;
    constructor(buf: Uint8Array, pos?: number);
    need(n: number): void;
    u8(): number;
    u16(): number;
    u32(): number;
    bytes(n: number): Uint8Array;
    /** A possibly compressed name (RFC 1035 section 4.1.4). */
    name(): DecodedName;
}
/** Decodes a whole message. Throws DecodeError on any structural problem. */
export declare function decodeMessage(buf: Uint8Array): DecodedMessage;
/** Serial of the SOA record of an IXFR query's authority section (RFC 1995 section 3). */
export declare function soaSerialOf(msg: DecodedMessage, rr: DecodedRR): number;
