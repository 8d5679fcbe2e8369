/**
 * RFC 1035 section 5 master files ("zone files") as BIND and Knot write and read them, down to
 * records with absolute owner names and presentation RDATA that the canonicaliser then checks.
 *
 * Accepted: `$ORIGIN` (relative to the current origin, may change mid-file), `$TTL` (RFC 2308
 * section 4), `@`, a blank owner (= the previous record's owner), relative names, the class `IN`
 * optional and before or after the TTL, TTLs with BIND's units (`1h30m`, `1w`), parentheses
 * spanning lines, `;` comments, quoted strings (a `;` or `(` inside is text), and escapes (`\.`,
 * `\DDD` decimal, `\X`). Names inside RDATA are made absolute for the types whose RDATA holds
 * names (CNAME, NS, PTR, MX, SRV, NAPTR, SVCB, HTTPS); other RDATA is passed on as written.
 *
 * Refused, naming the line: `$INCLUDE` (a file on the importing machine cannot be read, and
 * silently dropping it would import half a zone), `$GENERATE` (BIND's extension: expand it with
 * `named-compilezone` first), other `$` directives, unbalanced parentheses, unterminated quotes.
 *
 * Records are produced in file order; each remembers its line (the first line of its entry).
 * Written as a generator that yields every `slice` entries so a server can parse a big file
 * cooperatively; `readZoneFile` runs it to the end.
 */
export interface ZoneFileRecord {
  /** 1-based line of the entry's first token. */
  line: number;
  /** Absolute, trailing dot, escapes decoded (a label holding a literal dot keeps `\.`). */
  owner: string;
  ttl: number;
  /** Upper-case mnemonic as written (`TYPE65` kept as is). */
  type: string;
  /** Class as written, upper-case ("IN" unless the file said otherwise). */
  class: string;
  /** Presentation RDATA with names made absolute; tokens joined by one space. */
  rdata: string;
  /** RDATA given in RFC 3597 generic form (`\# len hex`). */
  generic: boolean;
}

/** Malformed input: the message starts with `line N: `. Nothing from the file is to be used. */
export class ZoneFileError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
    this.name = "ZoneFileError";
  }
}

interface Token {
  text: string;
  quoted: boolean;
  line: number;
}

interface Entry {
  tokens: Token[];
  /** The entry's first line began with whitespace: the owner is the previous one. */
  blankOwner: boolean;
  line: number;
}

/** RFC 1035 section 5.1 entries: one logical line each, parentheses joining physical lines. */
function* entries(text: string): Generator<Entry, void, void> {
  let line = 1;
  let i = 0;
  const n = text.length;
  let depth = 0;
  let openedAt = 0;
  let current: Entry | undefined;
  let atLineStart = true;
  let blankStart = false;
  const flush = function* (): Generator<Entry, void, void> {
    if (current && current.tokens.length > 0) yield current;
    current = undefined;
  };
  while (i < n) {
    const c = text[i] ?? "";
    if (atLineStart) {
      blankStart = c === " " || c === "\t";
      atLineStart = false;
    }
    if (c === "\n") {
      if (depth === 0) yield* flush();
      line++;
      i++;
      atLineStart = true;
      continue;
    }
    if (c === " " || c === "\t" || c === "\r") {
      i++;
      continue;
    }
    if (c === ";") {
      while (i < n && text[i] !== "\n") i++;
      continue;
    }
    if (current === undefined) current = { tokens: [], blankOwner: blankStart, line };
    if (c === "(") {
      if (depth > 0) throw new ZoneFileError(line, "nested parentheses");
      depth++;
      openedAt = line;
      i++;
      continue;
    }
    if (c === ")") {
      if (depth === 0) throw new ZoneFileError(line, '")" without a matching "("');
      depth--;
      i++;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      let body = "";
      while (j < n && text[j] !== '"') {
        if (text[j] === "\n") throw new ZoneFileError(line, "unterminated quoted string");
        if (text[j] === "\\" && j + 1 < n) {
          if (text[j + 1] === "\n") throw new ZoneFileError(line, "unterminated quoted string");
          body += text.slice(j, j + 2);
          j += 2;
        } else {
          body += text[j];
          j++;
        }
      }
      if (j >= n) throw new ZoneFileError(line, "unterminated quoted string");
      current.tokens.push({ text: body, quoted: true, line });
      i = j + 1;
      continue;
    }
    let j = i;
    while (j < n) {
      const d = text[j];
      if (d === "\\") {
        j += 2;
        continue;
      }
      // RFC 9460 section 2.1: a SvcParam value may be quoted, `alpn="h2,h3"`; the token goes on
      // through the closing quote, and the SVCB handler reads the quotes.
      if (d === '"' && j > i && text[j - 1] === "=") {
        j++;
        while (j < n && text[j] !== '"' && text[j] !== "\n") j += text[j] === "\\" ? 2 : 1;
        if (j >= n || text[j] !== '"') throw new ZoneFileError(line, "unterminated quoted string");
        j++;
        continue;
      }
      if (
        d === " " ||
        d === "\t" ||
        d === "\r" ||
        d === "\n" ||
        d === ";" ||
        d === "(" ||
        d === ")" ||
        d === '"'
      )
        break;
      j++;
    }
    current.tokens.push({ text: text.slice(i, Math.min(j, n)), quoted: false, line });
    i = j;
  }
  if (depth > 0) throw new ZoneFileError(openedAt, '"(" is never closed');
  yield* flush();
}

