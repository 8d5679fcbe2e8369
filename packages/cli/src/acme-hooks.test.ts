import { describe, expect, it } from "vitest";
import {
  challengeFqdn,
  challengeFromArgs,
  challengeFromCertbotEnv,
  digestKeyAuthorization,
} from "./acme-hooks.js";
import { UsageError } from "./errors.js";

describe("challenge values", () => {
  it("digests a key authorization as RFC 8555 §8.4 says (base64url SHA-256, no padding)", () => {
    // FIPS 180-2's "abc" vector: SHA-256 = ba7816bf…20015ad, here in unpadded base64url.
    expect(digestKeyAuthorization("abc")).toBe("ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0");
    expect(digestKeyAuthorization("token.thumbprint")).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it("puts the challenge under _acme-challenge, stripping a wildcard and a trailing dot", () => {
    expect(challengeFqdn("example.com")).toBe("_acme-challenge.example.com.");
    expect(challengeFqdn("*.example.com.")).toBe("_acme-challenge.example.com.");
  });

  it("tells lego's default mode from RAW mode by the argument count", () => {
    expect(challengeFromArgs(["_acme-challenge.example.com.", "v"])).toEqual({
      fqdn: "_acme-challenge.example.com.",
      value: "v",
    });
    expect(challengeFromArgs(["_acme-challenge.example.com", "v"]).fqdn).toBe("_acme-challenge.example.com.");
    expect(challengeFromArgs(["--", "*.example.com", "tok", "token.thumbprint"])).toEqual({
      fqdn: "_acme-challenge.example.com.",
      value: digestKeyAuthorization("token.thumbprint"),
    });
    expect(() => challengeFromArgs(["a"])).toThrow(UsageError);
    expect(() => challengeFromArgs(["a", "b", "c", "d"])).toThrow(UsageError);
  });

  it("reads certbot's environment", () => {
    expect(challengeFromCertbotEnv({ CERTBOT_DOMAIN: "*.example.com", CERTBOT_VALIDATION: "v" })).toEqual({
      fqdn: "_acme-challenge.example.com.",
      value: "v",
    });
    expect(() => challengeFromCertbotEnv({ CERTBOT_DOMAIN: "example.com" })).toThrow(/CERTBOT_VALIDATION/);
  });
});
