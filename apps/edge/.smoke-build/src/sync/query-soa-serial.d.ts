/** Asks one server for a zone's SOA over UDP; resolves its serial, or null on no usable answer. */
export declare function querySoaSerial(host: string, port: number, origin: string, timeoutMs?: number): Promise<number | null>;