const TTL_UNITS: Readonly<Record<string, number>> = { w: 604800, d: 86400, h: 3600, m: 60, s: 1 };
const TTL_TEXT = /^(?:[0-9]+|(?:[0-9]+[wdhms])+)$/i;
const TTL_LIMIT = 2_147_483_647; // RFC 2181 section 8

/** A TTL as BIND reads it (`3600`, `1h30m`, `1W`), or undefined when the token is not one. */
export function parseZoneFileTtl(text: string): number | undefined {
  if (!TTL_TEXT.test(text)) return undefined;
  let total = 0;
  for (const [, digits, unit] of text.matchAll(/([0-9]+)([wdhms]?)/gi)) {
    total += Number(digits) * (unit ? (TTL_UNITS[unit.toLowerCase()] ?? 1) : 1);
  }
  return total;
}

const CLASSES = new Set(["IN", "CH", "HS", "CS", "ANY", "NONE"]);

function isClass(text: string): boolean {
  const upper = text.toUpperCase();
  return CLASSES.has(upper) || /^CLASS[0-9]+$/.test(upper);
}

/** Splits a name at unescaped dots; labels keep their escapes. */
function splitLabels(name: string): string[] {
  const labels: string[] = [];
  let current = "";
  for (let i = 0; i < name.length; i++) {
    const c = name[i] ?? "";
    if (c === "\\") {
      current += name.slice(i, i + 2);
      i++;
    } else if (c === ".") {
      labels.push(current);
      current = "";
    } else current += c;
  }
  labels.push(current);
  return labels;
}

/**
 * A label's escapes decoded (RFC 1035 section 5.1: `\X` is X, `\DDD` the octet DDD). A decoded
 * dot, backslash or space cannot be written without an escape, so it keeps (or gets) one.
 */
function decodeLabel(label: string, line: number): string {
  if (!label.includes("\\")) return label;
  let out = "";
  for (let i = 0; i < label.length; i++) {
    const c = label[i] ?? "";
    if (c !== "\\") {
      out += c;
      continue;
    }
    const digits = label.slice(i + 1, i + 4);
    let ch: string;
    if (/^[0-9]{3}$/.test(digits)) {
      const code = Number(digits);
      if (code > 255) throw new ZoneFileError(line, `escape \\${digits} is not an octet (0 to 255)`);
      ch = String.fromCharCode(code);
      i += 3;
    } else {
      ch = label[i + 1] ?? "";
      if (ch === "") throw new ZoneFileError(line, "a name ends with a lone backslash");
      i += 1;
    }
    out += /[A-Za-z0-9_*-]/.test(ch) ? ch : `\\${ch}`;
  }
  return out;
}

/** `name` made absolute against `origin` (absolute, trailing dot), escapes decoded. */
export function absoluteZoneFileName(name: string, origin: string, line: number): string {
  if (name === "@") return origin;
  const labels = splitLabels(name);
  const absolute = labels.length > 1 && labels[labels.length - 1] === "";
  if (absolute) labels.pop();
  if (name === ".") return ".";
  if (labels.some((l) => l === "")) throw new ZoneFileError(line, `name ${name} has an empty label`);
  const text = labels.map((l) => decodeLabel(l, line)).join(".");
  if (absolute) return `${text}.`;
  return origin === "." ? `${text}.` : `${text}.${origin}`;
}

/** Which RDATA fields (0-based) are domain names, by type: RFC 1035, 2782, 3403, 9460. */
const NAME_FIELDS: Readonly<Record<string, readonly number[]>> = {
  CNAME: [0],
  NS: [0],
  PTR: [0],
  MX: [1],
  SRV: [3],
  NAPTR: [5],
  SVCB: [1],
  HTTPS: [1],
  SOA: [0, 1],
};

function rdataText(type: string, tokens: Token[], origin: string): string {
  const names = NAME_FIELDS[type] ?? [];
  return tokens
    .map((t, index) => {
      if (t.quoted) return `"${t.text}"`;
      // "." is the root in every name field (null MX, SRV "no service", SVCB "this owner").
      if (names.includes(index) && t.text !== ".") return absoluteZoneFileName(t.text, origin, t.line);
      return t.text;
    })
    .join(" ");
}

export interface ZoneFileOptions {
  /** The zone's origin, absolute with trailing dot: the initial `$ORIGIN`. */
  origin: string;
  /** Entries between two yields. */
  slice?: number;
}

