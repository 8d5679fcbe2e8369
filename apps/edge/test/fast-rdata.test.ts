/**
 * The load fast paths (src/zones/fast-rdata.ts) give exactly @dnscove/dns's rdataToWire encoding
 * when they answer, and step aside (undefined) for every form they do not handle.
 */
import { rdataToWire } from "@dnscove/dns";
import { describe, expect, it } from "vitest";
import { fastA, fastTxt } from "../src/zones/fast-rdata.js";

describe("load fast paths", () => {
  it("A: dotted quads encode like rdataToWire; other forms fall back", () => {
    for (const a of ["0.0.0.0", "192.0.2.1", "255.255.255.255", "10.128.3.77", "1.20.100.250"]) {
      expect(fastA(a)).toEqual(rdataToWire("A", a));
    }
    for (const bad of [
      "",
      "1.2.3",
      "1.2.3.4.5",
      "256.1.1.1",
      "01.2.3.4",
      "1..2.3",
      "1.2.3.4 ",
      "a.b.c.d",
      "1.2.3.-4",
    ]) {
      expect(fastA(bad)).toBeUndefined();
    }
  });

  it("TXT: plain quoted strings encode like rdataToWire; escapes, non-ASCII and odd spacing fall back", () => {
    const long = "y".repeat(255);
    for (const t of [
      '"v=spf1 -all"',
      '"a" "b" "c"',
      '""',
      '"" "x"',
      `"${long}"`,
      '"v=bench1 host 7" "second string for 7"',
    ]) {
      expect(fastTxt(t)).toEqual(rdataToWire("TXT", t));
    }
    for (const bad of [
      '"a\\"b"',
      '"café"',
      '"a"  "b"',
      '"a""b"',
      '"unterminated',
      "bare",
      `"${long}y"`,
      '"tab\there"',
      "",
    ]) {
      expect(fastTxt(bad)).toBeUndefined();
    }
  });
});
