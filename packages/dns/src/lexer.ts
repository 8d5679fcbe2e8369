/**
 * Splits presentation-format RDATA into whitespace-separated tokens. A token that starts with `"`
 * runs to the next unescaped `"` and must be followed by whitespace or the end of the input.
 * A backslash escapes the next character in both kinds of token (so `\"` and `\ ` do not end one).
 * Multi-line grouping with parentheses and `;` comments (zone-file syntax) are not supported: an API
 * record is one line of RDATA.
 */
import { DnsInputError } from "./errors.js";

export interface Token {
  /** Source text: the body without quotes for a quoted token; escapes not yet decoded. */
  text: string;
  quoted: boolean;
}

const WS = /\s/;

/** Exactly `WS.test(input[i])`, without the one-character string and the regex for ASCII. */
function isSpaceAt(input: string, i: number): boolean {
  const c = input.charCodeAt(i);
  if (c < 0x80) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  return WS.test(input[i] ?? "");
}

export function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = input.length;
  while (i < n) {
    const ch = input[i] ?? "";
    if (isSpaceAt(input, i)) {
      i++;
      continue;
    }
    if (ch === '"') {
      let j = i + 1;
      while (j < n && input[j] !== '"') j += input[j] === "\\" ? 2 : 1;
      if (j >= n) throw new DnsInputError("unterminated quoted string");
      tokens.push({ text: input.slice(i + 1, j), quoted: true });
      i = j + 1;
      if (i < n && !isSpaceAt(input, i)) throw new DnsInputError("unexpected text after a quoted string");
      continue;
    }
    let j = i;
    while (j < n && !isSpaceAt(input, j)) {
      if (input[j] === '"') throw new DnsInputError("unexpected quote inside unquoted text");
      j += input[j] === "\\" ? 2 : 1;
    }
    tokens.push({ text: input.slice(i, Math.min(j, n)), quoted: false });
    i = j;
  }
  return tokens;
}

/** Tokens of a record made only of unquoted fields. */
export function plainFields(input: string): string[] {
  return tokenize(input).map((t) => {
    if (t.quoted) throw new DnsInputError("unexpected quoted string");
    return t.text;
  });
}

/** Exactly `count` unquoted fields, else "expected <usage>". */
export function exactFields(input: string, count: number, usage: string): string[] {
  const fields = plainFields(input);
  if (fields.length !== count) throw new DnsInputError(`expected ${usage}`);
  return fields;
}
