import { describe, expect, it } from "vitest";
import {
  canonicalOrigin,
  canonicalOwnerName,
  canonicalTargetName,
  DnsInputError,
  isInZone,
  nameToWire,
  relativeToOrigin,
} from "../src/index.js";

const label63 = "a".repeat(63);
const label64 = "a".repeat(64);
/** A name of exactly `len` characters made of 63-char labels (no trailing dot). */
function nameOfLength(len: number, tld = "com"): string {
  const labels: string[] = [];
  let remaining = len - tld.length;
  while (remaining > 0) {
    const take = Math.min(63, remaining - 1);
    labels.push("a".repeat(take));
    remaining -= take + 1;
  }
  return [...labels, tld].join(".");
}

describe("canonicalOrigin", () => {
  it.each([
    ["example.com", "example.com"],
    ["example.com.", "example.com"],
    ["  Example.COM.  ", "example.com"],
    ["bücher.Example.COM.", "xn--bcher-kva.example.com"],
    ["BÜCHER.example.com", "xn--bcher-kva.example.com"],
    ["xn--bcher-kva.example.com", "xn--bcher-kva.example.com"],
    ["XN--BCHER-KVA.EXAMPLE.COM", "xn--bcher-kva.example.com"],
    ["faß.de", "xn--fa-hia.de"],
    ["例え。テスト", "xn--r8jz45g.xn--zckzah"],
    ["ｅｘａｍｐｌｅ．ｃｏｍ", "example.com"],
    ["a-b.c-d.example", "a-b.c-d.example"],
    ["123.example.com", "123.example.com"],
    ["example.xn--p1ai", "example.xn--p1ai"],
    [`${label63}.com`, `${label63}.com`],
    [nameOfLength(253), nameOfLength(253)],
    [`${nameOfLength(253)}.`, nameOfLength(253)],
  ])("%j -> %j", (input, expected) => {
    expect(canonicalOrigin(input)).toBe(expected);
  });

  it.each([
    ["", "zone name must not be empty"],
    ["   ", "zone name must not be empty"],
    [".", "zone name must not be empty"],
    ["com", "zone name must have at least two labels"],
    ["com.", "zone name must have at least two labels"],
    ["bücher", "zone name must have at least two labels"],
    ["example..com", "empty label"],
    [".example.com", "empty label"],
    ["example.com..", "empty label"],
    [`${label64}.com`, "label longer than 63 octets"],
    [nameOfLength(254), "name longer than 253 characters"],
    ["exa mple.com", "whitespace"],
    ["example.com\n", null],
    ["ex\tample.com", "whitespace"],
    ["-example.com", "hyphen"],
    ["example-.com", "hyphen"],
    ["*.example.com", "wildcard"],
    ["_dmarc.example.com", "underscore"],
    ["example.123", "all-numeric"],
    ["1.2.3.4", "all-numeric"],
    ["ex@mple.com", "invalid character"],
    ["exa/mple.com", "invalid character"],
    ["ex\\.ample.com", "invalid character"],
    ["xn--zz.com", "punycode"],
    ["a\u0000b.com", "invalid"],
  ])("rejects %j", (input, message) => {
    if (message === null) {
      expect(canonicalOrigin(input)).toBe("example.com");
      return;
    }
    expect(() => canonicalOrigin(input)).toThrow(DnsInputError);
    expect(() => canonicalOrigin(input)).toThrow(message);
  });

  it("is idempotent", () => {
    for (const s of ["bücher.Example.COM.", "A.B.C", "例え。テスト"]) {
      const once = canonicalOrigin(s);
      expect(canonicalOrigin(once)).toBe(once);
    }
  });
});

describe("canonicalOwnerName", () => {
  const zone = "example.com";
  it.each([
    ["@", "example.com."],
    ["", "example.com."],
    ["  @ ", "example.com."],
    ["www", "www.example.com."],
    ["WWW", "www.example.com."],
    ["a.b", "a.b.example.com."],
    ["www.example.com", "www.example.com."],
    ["WWW.Example.com.", "www.example.com."],
    ["example.com", "example.com."],
    ["example.com.", "example.com."],
    ["EXAMPLE.COM", "example.com."],
    ["www.example.org", "www.example.org.example.com."],
    ["notexample.com", "notexample.com.example.com."],
    ["*", "*.example.com."],
    ["*.www", "*.www.example.com."],
    ["*.example.com.", "*.example.com."],
    ["_acme-challenge", "_acme-challenge.example.com."],
    ["_dmarc", "_dmarc.example.com."],
    ["_sip._tcp", "_sip._tcp.example.com."],
    ["_443._tcp.www.example.com.", "_443._tcp.www.example.com."],
    ["bücher", "xn--bcher-kva.example.com."],
    ["bücher.example.com.", "xn--bcher-kva.example.com."],
    ["-foo", "-foo.example.com."],
    ["123", "123.example.com."],
    [label63, `${label63}.example.com.`],
  ])("%j in example.com -> %j", (input, expected) => {
    expect(canonicalOwnerName(input, zone)).toBe(expected);
  });

  it("accepts a non-canonical origin argument", () => {
    expect(canonicalOwnerName("www", "Bücher.Example.com.")).toBe("www.xn--bcher-kva.example.com.");
    expect(canonicalOwnerName("www.bücher.example.com.", "xn--bcher-kva.example.com")).toBe(
      "www.xn--bcher-kva.example.com.",
    );
  });

  it.each([
    ["www.example.org.", "name is not inside zone example.com"],
    ["notexample.com.", "name is not inside zone example.com"],
    ["com.", "name is not inside zone example.com"],
    [".", "name is not inside zone example.com"],
    ["www.*", 'wildcard "*" is only allowed as the whole leftmost label'],
    ["*.*", 'wildcard "*" is only allowed as the whole leftmost label'],
    ["a*", 'wildcard "*" is only allowed as the whole leftmost label'],
    ["*a", 'wildcard "*" is only allowed as the whole leftmost label'],
    ["www..x", "empty label"],
    [".www", "empty label"],
    ["www..", "empty label"],
    [label64, "label longer than 63 octets"],
    ["a b", "whitespace"],
    ["www.@", "invalid character"],
    ["w!w", "invalid character"],
    ["ww\\046w", "invalid character"],
  ])("rejects %j", (input, message) => {
    expect(() => canonicalOwnerName(input, zone)).toThrow(DnsInputError);
    expect(() => canonicalOwnerName(input, zone)).toThrow(message);
  });

  it("enforces the 253 character limit after appending the origin", () => {
    const zoneName = nameOfLength(200);
    const relativeOk = nameOfLength(52, "x"); // 52 + 1 + 200 = 253
    expect(canonicalOwnerName(relativeOk, zoneName)).toBe(`${relativeOk}.${zoneName}.`);
    const relativeBad = nameOfLength(53, "x");
    expect(() => canonicalOwnerName(relativeBad, zoneName)).toThrow("name longer than 253 characters");
  });

  it("rejects an invalid origin", () => {
    expect(() => canonicalOwnerName("www", "com")).toThrow(DnsInputError);
  });
});

