/**
 * The canonicaliser's fast paths (issue 14) against the code they replaced, on a few thousand
 * generated inputs with a fixed seed: the one-pass escape decoder, the run-copying quoter and the
 * pooled UTF-8 encoder must give the same octets, strings and errors as the per-character originals
 * kept in test/reference/, and the size-only wire pass must count what `rdataToWire` produces.
 */

import { seededRandom } from "@dnscove/testkit/seeded-random";
import { describe, expect, it } from "vitest";
import { decodeEscapes, quoteBytes, utf8 } from "../src/charstring.js";
import {
  canonicalRecords,
  canonicalRecordsWithSize,
  DnsRecordsError,
  type RecordType,
  rdataToWire,
} from "../src/index.js";
import * as before from "./reference/charstring-before.js";

/** Pieces that exercise every branch: escapes good and bad, non-ASCII, astral and lone surrogates. */
const PIECES = [
  "a",
  "Z",
  " ",
  "\t",
  '"',
  "\\",
  "\\\\",
  '\\"',
  "\\0",
  "\\00",
  "\\000",
  "\\065",
  "\\255",
  "\\256",
  "\\999",
  "\\1a",
  "\\x",
  "\\ ",
  "\\é",
  "\\😀",
  "é",
  "ß",
  "日本",
  "😀",
  "\u00a0",
  "\u3000",
  "\ud800",
  "\udc00",
  "\x00",
  "\x7f",
  "v=spf1 include:_spf.example.com ~all",
];

function randomText(rand: () => number, maxPieces: number): string {
  let s = "";
  const n = Math.floor(rand() * (maxPieces + 1));
  for (let i = 0; i < n; i++) s += PIECES[Math.floor(rand() * PIECES.length)];
  return s;
}

/** The result or the error message, so errors are compared too. */
function outcome<T>(f: () => T): { value: T } | { error: string } {
  try {
    return { value: f() };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

function bytesOutcome(f: () => Uint8Array) {
  const o = outcome(f);
  return "value" in o ? { value: [...o.value] } : o;
}

describe("fast paths equal the code they replaced", () => {
  const rand = seededRandom(14);

  it("decodeEscapes: same octets and same errors on 5,000 generated strings", () => {
    let errors = 0;
    for (let i = 0; i < 5000; i++) {
      const s = randomText(rand, 12);
      const expected = bytesOutcome(() => before.decodeEscapes(s));
      if ("error" in expected) errors++;
      expect(
        bytesOutcome(() => decodeEscapes(s)),
        JSON.stringify(s),
      ).toEqual(expected);
    }
    // The generator must reach the error paths, or this test proves little.
    expect(errors).toBeGreaterThan(500);
  });

  it("decodeEscapes: a result is not overwritten by the next call (the buffer is reused)", () => {
    const first = decodeEscapes("first");
    decodeEscapes("second string, longer");
    expect(Buffer.from(first).toString()).toBe("first");
  });

  it("utf8: same octets and errors on 3,000 generated strings", () => {
    for (let i = 0; i < 3000; i++) {
      const s = randomText(rand, 12);
      expect(bytesOutcome(() => utf8(s))).toEqual(bytesOutcome(() => before.utf8(s)));
    }
  });

  it("quoteBytes: same text for 3,000 random octet strings, including subarrays", () => {
    for (let i = 0; i < 3000; i++) {
      const len = Math.floor(rand() * 300);
      const all = Uint8Array.from({ length: len + 8 }, () =>
        rand() < 0.7 ? 0x20 + Math.floor(rand() * 95) : Math.floor(rand() * 256),
      );
      const bytes = all.subarray(3, 3 + len);
      expect(quoteBytes(bytes)).toBe(before.quoteBytes(bytes));
    }
  });
});

describe("canonicalRecordsWithSize", () => {
  const rand = seededRandom(1414);
  const samples: Record<string, (i: number) => string> = {
    A: (i) => `192.0.2.${i % 256}`,
    AAAA: (i) => `2001:DB8::${(i % 0xffff).toString(16)}`,
    TXT: () => (rand() < 0.5 ? `"${randomText(rand, 8)}" "${randomText(rand, 4)}"` : randomText(rand, 8)),
    CAA: () => `0 issue "${randomText(rand, 4)}"`,
    MX: (i) => `${i % 100} mail${i}.Bücher.example.`,
    SRV: (i) => `1 2 ${i % 65536} sip${i}.example.com`,
    NAPTR: (i) => `100 ${i % 10} "s" "SIP+D2U" "" _sip._udp.example.com.`,
    SVCB: (i) => `1 svc${i}.example.net. alpn=h2,h3 port=${i % 65536}`,
    TLSA: (i) => `3 1 1 ${(i + 4096).toString(16).repeat(8)}`,
  };

  it("gives canonicalRecords' records and the summed rdataToWire length, or the same issues", () => {
    let accepted = 0;
    for (let i = 0; i < 2000; i++) {
      const type = Object.keys(samples)[i % Object.keys(samples).length] as RecordType;
      const make = samples[type] as (i: number) => string;
      const records = Array.from({ length: 1 + Math.floor(rand() * 5) }, (_, j) => make(i * 7 + j));
      const expected = outcome(() => canonicalRecords(type, records));
      const actual = outcome(() => canonicalRecordsWithSize(type, records));
      if ("error" in expected) {
        expect(actual).toEqual(expected);
        continue;
      }
      accepted++;
      if (!("value" in actual)) throw new Error(`rejected ${JSON.stringify(records)}: ${actual.error}`);
      expect(actual.value.records).toEqual(expected.value);
      const octets = expected.value.reduce((sum, record) => sum + rdataToWire(type, record).length, 0);
      expect(actual.value.rdataOctets).toBe(octets);
    }
    expect(accepted).toBeGreaterThan(1000);
  });

  it("throws DnsRecordsError listing every bad record", () => {
    expect(() => canonicalRecordsWithSize("TXT", ['"ok"', '"\\256"', '"ok"'])).toThrow(DnsRecordsError);
  });
});
