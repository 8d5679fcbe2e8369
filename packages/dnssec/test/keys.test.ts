/** Keys: DNSKEY/key tag/DS against RFC 6605's example and BIND's dnssec-dsfromkey, sealing, no private leaks. */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { runCommand } from "@dnscove/testkit";
import { describe, expect, it } from "vitest";
import {
  base32hex,
  generateKey,
  KeyStorageError,
  keyTag,
  nsec3Hash,
  openPrivateKey,
  sealPrivateKey,
  serialBefore,
  typeBitmap,
} from "../src/index.js";

const SECRET = "a-test-secret-that-is-long-enough-0123456789";

describe("key material", () => {
  it("computes the key tag of RFC 6605 section 6.1's example KSK (55648)", () => {
    const pub = Buffer.from(
      "GojIhhXUN/u4v54ZQqGSnyhWJwaubCvTmeexv7bR6edbkrSqQpF64cYbcB7wNcP+e+MAnLr+Wi9xMWyQLc8NAA==",
      "base64",
    );
    expect(keyTag(Uint8Array.from([1, 1, 3, 13, ...pub]))).toBe(55648);
  });

  it.each([13, 15] as const)("DS of a generated algorithm-%i KSK matches dnssec-dsfromkey", async (alg) => {
    const key = generateKey("ksk", alg);
    expect(key.flags).toBe(257);
    expect(key.publicKey.length).toBe(alg === 13 ? 64 : 32);
    const dir = await mkdtemp(join(tmpdir(), "dnscove-ds-"));
    try {
      const file = join(dir, "dnskey");
      await writeFile(file, `example.test. 3600 IN DNSKEY ${key.dnskeyText()}\n`);
      const r = await runCommand("dnssec-dsfromkey", ["-2", "-f", file, "example.test"]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout.trim()).toBe(`example.test. IN DS ${key.dsText("example.test.")}`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it.each([13, 15] as const)(
    "seals and opens an algorithm-%i private key; wrong secret, tampering and a swapped key fail",
    (alg) => {
      const key = generateKey("zsk", alg);
      const sealed = sealPrivateKey(key, SECRET);
      const pkcs8 = Buffer.from(key.exportPrivatePkcs8()).toString("base64");
      expect(sealed).not.toContain(pkcs8.slice(10, 40));
      const expected = { role: "zsk" as const, algorithm: alg, dnskeyRdata: key.dnskeyRdata() };
      const opened = openPrivateKey(sealed, SECRET, expected);
      expect(opened.keyTag).toBe(key.keyTag);
      expect(opened.sign(Uint8Array.of(1, 2, 3)).length).toBe(64);
      expect(() => openPrivateKey(sealed, `${SECRET}x`, expected)).toThrow(KeyStorageError);
      const parts = sealed.split(".");
      const ct = Buffer.from(parts[3] ?? "", "base64url");
      ct[0] = (ct[0] ?? 0) ^ 1;
      parts[3] = ct.toString("base64url");
      expect(() => openPrivateKey(parts.join("."), SECRET, expected)).toThrow(KeyStorageError);
      const other = generateKey("zsk", alg);
      expect(() => openPrivateKey(sealed, SECRET, { ...expected, dnskeyRdata: other.dnskeyRdata() })).toThrow(
        KeyStorageError,
      );
      expect(() => sealPrivateKey(key, "short")).toThrow(/at least 32 characters/);
    },
  );

  it("never shows the private key in JSON, toString, inspect or errors", () => {
    const key = generateKey("ksk", 13);
    const pkcs8 = Buffer.from(key.exportPrivatePkcs8());
    const d = (key as unknown as { [k: string]: unknown }).d;
    expect(d).toBeUndefined();
    const shown = [JSON.stringify(key), String(key), inspect(key, { showHidden: true, depth: 5 })].join("\n");
    expect(shown).toContain(String(key.keyTag));
    for (const enc of ["base64", "base64url", "hex"] as const) {
      // The private scalar sits in the PKCS#8 DER's last 32+ octets (before the public key); look for any 16-octet window.
      const text = pkcs8.subarray(7 + 28, 7 + 28 + 16).toString(enc);
      expect(shown).not.toContain(text);
    }
    let message = "";
    try {
      openPrivateKey("dnssec-v1.AA.AA.AA.AA", SECRET, {
        role: "ksk",
        algorithm: 13,
        dnskeyRdata: key.dnskeyRdata(),
      });
    } catch (e) {
      message = String(e);
    }
    expect(message).toMatch(/could not be opened/);
  });
});

describe("encodings", () => {
  it("hashes names per Knot's knsec3hash does (no salt, 0 iterations)", async () => {
    const r = await runCommand("knsec3hash", ["1", "0", "0", "-", "a.example.test."]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split(" ")[0]?.toLowerCase()).toBe(nsec3Hash("a.example.test."));
  });

  it("writes type bitmaps in window blocks (RFC 4034 section 4.1.2's example)", () => {
    // A MX RRSIG NSEC TYPE1234 from RFC 4034 section 4.3.
    expect(Buffer.from(typeBitmap([1, 15, 46, 47, 1234])).toString("hex")).toBe(
      `0006400100000003041b${"00".repeat(26)}20`,
    );
  });

  it("base32hex preserves order and serial arithmetic wraps", () => {
    expect(base32hex(Uint8Array.of(0xff))).toBe("vs");
    expect(serialBefore(0xfffffff0, 5)).toBe(true);
    expect(serialBefore(5, 0xfffffff0)).toBe(false);
  });
});
