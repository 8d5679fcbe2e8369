import { createPrivateKey, createPublicKey, X509Certificate } from "node:crypto";
import { describe, expect, it } from "vitest";
import { makeServerCertificate } from "../src/protocol/tls.js";

/**
 * The AutoMTLS certificate is written by hand in DER (src/protocol/tls.ts); every acceptance test
 * has the real terraform (Go's crypto/tls) dial through it. This checks the fields go-plugin
 * relies on, as node's own X.509 parser reads them.
 */
describe("AutoMTLS server certificate", () => {
  it("is a self-signed P-256 CA for localhost, valid now for a day, matching its key", () => {
    const now = new Date("2026-12-02T03:00:00Z");
    const made = makeServerCertificate(now);
    const cert = new X509Certificate(made.certPem);
    expect(cert.checkHost("localhost")).toBe("localhost");
    expect(cert.subjectAltName).toBe("DNS:localhost");
    expect(cert.ca).toBe(true);
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(cert.publicKey.asymmetricKeyDetails?.namedCurve).toBe("prime256v1");
    expect(new Date(cert.validFrom).getTime()).toBeLessThan(now.getTime());
    expect(new Date(cert.validTo).getTime()).toBeGreaterThan(now.getTime() + 23 * 3600_000);
    expect(cert.keyUsage).toEqual(expect.arrayContaining(["1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"]));
    const fromKey = createPublicKey(createPrivateKey(made.keyPem)).export({ type: "spki", format: "der" });
    expect(Buffer.from(fromKey).equals(cert.publicKey.export({ type: "spki", format: "der" }))).toBe(true);
    // The handshake line carries the DER in base64 without padding (Go's RawStdEncoding).
    expect(made.handshake).not.toMatch(/=/);
    expect(Buffer.from(made.handshake, "base64").equals(cert.raw)).toBe(true);
  });

  it("gets a fresh key and serial every start", () => {
    const [a, b] = [makeServerCertificate(), makeServerCertificate()];
    expect(new X509Certificate(a.certPem).serialNumber).not.toBe(new X509Certificate(b.certPem).serialNumber);
    expect(a.keyPem).not.toBe(b.keyPem);
  });
});