describe("canonicalTargetName", () => {
  it.each([
    ["mail.example.com", "mail.example.com."],
    ["Mail.Example.COM.", "mail.example.com."],
    [".", "."],
    [" . ", "."],
    ["localhost", "localhost."],
    ["_sip._udp.example.com", "_sip._udp.example.com."],
    ["bücher.de", "xn--bcher-kva.de."],
    ["1.2.3.4.in-addr.arpa", "1.2.3.4.in-addr.arpa."],
    ["1.2.3", "1.2.3."],
    ["-x-.example", "-x-.example."],
    [`${nameOfLength(253)}.`, `${nameOfLength(253)}.`],
  ])("%j -> %j", (input, expected) => {
    expect(canonicalTargetName(input)).toBe(expected);
  });

  it.each([
    ["", "hostname must not be empty"],
    ["   ", "hostname must not be empty"],
    ["127.0.0.1", "target must be a hostname, not an IP address"],
    ["127.0.0.1.", "target must be a hostname, not an IP address"],
    ["1.2.3.04", "target must be a hostname, not an IP address"],
    ["2001:db8::1", "target must be a hostname, not an IP address"],
    ["*.example.com", "wildcard"],
    ["a..b", "empty label"],
    ["..", "empty label"],
    [`${label64}.com`, "label longer than 63 octets"],
    [nameOfLength(254), "name longer than 253 characters"],
    ["mail example.com", "whitespace"],
    ["a@b.com", "invalid character"],
  ])("rejects %j", (input, message) => {
    expect(() => canonicalTargetName(input)).toThrow(DnsInputError);
    expect(() => canonicalTargetName(input)).toThrow(message);
  });
});

describe("isInZone / relativeToOrigin", () => {
  it.each([
    ["www.example.com.", "example.com", true, "www"],
    ["example.com.", "example.com", true, "@"],
    ["a.b.example.com.", "example.com", true, "a.b"],
    ["*.example.com.", "example.com", true, "*"],
    ["WWW.Example.COM.", "example.com", true, "www"],
    ["www.example.com", "example.com", true, "www"],
    ["notexample.com.", "example.com", false, null],
    ["example.org.", "example.com", false, null],
    ["com.", "example.com", false, null],
  ])("%j in %j", (fqdn, origin, inZone, relative) => {
    expect(isInZone(fqdn, origin)).toBe(inZone);
    if (relative === null) {
      expect(() => relativeToOrigin(fqdn, origin)).toThrow("name is not inside zone example.com");
    } else {
      expect(relativeToOrigin(fqdn, origin)).toBe(relative);
    }
  });

  it("round trips with canonicalOwnerName", () => {
    for (const rel of ["@", "www", "a.b", "*", "_dmarc", "*.x"]) {
      expect(relativeToOrigin(canonicalOwnerName(rel, "example.com"), "example.com")).toBe(rel);
    }
  });
});

describe("nameToWire", () => {
  const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
  it.each([
    [".", "00"],
    ["com.", "03636f6d00"],
    ["www.Example.com.", "03777777076578616d706c6503636f6d00"],
    ["www.example.com", "03777777076578616d706c6503636f6d00"],
    ["*.example.com.", "012a076578616d706c6503636f6d00"],
    ["_dmarc.example.com.", "065f646d617263076578616d706c6503636f6d00"],
  ])("%j -> %s", (name, expected) => {
    expect(hex(nameToWire(name))).toBe(expected);
  });

  it("encodes a maximal name in 255 octets", () => {
    expect(nameToWire(`${nameOfLength(253)}.`).length).toBe(255);
  });

  it.each(["", "a..b", "a.*.b", label64, nameOfLength(254)])("rejects %j", (name) => {
    expect(() => nameToWire(name)).toThrow(DnsInputError);
  });
});