/**
 * The records of a master file, yielding every `slice` entries. Throws ZoneFileError for what a
 * zone file may not say; record data is not checked here (the caller canonicalises it per type).
 */
export function* readZoneFileSteps(
  text: string,
  options: ZoneFileOptions,
): Generator<void, ZoneFileRecord[], void> {
  const initialOrigin = options.origin.endsWith(".") ? options.origin : `${options.origin}.`;
  const slice = options.slice ?? 500;
  let origin = initialOrigin;
  let defaultTtl: number | undefined;
  let lastTtl: number | undefined;
  let previousOwner: string | undefined;
  const records: ZoneFileRecord[] = [];
  let count = 0;
  for (const entry of entries(text)) {
    if (++count % slice === 0) yield;
    const tokens = entry.tokens;
    const [first] = tokens;
    if (!first) continue;
    const line = entry.line;
    if (!entry.blankOwner && !first.quoted && first.text.startsWith("$")) {
      const directive = first.text.toUpperCase();
      const args = tokens.slice(1);
      if (directive === "$ORIGIN") {
        const [name] = args;
        if (!name || args.length !== 1 || name.quoted)
          throw new ZoneFileError(line, "$ORIGIN takes one name");
        origin = absoluteZoneFileName(name.text, origin, line);
      } else if (directive === "$TTL") {
        const [ttl] = args;
        const value = ttl && !ttl.quoted ? parseZoneFileTtl(ttl.text) : undefined;
        if (value === undefined || args.length !== 1) {
          throw new ZoneFileError(line, "$TTL takes one TTL (seconds, or units such as 1h30m)");
        }
        if (value > TTL_LIMIT) throw new ZoneFileError(line, `TTL ${ttl?.text} is above 2147483647`);
        defaultTtl = value;
      } else if (directive === "$INCLUDE") {
        throw new ZoneFileError(
          line,
          "$INCLUDE is not supported: the included file cannot be read here; paste its records in place",
        );
      } else if (directive === "$GENERATE") {
        throw new ZoneFileError(
          line,
          "$GENERATE is not supported: expand it first (named-compilezone -o - <origin> <file>)",
        );
      } else {
        throw new ZoneFileError(line, `unknown directive ${first.text}`);
      }
      continue;
    }
    let at = 0;
    let owner: string;
    if (entry.blankOwner) {
      if (previousOwner === undefined) {
        throw new ZoneFileError(line, "the first record has no owner name (the line starts with a space)");
      }
      owner = previousOwner;
    } else {
      if (first.quoted) throw new ZoneFileError(line, "an owner name cannot be a quoted string");
      owner = absoluteZoneFileName(first.text, origin, line);
      at = 1;
    }
    previousOwner = owner;
    let ttl: number | undefined;
    let klass: string | undefined;
    // RFC 1035 section 5.1: [<TTL>] [<class>] or [<class>] [<TTL>], both optional.
    for (let k = 0; k < 2; k++) {
      const t = tokens[at];
      if (!t || t.quoted) break;
      const asTtl = ttl === undefined ? parseZoneFileTtl(t.text) : undefined;
      if (asTtl !== undefined) {
        if (asTtl > TTL_LIMIT) throw new ZoneFileError(t.line, `TTL ${t.text} is above 2147483647`);
        ttl = asTtl;
        at++;
      } else if (klass === undefined && isClass(t.text)) {
        klass = t.text.toUpperCase();
        at++;
      } else break;
    }
    const typeToken = tokens[at];
    if (!typeToken || typeToken.quoted) throw new ZoneFileError(line, "a record needs a type");
    const type = typeToken.text.toUpperCase();
    if (!/^[A-Z][A-Z0-9-]*$/.test(type) || parseZoneFileTtl(type) !== undefined) {
      throw new ZoneFileError(line, `${typeToken.text} is not a record type`);
    }
    const rest = tokens.slice(at + 1);
    if (rest.length === 0) throw new ZoneFileError(line, `${owner} ${type} has no record data`);
    // RFC 2308 section 4: $TTL; before it, RFC 1035's "the last explicitly stated TTL".
    const effective = ttl ?? defaultTtl ?? lastTtl;
    if (effective === undefined) {
      throw new ZoneFileError(line, `${owner} ${type} has no TTL and no $TTL comes before it`);
    }
    if (ttl !== undefined) lastTtl = ttl;
    const generic = !rest[0]?.quoted && rest[0]?.text === "\\#";
    records.push({
      line,
      owner,
      ttl: effective,
      type,
      class: klass ?? "IN",
      rdata: generic ? rest.map((t) => t.text).join(" ") : rdataText(type, rest, origin),
      generic,
    });
  }
  return records;
}

/** `readZoneFileSteps` run to the end at once. */
export function readZoneFile(text: string, options: ZoneFileOptions): ZoneFileRecord[] {
  const steps = readZoneFileSteps(text, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}
