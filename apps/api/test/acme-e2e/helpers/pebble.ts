import { writeFileSync } from "node:fs";
import path from "node:path";
import type { Netns } from "./netns.js";
import { baseEnv, type LongRunning, runOk } from "./processes.js";

export const PEBBLE_ACME_PORT = 14000;
export const PEBBLE_MANAGEMENT_PORT = 15000;

export interface Pebble {
  /** ACME directory URL (inside the namespace). */
  directory: string;
  /** The CA that signed pebble's own HTTPS certificate (not the issuing CA). */
  tlsCaFile: string;
  output(): string;
  /** Fetches the issuing root (`/roots/0`, random on every start) through the management API. */
  fetchRoot(): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Debian's pebble ships no test certificate: make a throwaway CA and a leaf for 127.0.0.1/localhost
 * with openssl (P-256), as in dns-harness.md §4.
 */
export async function makePebbleTlsCertificates(
  dir: string,
): Promise<{ ca: string; cert: string; key: string }> {
  const ca = path.join(dir, "ca.pem");
  const caKey = path.join(dir, "ca.key");
  const cert = path.join(dir, "cert.pem");
  const key = path.join(dir, "key.pem");
  const csr = path.join(dir, "leaf.csr");
  const ext = path.join(dir, "leaf.ext");
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];
  await runOk("openssl", [
    "req",
    "-x509",
    ...ec,
    "-keyout",
    caKey,
    "-out",
    ca,
    "-days",
    "30",
    "-subj",
    "/CN=DNSCove acme-e2e pebble TLS CA",
    "-addext",
    "basicConstraints=critical,CA:TRUE",
    "-addext",
    "keyUsage=critical,keyCertSign,cRLSign",
  ]);
  await runOk("openssl", ["req", ...ec, "-keyout", key, "-out", csr, "-subj", "/CN=localhost"]);
  writeFileSync(
    ext,
    "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n",
  );
  await runOk("openssl", [
    "x509",
    "-req",
    "-in",
    csr,
    "-CA",
    ca,
    "-CAkey",
    caKey,
    "-CAcreateserial",
    "-out",
    cert,
    "-days",
    "30",
    "-extfile",
    ext,
  ]);
  return { ca, cert, key };
}

/**
 * Starts pebble inside `ns`, validating DNS-01 against `dnsServer` (the API's edge) only, with
 * every order getting fresh authorizations and no artificial sleeps or nonce rejections.
 */
export async function startPebble(ns: Netns, dir: string, dnsServer: string): Promise<Pebble> {
  const tls = await makePebbleTlsCertificates(dir);
  const config = path.join(dir, "pebble-config.json");
  writeFileSync(
    config,
    JSON.stringify(
      {
        pebble: {
          listenAddress: `127.0.0.1:${PEBBLE_ACME_PORT}`,
          managementListenAddress: `127.0.0.1:${PEBBLE_MANAGEMENT_PORT}`,
          certificate: tls.cert,
          privateKey: tls.key,
          httpPort: 5002,
          tlsPort: 5001,
          ocspResponderURL: "",
          externalAccountBindingRequired: false,
        },
      },
      null,
      2,
    ),
  );
  const child: LongRunning = ns.start(
    "pebble",
    ["-config", config, "-dnsserver", dnsServer],
    baseEnv({ PEBBLE_VA_NOSLEEP: "1", PEBBLE_WFE_NONCEREJECT: "0", PEBBLE_AUTHZREUSE: "0" }),
  );
  try {
    await child.waitForOutput(/ACME directory available at/, "pebble", 20_000);
  } catch (error) {
    await child.stop();
    throw error;
  }
  const pebble: Pebble = {
    directory: `https://127.0.0.1:${PEBBLE_ACME_PORT}/dir`,
    tlsCaFile: tls.ca,
    output: () => child.output(),
    async fetchRoot() {
      const { stdout } = await ns
        .run(
          "curl",
          [
            "-sS",
            "--fail",
            "--max-time",
            "10",
            "--cacert",
            tls.ca,
            `https://127.0.0.1:${PEBBLE_MANAGEMENT_PORT}/roots/0`,
          ],
          { env: baseEnv() },
        )
        .then((r) => {
          if (r.code !== 0) throw new Error(`fetching pebble's root failed: ${r.stderr}`);
          return r;
        });
      if (!stdout.includes("BEGIN CERTIFICATE")) throw new Error(`pebble's /roots/0 is not PEM:\n${stdout}`);
      return stdout;
    },
    stop: () => child.stop(),
  };
  // The directory must answer over TLS verified by our CA before anyone uses it.
  const probe = await ns.run(
    "curl",
    ["-sS", "--fail", "--max-time", "10", "--cacert", tls.ca, pebble.directory],
    {
      env: baseEnv(),
    },
  );
  if (probe.code !== 0 || !probe.stdout.includes("newOrder")) {
    await child.stop();
    throw new Error(`pebble's directory did not answer: ${probe.stderr}\n${child.output()}`);
  }
  return pebble;
}
