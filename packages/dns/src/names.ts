/**
 * Domain-name canonicalisation: zone origins, owner names and hostnames in RDATA.
 *
 * Decisions:
 * - Input is trimmed. Internationalised labels are converted to A-labels with the WHATWG/UTS #46
 *   algorithm built into Node (`url.domainToASCII`, non-transitional, so "ß" stays "ß" -> "xn--zca").
 *   Only labels that contain non-ASCII go through it; ASCII labels are simply lower-cased, so an
 *   all-numeric name is never re-interpreted as an IPv4 address and underscores survive.
 * - The ideographic/full-width dots U+3002, U+FF0E and U+FF61 separate labels, as in UTS #46.
 * - Existing "xn--" labels must be valid Punycode (they must survive a round trip through UTS #46).
 * - Presentation-format escapes (`\.`, `\DDD`) are not accepted in names: DNSCove only hosts LDH
 *   (+ underscore) names, so a backslash is simply an invalid character.
 * - Length limits: a label is at most 63 octets (after Punycode), a name without its trailing dot at
 *   most 253 characters (= 255 octets in wire format).
 * - Hyphens at the start or end of a label are rejected only in zone names (hostname rules, RFC 952/
 *   1123); owner names and targets accept them because the DNS itself does and real zones contain them.
 */
import { domainToASCII } from "node:url";
import { DnsInputError } from "./errors.js";

interface LabelRules {
  /** What the name is, for messages: "zone name", "owner name", "hostname". */
  what: string;
  underscore: boolean;
  wildcard: boolean;
  hyphenEdges: boolean;
}

const ZONE_RULES: LabelRules = { what: "zone name", underscore: false, wildcard: false, hyphenEdges: true };
const OWNER_RULES: LabelRules = { what: "owner name", underscore: true, wildcard: true, hyphenEdges: false };
const TARGET_RULES: LabelRules = { what: "hostname", underscore: true, wildcard: false, hyphenEdges: false };
const ANY_NAME_RULES: LabelRules = { what: "name", underscore: true, wildcard: true, hyphenEdges: false };

const MAX_LABEL_OCTETS = 63;
/** Presentation length without the trailing dot; 253 characters = 255 octets in wire format. */
const MAX_NAME_CHARS = 253;

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching the ASCII range on purpose
const ASCII_ONLY = /^[\x00-\x7f]*$/;
const UNICODE_DOTS = /[\u3002\uFF0E\uFF61]/g;
const WHITESPACE = /\s/;
const LDH_UNDERSCORE = /^[a-z0-9_-]$/;
const IPV4_LIKE = /^\d+\.\d+\.\d+\.\d+$/;

function isAscii(s: string): boolean {
  return ASCII_ONLY.test(s);
}

/** Trim and turn Unicode label separators into ASCII dots. */
function prepare(input: string, what: string): string {
  if (typeof input !== "string") throw new DnsInputError(`${what} must be a string`);
  const s = input.trim();
  return isAscii(s) ? s : s.replace(UNICODE_DOTS, ".");
}

function canonicalLabel(raw: string, index: number, rules: LabelRules): string {
  if (raw === "") throw new DnsInputError(`${rules.what} contains an empty label`);
  let label: string;
  if (isAscii(raw)) {
    label = raw.toLowerCase();
  } else {
    // The ".a" suffix stops UTS #46 from treating an all-numeric (e.g. full-width digit) label as IPv4.
    const mapped = domainToASCII(`${raw}.a`);
    label = mapped.endsWith(".a") ? mapped.slice(0, -2) : "";
    if (label === "" || label.includes(".") || !isAscii(label)) {
      throw new DnsInputError(`invalid internationalized label "${raw}"`);
    }
  }
  if (label === "*") {
    if (rules.wildcard && index === 0) return label;
    throw new DnsInputError(
      rules.wildcard
        ? 'wildcard "*" is only allowed as the whole leftmost label'
        : `wildcard "*" is not allowed in a ${rules.what}`,
    );
  }
  for (const ch of label) {
    if (ch === "_" && !rules.underscore) {
      throw new DnsInputError(`underscore is not allowed in a ${rules.what}`);
    }
    if (ch === "*") {
      throw new DnsInputError(
        rules.wildcard
          ? 'wildcard "*" is only allowed as the whole leftmost label'
          : `wildcard "*" is not allowed in a ${rules.what}`,
      );
    }
    if (!LDH_UNDERSCORE.test(ch)) {
      throw new DnsInputError(`invalid character ${JSON.stringify(ch)} in ${rules.what}`);
    }
  }
  if (label.length > MAX_LABEL_OCTETS) throw new DnsInputError("label longer than 63 octets");
  if (rules.hyphenEdges && (label.startsWith("-") || label.endsWith("-"))) {
    throw new DnsInputError("label must not start or end with a hyphen");
  }
  if (label.startsWith("xn--") && domainToASCII(label) !== label) {
    throw new DnsInputError(`invalid punycode label "${label}"`);
  }
  return label;
}

