/**
 * Route53 domain names (dns-harness.md §5, traps 1-3).
 *
 * Route53 returns every octet of a name other than `a-z 0-9 - _` as a backslash plus THREE OCTAL
 * digits: `*` is `\052`, `@` `\100`, `/` `\057`, space `\040`, a dot inside a label `\056`, and each
 * octet of a UTF-8 character separately (`é` = `\303\251`). Zone files use DECIMAL `\DDD`, so a
 * generic DNS parser turns `\052` into the label "4" (dnspython does). Names here are decoded to
 * label octets first; only then are they turned into text for the canonicaliser, which does IDNA.
 */
import { canonicalOrigin, canonicalOwnerName, DnsInputError } from "@dnscove/dns";

/**
 * A name decoded to its label octets, root label excluded ("example.com." -> 2 labels). Each label
 * is a string of octets, one character (U+0000..U+00FF) per octet: an ASCII label is then the
 * Route53 text itself, a slice of it, instead of a typed array per label (issue 14: a
 * 100,000-rrset import allocated hundreds of thousands of them).
 */
export type DecodedName = string[];

const OCTAL3 = /^[0-7]{3}$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching the ASCII range on purpose
const ASCII_ONLY = /^[\x00-\x7f]*$/;
const utf8Decoder = new TextDecoder("utf-8", { fatal: true });
const utf8Encoder = new TextEncoder();

/**
 * Splits a Route53 name into label octets, decoding `\ooo` escapes. The trailing dot is optional
 * (Route53 always writes it; values such as CNAME targets may lack it). Throws DnsInputError for a
 * backslash not followed by three octal digits and for empty labels.
 */
export function decodeRoute53Name(raw: string): DecodedName {
  const s = raw.trim();
  if (s === "") throw new DnsInputError("name must not be empty");
  if (s === ".") return [];
  const labels: DecodedName = [];
  let current = "";
  const endLabel = () => {
    if (current.length === 0) throw new DnsInputError("name contains an empty label");
    labels.push(current);
    current = "";
  };
  // ASCII other than "\\" and "." is one octet as it is: runs of it are copied as one slice.
  let run = 0;
  let i = 0;
  while (i < s.length) {
    const code = s.charCodeAt(i);
    if (code < 0x80 && code !== 0x5c && code !== 0x2e) {
      i += 1;
      continue;
    }
    current += s.slice(run, i);
    if (code === 0x5c) {
      const digits = s.slice(i + 1, i + 4);
      if (!OCTAL3.test(digits)) {
        throw new DnsInputError(
          `invalid escape "${s.slice(i, i + 4)}" in name: Route53 writes a backslash followed by three octal digits`,
        );
      }
      current += String.fromCharCode(Number.parseInt(digits, 8));
      i += 4;
    } else if (code === 0x2e) {
      endLabel();
      i += 1;
    } else {
      const char = String.fromCodePoint(s.codePointAt(i) ?? 0);
      for (const b of utf8Encoder.encode(char)) current += String.fromCharCode(b);
      i += char.length;
    }
    run = i;
  }
  current += s.slice(run);
  if (current.length > 0) endLabel();
  return labels;
}

/** Why a decoded label cannot become canonicaliser input text. */
export class UnhostableNameError extends Error {}

/**
 * Label octets -> text for the canonicaliser: UTF-8 (so IDN labels reach IDNA), and no dot inside a
 * label (a dot there cannot be written without an escape, which DNSCove names never carry).
 */
export function labelText(label: string): string {
  if (label.includes(".")) {
    throw new UnhostableNameError('a label contains a literal dot (Route53 "\\056")');
  }
  if (ASCII_ONLY.test(label)) return label;
  try {
    return utf8Decoder.decode(Buffer.from(label, "latin1"));
  } catch {
    throw new UnhostableNameError("a label is not valid UTF-8");
  }
}

/** Decoded labels -> dotted text without the trailing dot (throws UnhostableNameError). */
export function namesText(labels: DecodedName): string {
  return labels.map(labelText).join(".");
}

/** The zone origin (canonicalOrigin form) a decoded name spells, or an error message. */
export function originOf(labels: DecodedName): { origin?: string; error?: string } {
  try {
    return { origin: canonicalOrigin(namesText(labels)) };
  } catch (error) {
    if (error instanceof DnsInputError || error instanceof UnhostableNameError)
      return { error: error.message };
    throw error;
  }
}

/** The labels of the last origin asked about: an import asks about one origin 100,000 times. */
let lastOrigin: { origin: string; labels: string[] } | undefined;

function originLabels(origin: string): string[] {
  if (lastOrigin?.origin !== origin) lastOrigin = { origin, labels: origin.split(".") };
  return lastOrigin.labels;
}

/**
 * Whether the last labels of `labels` are, lower-cased, exactly the labels of `origin` (canonical,
 * so lower-case ASCII): the common case, decided without joining or canonicalising anything.
 */
