import type { WireReader, WireWriter } from "./wire.js";

/**
 * One record type's presentation <-> value <-> wire conversions. `parse` validates everything;
 * `read` only checks wire structure, because `rdataFromWire` re-parses what `format` prints.
 */
export interface RdataCodec<T> {
  parse(text: string): T;
  format(value: T): string;
  write(w: WireWriter, value: T): void;
  read(r: WireReader): T;
}
