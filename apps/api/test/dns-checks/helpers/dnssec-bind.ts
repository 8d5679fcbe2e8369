/**
 * The signer of the test hierarchy's own zones (the root and the parent "test."), when it runs
 * with `dnssec: true`: BIND's dnssec-keygen and dnssec-signzone (bind9-utils), so the chain above
 * the zones DNSCove signs is made by an independent implementation. One KSK and one ZSK per zone,
 * ECDSAP256SHA256 (RFC 6605); the root is signed with NSEC, like the real root; the parent zones
 * with NSEC3 as RFC 9276 section 3.1 asks (no extra iterations, empty salt, no opt-out), so an
 * insecure delegation is proven by an NSEC3 record whose bitmap has NS and no DS (RFC 5155
 * section 8.6). Signatures: dnssec-signzone's defaults (an hour back, 30 days ahead).
 *
 * The root's KSK is the only trust anchor of everything that validates here, written in the form
 * each validator reads (`anchorFiles`).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { runOk } from "./netns.js";

export const DNSSEC_TOOLS = [
  "dnssec-keygen",
  "dnssec-signzone",
  "dnssec-dsfromkey",
  "unbound-control",
] as const;

export interface BindSigner {
  /** The root KSK's DS, ". IN DS <tag> 13 2 <hex>". */
  rootDs: string;
  /** The root KSK, ". IN DNSKEY 257 3 13 <base64>". */
  rootDnskey: string;
  /** The root trust anchor as unbound (a DS line), delv (a trust-anchors clause) and dnsviz grok (a DNSKEY line) read it. */
  anchorFiles: { unbound: string; delv: string; dnsviz: string };
  /** Makes a KSK and a ZSK for `origin` (once) and returns the KSK's DS line ("<origin> IN DS ..."). */
  keysFor(origin: string): Promise<string>;
  /** Signs `text` (a zone file of `origin`) with the zone's keys; NSEC3 per RFC 9276 unless `nsec` is set. */
  sign(origin: string, text: string, options?: { nsec?: boolean }): Promise<string>;
}

const ALGORITHM = "ECDSAP256SHA256";

/** "K<origin>+013+<tag>" from dnssec-keygen -q, which prints the key's base name. */
async function keygen(dir: string, origin: string, ksk: boolean): Promise<string> {
  const r = await runOk("dnssec-keygen", [
    "-q",
    "-K",
    dir,
    "-a",
    ALGORITHM,
    "-n",
    "ZONE",
    ...(ksk ? ["-f", "KSK"] : []),
    origin,
  ]);
  const name = r.stdout.trim();
  if (!/^K\S+\+013\+\d{5}$/.test(name)) throw new Error(`dnssec-keygen printed "${r.stdout}"`);
  return name;
}

/** "owner IN DS tag alg 2 HEX" with the digest in one piece (dnssec-dsfromkey prints it so). */
async function dsOf(keyFile: string): Promise<string> {
  const r = await runOk("dnssec-dsfromkey", ["-2", keyFile]);
  const line = r.stdout.trim();
  if (!/^\S+ IN DS \d+ 13 2 [0-9A-F]{64}$/.test(line)) throw new Error(`dnssec-dsfromkey printed "${line}"`);
  return line;
}

export async function createBindSigner(dir: string): Promise<BindSigner> {
  const keysDir = path.join(dir, "keys");
  mkdirSync(keysDir, { recursive: true });
  const ksks = new Map<string, string>();
  const keysFor = async (origin: string): Promise<string> => {
    let ksk = ksks.get(origin);
    if (ksk === undefined) {
      ksk = await keygen(keysDir, origin, true);
      await keygen(keysDir, origin, false);
      ksks.set(origin, ksk);
    }
    return dsOf(path.join(keysDir, `${ksk}.key`));
  };

  const rootDs = await keysFor(".");
  const rootKsk = ksks.get(".") ?? "";
  const rootDnskey =
    readFileSync(path.join(keysDir, `${rootKsk}.key`), "utf8")
      .split("\n")
      .find((l) => /^\.\s.*DNSKEY\s+257 /.test(l))
      ?.replace(/\s+/g, " ")
      .trim() ?? "";
  const [, tag, alg, digestType, digest] = rootDs.split(/ IN DS | /).filter(Boolean);
  if (!rootDnskey || !digest) throw new Error(`root KSK not readable (${rootKsk}): ${rootDs}`);
  const anchorFiles = {
    unbound: path.join(dir, "root-anchor.ds"),
    delv: path.join(dir, "root-anchor.delv"),
    dnsviz: path.join(dir, "root-anchor.dnskey"),
  };
  writeFileSync(anchorFiles.unbound, `${rootDs}\n`);
  writeFileSync(
    anchorFiles.delv,
    `trust-anchors {\n  . static-ds ${tag} ${alg} ${digestType} "${digest}";\n};\n`,
  );
  writeFileSync(anchorFiles.dnsviz, `${rootDnskey}\n`);

  const sign = async (origin: string, text: string, options: { nsec?: boolean } = {}): Promise<string> => {
    await keysFor(origin);
    const work = mkdtempSync(path.join(dir, "sign-"));
    try {
      const input = path.join(work, "zone");
      const output = path.join(work, "zone.signed");
      writeFileSync(input, text);
      await runOk("dnssec-signzone", [
        // Smart signing: every key of the zone in keysDir, DNSKEYs added to the zone.
        "-S",
        "-K",
        keysDir,
        "-d",
        work,
        "-o",
        origin,
        "-f",
        output,
        // One record per line, names absolute: easy to read in a failing test's log.
        "-O",
        "full",
        ...(options.nsec ? [] : ["-3", "-", "-H", "0"]),
        input,
      ]);
      return readFileSync(output, "utf8");
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  };

  return { rootDs, rootDnskey, anchorFiles, keysFor, sign };
}
