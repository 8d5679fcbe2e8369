import { X509Certificate } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { run } from "./processes.js";

export interface IssuedCertificate {
  sans: string[];
  verifyOutput: string;
  subject: string;
  issuer: string;
}

/** The PEM blocks of a file, in order. */
export function pemBlocks(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}

/**
 * Verifies a leaf with `openssl verify` against pebble's issuing root (the intermediates given as
 * untrusted), and returns its DNS SANs, sorted. Also makes sure the same check against a wrong
 * trust anchor (pebble's TLS CA) fails, so the verification is not vacuous.
 */
export async function verifyIssuedCertificate(options: {
  leafFile: string;
  chainFile: string;
  rootPem: string;
  wrongCaFile: string;
  workDir: string;
}): Promise<IssuedCertificate> {
  const rootFile = path.join(options.workDir, "pebble-root.pem");
  writeFileSync(rootFile, options.rootPem);
  const leafPem = pemBlocks(readFileSync(options.leafFile, "utf8"))[0];
  if (!leafPem) throw new Error(`${options.leafFile} holds no certificate`);
  const leafOnly = path.join(options.workDir, "leaf-only.pem");
  writeFileSync(leafOnly, `${leafPem}\n`);

  const verify = await run("openssl", [
    "verify",
    "-CAfile",
    rootFile,
    "-untrusted",
    options.chainFile,
    leafOnly,
  ]);
  if (verify.code !== 0 || !/: OK\s*$/.test(verify.stdout)) {
    throw new Error(`openssl verify failed (${verify.code}):\n${verify.stdout}\n${verify.stderr}`);
  }
  const wrong = await run("openssl", [
    "verify",
    "-CAfile",
    options.wrongCaFile,
    "-untrusted",
    options.chainFile,
    leafOnly,
  ]);
  if (wrong.code === 0) throw new Error("openssl verify accepted the leaf against an unrelated CA");

  const leaf = new X509Certificate(leafPem);
  const sans = (leaf.subjectAltName ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.startsWith("DNS:"))
    .map((s) => s.slice(4))
    .sort();
  return { sans, verifyOutput: verify.stdout.trim(), subject: leaf.subject, issuer: leaf.issuer };
}
