import { decode, Encoder, ExtData, ExtensionCodec } from "@msgpack/msgpack";

/**
 * cty values on the wire (Terraform's DynamicValue): msgpack, where every extension value means
 * "unknown" (ext 0 wholly unknown, ext 12 a refined unknown), nil is null, sets and lists are
 * arrays, maps and objects are string-keyed maps.
 */

/** A value that is not known until apply. */
export const UNKNOWN: unique symbol = Symbol.for("dnscove.tf.unknown");
export type Unknown = typeof UNKNOWN;

/** A cty type in its JSON form, exactly as it is sent in schemas. */
export type CtyType =
  | "string"
  | "number"
  | "bool"
  | "dynamic"
  | ["list", CtyType]
  | ["set", CtyType]
  | ["map", CtyType]
  | ["object", Record<string, CtyType>];

export type CtyValue = null | Unknown | string | number | boolean | CtyValue[] | { [key: string]: CtyValue };

export function isUnknown(value: unknown): value is Unknown {
  return value === UNKNOWN;
}

/** Whether a value is known all the way down (no unknown inside). */
export function isWhollyKnown(value: CtyValue): boolean {
  if (value === UNKNOWN) return false;
  if (Array.isArray(value)) return value.every(isWhollyKnown);
  if (value !== null && typeof value === "object") return Object.values(value).every(isWhollyKnown);
  return true;
}

const extensionCodec = new ExtensionCodec();
// Encoding: the unknown sentinel becomes ext 0 with a single zero byte (fixext1 d4 00 00).
extensionCodec.register({
  type: 0,
  encode: (input: unknown) => (input === UNKNOWN ? new Uint8Array([0]) : null),
  decode: () => UNKNOWN,
});
// Refined unknowns (prefix, nullness, length bounds): still unknown for us.
extensionCodec.register({ type: 12, encode: () => null, decode: () => UNKNOWN });

const encoder = new Encoder({ extensionCodec, ignoreUndefined: false });

function fromDecoded(value: unknown): CtyValue {
  if (value === undefined || value === null) return null;
  if (value === UNKNOWN || value instanceof ExtData) return UNKNOWN;
  if (typeof value === "string" || typeof value === "boolean" || typeof value === "number") return value;
  if (typeof value === "bigint") return Number(value);
  if (value instanceof Uint8Array) return Buffer.from(value).toString("utf8");
  if (Array.isArray(value)) return value.map(fromDecoded);
  if (value instanceof Map) {
    const out: Record<string, CtyValue> = {};
    for (const [k, v] of value) out[String(k)] = fromDecoded(v);
    return out;
  }
  if (typeof value === "object") {
    const out: Record<string, CtyValue> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = fromDecoded(v);
    return out;
  }
  throw new TypeError(`cannot decode a ${typeof value} as a cty value`);
}

/** Decodes msgpack bytes; empty input is null. Unknowns become UNKNOWN. */
export function decodeMsgpack(bytes: Uint8Array | undefined | null): CtyValue {
  if (!bytes || bytes.length === 0) return null;
  return fromDecoded(decode(bytes, { extensionCodec }));
}

/** Encodes a value (already shaped to its type) as msgpack. */
export function encodeMsgpack(value: CtyValue): Uint8Array {
  return encoder.encode(value);
}

/**
 * Conforms a loosely built JS value to a cty type: every object attribute present (null when
 * missing), no extra keys, numbers from numeric strings, set elements deduplicated.
 */
export function conform(type: CtyType, value: unknown): CtyValue {
  if (value === undefined || value === null) return null;
  if (value === UNKNOWN) return UNKNOWN;
  if (type === "dynamic") return value as CtyValue;
  if (type === "string") {
    if (typeof value === "string") return value;
    if (typeof value === "number" || typeof value === "boolean") return String(value);
    throw new TypeError(`expected a string, got ${JSON.stringify(value)}`);
  }
  if (type === "number") {
    const n = typeof value === "string" ? Number(value) : value;
    if (typeof n !== "number" || Number.isNaN(n))
      throw new TypeError(`expected a number, got ${String(value)}`);
    return n;
  }
  if (type === "bool") {
    if (typeof value === "boolean") return value;
    if (value === "true" || value === "false") return value === "true";
    throw new TypeError(`expected a bool, got ${JSON.stringify(value)}`);
  }
  const [kind, inner] = type;
  if (kind === "list" || kind === "set") {
    if (!Array.isArray(value)) throw new TypeError(`expected a ${kind}, got ${JSON.stringify(value)}`);
    const items = value.map((item) => conform(inner, item));
    if (kind === "set") {
      const seen = new Set<string>();
      return items.filter((item) => {
        if (item === UNKNOWN) return true;
        const key = JSON.stringify(item);
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
    }
    return items;
  }
  if (typeof value !== "object" || Array.isArray(value)) {
    throw new TypeError(`expected a ${kind}, got ${JSON.stringify(value)}`);
  }
  const record = value as Record<string, unknown>;
  const out: Record<string, CtyValue> = {};
  if (kind === "map") {
    for (const [k, v] of Object.entries(record)) out[k] = conform(inner, v);
    return out;
  }
  for (const [name, attrType] of Object.entries(inner)) out[name] = conform(attrType, record[name]);
  return out;
}

/** The DynamicValue message for a value of `type`. */
export function toDynamic(type: CtyType, value: unknown): { msgpack: Buffer } {
  return { msgpack: Buffer.from(encodeMsgpack(conform(type, value))) };
}

/** Reads a DynamicValue message (msgpack, or JSON when msgpack is empty). */
export function fromDynamic(
  dv: { msgpack?: Uint8Array | null; json?: Uint8Array | null } | null | undefined,
): CtyValue {
  if (!dv) return null;
  if (dv.msgpack && dv.msgpack.length > 0) return decodeMsgpack(dv.msgpack);
  if (dv.json && dv.json.length > 0) return JSON.parse(Buffer.from(dv.json).toString("utf8")) as CtyValue;
  return null;
}
