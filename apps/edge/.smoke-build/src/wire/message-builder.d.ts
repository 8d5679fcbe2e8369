/** One resource record ready to be written: owner as a key, RDATA already in wire form. */
export interface WireRR {
    owner: string;
    type: number;
    klass?: number;
    ttl: number;
    rdata: Uint8Array;
}
export type Section = "answer" | "authority" | "additional";
export interface HeaderFields {
    id: number;
    opcode: number;
    aa?: boolean;
    tc?: boolean;
    rd?: boolean;
    cd?: boolean;
    rcode: number;
    qr?: boolean;
}
export declare function headerFlags(h: HeaderFields): number;
export declare class MessageBuilder {
    private limit;
    private buf;
    private len;
    private readonly compression;
    /** @param limit maximum message size in octets (at most 65535). */
    constructor(limit: number, header: HeaderFields);
    get length(): number;
    setLimit(limit: number): void;
    setFlags(header: HeaderFields): void;
    count(section: Section | "question"): number;
    private ensure;
    /** Saves the state so that a failed addition can be undone. */
    private mark;
    private rollback;
    /** Writes a name given as a key, compressing against earlier names. */
    private writeName;
    /**
     * Adds the question. `wire` is the name exactly as the client sent it (case preserved, RFC 4343
     * section 4.1), `key` its lowercase key; its suffixes become compression targets, so answer
     * owners equal to the question name point at the client's spelling.
     */
    addQuestion(wire: Uint8Array, key: string, qtype: number, qclass: number): boolean;
    private bump;
    private writeRR;
    /** Adds a whole RRset or nothing (RFC 2181 section 9: never a partial RRset). */
    addRRset(section: Section, rrs: readonly WireRR[]): boolean;
    /** The OPT pseudo-RR (RFC 6891 section 6.1.2). */
    addOpt(udpSize: number, extendedRcode: number, dnssecOk: boolean): boolean;
    /** Drops everything after the question section (used when a response is truncated). */
    truncateToQuestion(questionEnd: number): void;
    finish(): Buffer;
}
