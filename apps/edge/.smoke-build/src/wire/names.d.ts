/**
 * Domain names inside the edge are handled as "keys": the lowercase presentation form with a
 * trailing dot ("www.example.com.", the root is "."). Label bytes that are not plain printable
 * ASCII, and "." and "\" inside a label, are written as \DDD (RFC 1035 section 5.1), so a literal
 * "." in a key always separates labels. Comparison of keys is therefore the case-insensitive name
 * comparison of RFC 1035 section 2.3.3 / RFC 4343 (ASCII case folding only).
 */
/** Key for one label given as raw wire bytes. Upper-case ASCII is folded to lower case. */
export declare function labelToKey(buf: Uint8Array, start: number, len: number): string;
/** Normalises a presentation name given by a caller ("WWW.Example.com") to a key. */
export declare function toKey(name: string): string;
/** The parent of a key ("a.b." -> "b."), or undefined for the root. */
export declare function parentKey(key: string): string | undefined;
/** Number of labels, not counting the root. */
export declare function labelCount(key: string): number;
/** True when `key` equals `ancestor` or lies below it. */
export declare function isAtOrBelow(key: string, ancestor: string): boolean;
/** Bytes of one label written in key form (undoing \DDD escapes). */
export declare function keyLabelBytes(label: string): Uint8Array;
/** Uncompressed wire form of a key (RFC 1035 section 3.1). */
export declare function keyToWire(key: string): Uint8Array;
/** Reads an uncompressed name from RDATA that this process encoded itself; returns its key. */
export declare function wireNameToKeyAt(buf: Uint8Array, offset: number): {
    key: string;
    end: number;
};
