import { describe, expect, it } from "vitest";
import { parseTrustProxy, TRUST_NONE, trustProxyFunction } from "./trust-proxy.js";

describe("DNSCOVE_TRUST_PROXY", () => {
  it("trusts nobody when empty or none", () => {
    expect(parseTrustProxy("")).toEqual(TRUST_NONE);
    expect(parseTrustProxy("none")).toEqual(TRUST_NONE);
    const trust = trustProxyFunction(TRUST_NONE);
    expect(trust("127.0.0.1", 0)).toBe(false);
  });

  it("takes addresses, CIDRs, Express's names and one hop count", () => {
    expect(parseTrustProxy(" 10.0.0.0/8, 2001:db8::1 ,2")).toEqual({
      hops: 2,
      ranges: ["10.0.0.0/8", "2001:db8::1/128"],
    });
    const trust = trustProxyFunction(parseTrustProxy("10.0.0.0/8,loopback"));
    expect(trust("10.1.2.3", 0)).toBe(true);
    expect(trust("::ffff:10.1.2.3", 0)).toBe(true);
    expect(trust("::1", 3)).toBe(true);
    expect(trust("192.0.2.1", 0)).toBe(false);
    expect(trust("not-an-address", 0)).toBe(false);
  });

  it("trusts the nearest hops by count, whatever their address", () => {
    const trust = trustProxyFunction(parseTrustProxy("1"));
    expect(trust("192.0.2.1", 0)).toBe(true);
    expect(trust("192.0.2.2", 1)).toBe(false);
  });

  it("refuses values that are not addresses, and trusting everyone", () => {
    expect(() => parseTrustProxy("10.0.0.0/33")).toThrow(/prefix length outside 0-32/);
    expect(() => parseTrustProxy("proxy.internal")).toThrow(/not an IP address, a CIDR or a hop count/);
    expect(() => parseTrustProxy("1,2")).toThrow(/more than one hop count/);
    expect(() => parseTrustProxy("true")).toThrow(/every caller pick its own address/);
  });
});