function endsWithOriginAscii(labels: DecodedName, origin: string): boolean {
  const suffix = originLabels(origin);
  const offset = labels.length - suffix.length;
  if (offset < 0) return false;
  for (let j = 0; j < suffix.length; j++) {
    if ((labels[offset + j] as string).toLowerCase() !== suffix[j]) return false;
  }
  return true;
}

/** Whether the decoded name is `origin` or below it (origin in canonicalOrigin form). */
export function isInsideOrigin(labels: DecodedName, origin: string): boolean {
  const count = originLabels(origin).length;
  if (labels.length < count) return false;
  // The common case without the canonicaliser: a suffix whose lower-cased octets spell the origin
  // is inside it (canonicalOrigin only lower-cases ASCII). Anything else takes the full path.
  if (endsWithOriginAscii(labels, origin)) return true;
  const suffix = labels.slice(labels.length - count);
  if (lowerAsciiText(suffix) === origin) return true;
  return originOf(suffix).origin === origin;
}

/** Labels as lower-case ASCII text joined by dots; undefined when an octet is not ASCII or a dot. */
function lowerAsciiText(labels: DecodedName): string | undefined {
  for (const label of labels) if (label.includes(".")) return undefined;
  const text = labels.join(".");
  return ASCII_ONLY.test(text) ? text.toLowerCase() : undefined;
}

/** A label canonicalLabel keeps as it is once lower-cased (packages/dns names.ts, OWNER_RULES). */
const PLAIN_LABEL = /^[a-z0-9_-]{1,63}$/;
/** Presentation length without the trailing dot (packages/dns names.ts MAX_NAME_CHARS). */
const MAX_NAME_CHARS = 253;

/**
 * The canonical owner name of the common case, without the canonicaliser (issue 14: it re-checked
 * the origin's labels and every character of 100,000 names): the origin's labels end the name, and
 * the labels before them are ASCII letters, digits, hyphens and underscores, not Punycode (`xn--`
 * needs the IDNA check). For those canonicalOwnerName returns exactly this (lower-cased labels,
 * joined, length checked). Anything else, or too long: undefined, and the full path decides.
 */
function plainAsciiOwner(labels: DecodedName, origin: string): string | undefined {
  if (!endsWithOriginAscii(labels, origin)) return undefined;
  const own = labels.length - originLabels(origin).length;
  let name = origin;
  for (let i = own - 1; i >= 0; i--) {
    const label = (labels[i] as string).toLowerCase();
    if (!PLAIN_LABEL.test(label) || label.startsWith("xn--")) return undefined;
    name = `${label}.${name}`;
  }
  return name.length > MAX_NAME_CHARS ? undefined : `${name}.`;
}

export type OwnerResult = { ok: true; name: string } | { ok: false; reason: string };

/**
 * Canonical owner name of a decoded name already known to be inside `origin`. A name Route53
 * accepted but DNSCove cannot host (characters outside letters, digits, hyphen and underscore, a
 * "*" that is not a whole leftmost label, a dot inside a label, invalid IDN) gives a reason instead.
 */
export function canonicalOwner(labels: DecodedName, origin: string): OwnerResult {
  const plain = plainAsciiOwner(labels, origin);
  if (plain !== undefined) return { ok: true, name: plain };
  try {
    const texts = labels.map((label, i) => {
      const text = labelText(label);
      if (text.includes("*") && !(text === "*" && i === 0)) {
        throw new UnhostableNameError(
          'a "*" (Route53 "\\052") that is not the whole leftmost label is a literal character, not a wildcard',
        );
      }
      return text;
    });
    return { ok: true, name: canonicalOwnerName(`${texts.join(".")}.`, origin) };
  } catch (error) {
    if (error instanceof DnsInputError || error instanceof UnhostableNameError) {
      return { ok: false, reason: error.message };
    }
    throw error;
  }
}

/**
 * A hostname field inside RDATA (CNAME/NS/PTR target, MX exchange, SRV target) with Route53
 * escapes decoded, for the canonicaliser. Fields without a backslash are returned unchanged.
 */
export function decodeTargetField(field: string): string {
  if (!field.includes("\\")) return field;
  const labels = decodeRoute53Name(field);
  try {
    return `${namesText(labels)}.`;
  } catch (error) {
    if (error instanceof UnhostableNameError) throw new DnsInputError(`hostname ${field}: ${error.message}`);
    throw error;
  }
}

/** Lowercased display form of a decoded name, Route53-escaped, with trailing dot (for messages/keys). */
export function displayName(labels: DecodedName): string {
  if (labels.length === 0) return ".";
  const parts = labels.map((label) => {
    let s = "";
    for (let i = 0; i < label.length; i++) {
      const b = label.charCodeAt(i);
      const c = b >= 0x41 && b <= 0x5a ? b + 0x20 : b;
      s += /[a-z0-9_-]/.test(String.fromCharCode(c))
        ? String.fromCharCode(c)
        : `\\${c.toString(8).padStart(3, "0")}`;
    }
    return s;
  });
  return `${parts.join(".")}.`;
}
