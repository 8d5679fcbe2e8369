/** Randomised round trips with a fixed-seed PRNG (deterministic, no extra dependencies). */

import { seededRandom } from "@dnscove/testkit/seeded-random";
import { describe, expect, it } from "vitest";
import { canonicalRecord, type RecordType, rdataFromWire, rdataToWire } from "../src/index.js";
import { formatIPv6, parseIPv6 } from "../src/ip.js";

function randomBytes(rand: () => number, max: number): Uint8Array {
  const len = Math.floor(rand() * (max + 1));
  return Uint8Array.from({ length: len }, () => Math.floor(rand() * 256));
}

function checkWire(type: RecordType, wire: Uint8Array): void {
  const text = rdataFromWire(type, wire);
  expect(rdataToWire(type, text)).toEqual(wire);
  expect(canonicalRecord(type, text)).toBe(text);
}

describe("random round trips", () => {
  const rand = seededRandom(20240601);

  it("TXT: arbitrary octets survive wire -> text -> wire", () => {
    for (let i = 0; i < 300; i++) {
      const parts: number[] = [];
      const count = 1 + Math.floor(rand() * 4);
      for (let j = 0; j < count; j++) {
        const s = randomBytes(rand, 255);
        parts.push(s.length, ...s);
      }
      checkWire("TXT", Uint8Array.from(parts));
    }
  });

  it("CAA: arbitrary values survive", () => {
    for (let i = 0; i < 200; i++) {
      const value = randomBytes(rand, 100);
      checkWire("CAA", Uint8Array.from([Math.floor(rand() * 256), 5, ...Buffer.from("issue"), ...value]));
    }
  });

  it("SVCB: arbitrary generic and alpn values survive", () => {
    for (let i = 0; i < 200; i++) {
      const ids: number[] = [];
      const n = 1 + Math.floor(rand() * 3);
      for (let j = 0; j < n; j++) {
        const id = randomBytes(rand, 20);
        if (id.length === 0) continue;
        ids.push(id.length, ...id);
      }
      if (ids.length === 0) ids.push(2, 0x68, 0x32);
      const generic = randomBytes(rand, 40);
      const wire = Uint8Array.from([
        0,
        1,
        0, // priority 1, target "."
        0,
        1,
        ids.length >> 8,
        ids.length & 0xff,
        ...ids,
        0xfd,
        0xe8,
        generic.length >> 8,
        generic.length & 0xff,
        ...generic, // key65000
      ]);
      checkWire("SVCB", wire);
    }
  });

  it("AAAA: every 16-octet value round trips and formatting is a fixed point", () => {
    for (let i = 0; i < 2000; i++) {
      const bytes = new Uint8Array(16);
      for (let w = 0; w < 8; w++) {
        const r = rand();
        const word = r < 0.5 ? 0 : r < 0.6 ? 0xffff : Math.floor(rand() * 65536);
        bytes[w * 2] = word >> 8;
        bytes[w * 2 + 1] = word & 0xff;
      }
      const text = formatIPv6(bytes);
      expect(parseIPv6(text)).toEqual(bytes);
      checkWire("AAAA", bytes);
    }
  });
});