/** `name` is prepared, non-empty and has no trailing dot. Returns the joined lowercase A-label form. */
function canonicalLabels(name: string, rules: LabelRules): string {
  if (WHITESPACE.test(name)) throw new DnsInputError(`${rules.what} must not contain whitespace`);
  const labels = name.split(".").map((raw, i) => canonicalLabel(raw, i, rules));
  return labels.join(".");
}

function checkLength(nameWithoutDot: string): void {
  if (nameWithoutDot.length > MAX_NAME_CHARS) throw new DnsInputError("name longer than 253 characters");
}

function stripTrailingDot(s: string): string {
  return s.endsWith(".") ? s.slice(0, -1) : s;
}

/**
 * Zone origin -> lowercase A-label form WITHOUT trailing dot, e.g. "bücher.Example.COM." ->
 * "xn--bcher-kva.example.com".
 */
export function canonicalOrigin(input: string): string {
  const s = stripTrailingDot(prepare(input, "zone name"));
  if (s === "") throw new DnsInputError("zone name must not be empty");
  const name = canonicalLabels(s, ZONE_RULES);
  const labels = name.split(".");
  if (labels.length < 2) throw new DnsInputError("zone name must have at least two labels");
  const tld = labels[labels.length - 1] ?? "";
  if (/^[0-9]+$/.test(tld)) throw new DnsInputError("top-level label must not be all-numeric");
  checkLength(name);
  return name;
}

/** The last origin canonicalised for `canonicalOwnerName` and its canonical form. */
let lastOrigin: { input: string; zone: string } | undefined;

/**
 * `canonicalOrigin(origin)`, remembered for the next call: a batch or an import canonicalises
 * thousands of owner names against one origin (issue 14), which need not be re-checked each time.
 */
function sameOrigin(origin: string): string {
  if (lastOrigin?.input === origin) return lastOrigin.zone;
  const zone = canonicalOrigin(origin);
  lastOrigin = { input: origin, zone };
  return zone;
}

/**
 * Owner name of an rrset inside zone `origin`. Returns the absolute lowercase FQDN WITH trailing dot.
 * "@" and "" are the apex. A name equal to the origin or ending in "." + origin is absolute; a name
 * with a trailing dot is absolute and must be inside the zone; anything else is relative.
 */
export function canonicalOwnerName(input: string, origin: string): string {
  const zone = sameOrigin(origin);
  let s = prepare(input, "owner name");
  if (s === "" || s === "@") return `${zone}.`;
  let absolute = false;
  if (s.endsWith(".")) {
    absolute = true;
    s = s.slice(0, -1);
    if (s === "") throw new DnsInputError(`name is not inside zone ${zone}`);
  }
  const name = canonicalLabels(s, OWNER_RULES);
  let fqdn: string;
  if (name === zone || name.endsWith(`.${zone}`)) {
    fqdn = name;
  } else if (absolute) {
    throw new DnsInputError(`name is not inside zone ${zone}`);
  } else {
    fqdn = `${name}.${zone}`;
  }
  checkLength(fqdn);
  return `${fqdn}.`;
}

/**
 * Hostname in RDATA (Route 53 semantics: always absolute, trailing dot optional). Returns lowercase
 * with trailing dot; "." is the root name, which the caller accepts or rejects per record type.
 * Rejects names that look like an IPv4 address ("1.2.3.4") or are an IPv6 address: those are
 * always a user mistake in a hostname field.
 */
export function canonicalTargetName(input: string): string {
  let s = prepare(input, "hostname");
  if (s === "") throw new DnsInputError("hostname must not be empty");
  if (s === ".") return ".";
  s = stripTrailingDot(s);
  if (s.includes(":")) throw new DnsInputError("target must be a hostname, not an IP address");
  const name = canonicalLabels(s, TARGET_RULES);
  if (IPV4_LIKE.test(name)) throw new DnsInputError("target must be a hostname, not an IP address");
  checkLength(name);
  return `${name}.`;
}

/**
 * Any absolute name (owner or target rules: underscore allowed, "*" as leftmost label allowed).
 * Returns lowercase with trailing dot, "." for the root.
 */
export function canonicalAnyName(input: string): string {
  let s = prepare(input, "name");
  if (s === "") throw new DnsInputError("name must not be empty");
  if (s === ".") return ".";
  s = stripTrailingDot(s);
  const name = canonicalLabels(s, ANY_NAME_RULES);
  checkLength(name);
  return `${name}.`;
}

function comparable(name: string): string {
  return stripTrailingDot(name.trim().toLowerCase());
}

/** Whether `fqdn` (trailing dot optional) is `origin` or below it. ASCII case-insensitive. */
export function isInZone(fqdn: string, origin: string): boolean {
  const n = comparable(fqdn);
  const o = comparable(origin);
  if (o === "") return true;
  return n === o || n.endsWith(`.${o}`);
}

/** "www.example.com." in "example.com" -> "www"; the apex -> "@". Throws when outside the zone. */
export function relativeToOrigin(fqdn: string, origin: string): string {
  const n = comparable(fqdn);
  const o = comparable(origin);
  if (n === o) return "@";
  if (o === "") return n;
  if (n.endsWith(`.${o}`)) return n.slice(0, -(o.length + 1));
  throw new DnsInputError(`name is not inside zone ${o}`);
}
