/**
 * JSON with every object's keys sorted and no whitespace: for the values the audit log holds
 * (strings, integers, booleans, null, arrays, objects) this is the JSON Canonicalization Scheme of
 * RFC 8785, so anyone can re-derive an entry's bytes, and so its hash, from what the API answers
 * (docs/audit-log.md). Keys are sorted by UTF-16 code units (RFC 8785 §3.2.3), which is what
 * JavaScript's default sort does; strings are escaped as JSON.stringify does (RFC 8785 §3.2.2.2).
 */
export function canonicalJson(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(",")}]`;
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  const object = value as Record<string, unknown>;
  const members = Object.keys(object)
    .sort()
    .filter((key) => object[key] !== undefined)
    .map((key) => `${JSON.stringify(key)}:${canonicalJson(object[key])}`);
  return `{${members.join(",")}}`;
}

/**
 * Text that is already canonical JSON, embedded as is: an entry's `detail` (a big batch's rrsets)
 * is serialised once and hashed inside the entry without a second pass.
 */
export class RawJson {
  constructor(readonly text: string) {}
}
