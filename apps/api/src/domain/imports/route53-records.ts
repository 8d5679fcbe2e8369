/**
 * Route53 `ResourceRecords[].Value` -> presentation text the canonicaliser accepts
 * (dns-harness.md §5, traps 4, 5 and 10).
 *
 * Route53 values are already one record each in presentation form; two things differ from what the
 * canonicaliser reads:
 * - Inside quoted character-strings (TXT, SPF, CAA, NAPTR), Route53's numeric escapes are OCTAL
 *   (`"caf\303\251"`), the canonicaliser's are DECIMAL (RFC 1035 `\DDD`). Each `\ooo` is rewritten
 *   as the decimal escape of the same octet; `\"`, `\\` and `\X` pass through unchanged. A backslash
 *   followed by a digit but not by three octal digits is an error (it is not Route53 output).
 *   SVCB/HTTPS values are passed through untouched: their quoted parameter values use the
 *   canonicaliser's own escape rules and Route53 documents no octal form for them.
 * - Hostname fields (CNAME, NS, PTR, MX exchange, SRV target) may carry the same octal escapes as
 *   owner names; they are decoded so that an IDN target reaches IDNA. Targets without a trailing dot
 *   are absolute (Route53 semantics, which the canonicaliser already applies).
 * Everything else (TXT chunk boundaries, `;` inside quotes, TTL-free values) is left to the
 * canonicaliser, so imported records are canonical exactly like API input.
 */
import { DnsInputError, type RecordType } from "@dnscove/dns";
import { decodeTargetField } from "./route53-names.js";

const OCTAL3 = /^[0-7]{3}$/;
const WS = /\s/;

/** Rewrites `\ooo` (octal) inside double-quoted strings as `\DDD` (decimal). */
export function octalToDecimalInQuotes(value: string): string {
  let out = "";
  let quoted = false;
  let i = 0;
  while (i < value.length) {
    const ch = value[i] ?? "";
    if (ch === "\\") {
      const next = value[i + 1];
      if (next === undefined) throw new DnsInputError("value ends with a lone backslash");
      if (quoted && next >= "0" && next <= "9") {
        const digits = value.slice(i + 1, i + 4);
        if (!OCTAL3.test(digits)) {
          throw new DnsInputError(
            `invalid escape "${value.slice(i, i + 4)}": Route53 writes a backslash followed by three octal digits`,
          );
        }
        out += `\\${String(Number.parseInt(digits, 8)).padStart(3, "0")}`;
        i += 4;
        continue;
      }
      const cp = value.codePointAt(i + 1) ?? 0;
      const char = String.fromCodePoint(cp);
      out += `\\${char}`;
      i += 1 + char.length;
      continue;
    }
    if (ch === '"') quoted = !quoted;
    out += ch;
    i += 1;
  }
  return out;
}

/** Replaces the whitespace-separated field at `index` (0-based) if present. */
function mapField(value: string, index: number, map: (field: string) => string): string {
  const fields = value.trim().split(/\s+/);
  const field = fields[index];
  if (field === undefined) return value;
  fields[index] = map(field);
  return fields.join(" ");
}

/** One Route53 value -> canonicaliser input. Throws DnsInputError for malformed escapes. */
export function route53ValueToPresentation(type: RecordType, value: string): string {
  switch (type) {
    case "TXT":
    case "SPF":
    case "CAA":
    case "NAPTR":
      return octalToDecimalInQuotes(value);
    case "CNAME":
    case "NS":
    case "PTR":
      return value.includes("\\") && !WS.test(value.trim()) ? decodeTargetField(value) : value;
    case "MX":
      return value.includes("\\") ? mapField(value, 1, decodeTargetField) : value;
    case "SRV":
      return value.includes("\\") ? mapField(value, 3, decodeTargetField) : value;
    default:
      return value;
  }
}
