import { describe, expect, it } from "vitest";
import { canonicalOrigin, canonicalOwnerName, parseRRsetPhysicalId, rrsetPhysicalId } from "./handler.js";
import { responseBody } from "./response.js";

describe("names and ids", () => {
  it("canonicalises origins and owner names as the API does", () => {
    expect(canonicalOrigin(" Example.COM. ")).toBe("example.com");
    expect(canonicalOwnerName("@", "example.com")).toBe("example.com.");
    expect(canonicalOwnerName("", "example.com")).toBe("example.com.");
    expect(canonicalOwnerName("WWW", "example.com")).toBe("www.example.com.");
    expect(canonicalOwnerName("www.example.com", "example.com")).toBe("www.example.com.");
    expect(canonicalOwnerName("www.Example.com.", "example.com")).toBe("www.example.com.");
    expect(canonicalOwnerName("example.com", "example.com")).toBe("example.com.");
  });

  it("round-trips rrset physical ids, names with '/' included (RFC 2317)", () => {
    const key = { zoneId: "Z1a2b3c4d5e6f70", name: "0/25.2.0.192.in-addr.arpa.", type: "CNAME" };
    expect(parseRRsetPhysicalId(rrsetPhysicalId(key))).toEqual(key);
    for (const id of [
      "Zone",
      "2c6b5bde-7a1c-4a4c-9f3c-6a3b1c6f8e11",
      "Z1a2b3c4d5e6f70/www/A",
      "x/www.a./A",
    ]) {
      expect(parseRRsetPhysicalId(id)).toBeUndefined();
    }
  });
});

describe("responseBody", () => {
  const base = {
    Status: "FAILED" as const,
    PhysicalResourceId: "p",
    StackId: "s",
    RequestId: "r",
    LogicalResourceId: "l",
    NoEcho: false,
    Data: {},
  };
  it("leaves small bodies alone and truncates multi-byte reasons on a code-point boundary", () => {
    expect(JSON.parse(responseBody({ ...base, Reason: "short" })).Reason).toBe("short");
    const body = responseBody({ ...base, Reason: "é😀".repeat(2000) });
    expect(Buffer.byteLength(body)).toBeLessThan(4096);
    const reason: string = JSON.parse(body).Reason;
    expect(reason.endsWith(" … (truncated)")).toBe(true);
    // No lone surrogate left by the cut.
    expect(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/.test(reason)).toBe(false);
  });
});
