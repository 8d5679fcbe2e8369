import { generateKeyPairSync, randomBytes, sign } from "node:crypto";

export interface ServerCertificate {
  certPem: string;
  keyPem: string;
  /** DER, base64 without padding (Go's RawStdEncoding), as the handshake line wants it. */
  handshake: string;
}

// A minimal DER writer (ITU-T X.690): enough for one fixed-shape self-signed certificate. It
// replaces @peculiar/x509 + reflect-metadata, whose loading alone took a third of the provider's
// start-up (about 1 s of the 2.3 s on a loaded machine), and Terraform starts the provider three
// times per plan.

function der(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  const n = body.length;
  let length: Buffer;
  if (n < 0x80) length = Buffer.from([n]);
  else if (n < 0x100) length = Buffer.from([0x81, n]);
  else length = Buffer.from([0x82, n >> 8, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), length, body]);
}

const sequence = (...items: Buffer[]) => der(0x30, ...items);
const set = (...items: Buffer[]) => der(0x31, ...items);
const octets = (content: Buffer) => der(0x04, content);
const utf8 = (text: string) => der(0x0c, Buffer.from(text, "utf8"));
const TRUE = der(0x01, Buffer.from([0xff]));

function oid(dotted: string): Buffer {
  const [a = 0, b = 0, ...rest] = dotted.split(".").map(Number);
  const bytes = [40 * a + b];
  for (const arc of rest) {
    const base128 = [arc & 0x7f];
    for (let v = arc >>> 7; v > 0; v >>>= 7) base128.unshift((v & 0x7f) | 0x80);
    bytes.push(...base128);
  }
  return der(0x06, Buffer.from(bytes));
}

/** UTCTime (RFC 5280 §4.1.2.5.1): YYMMDDHHMMSSZ, for dates before 2050. */
function utcTime(date: Date): Buffer {
  const iso = date.toISOString(); // 2026-12-02T02:31:26.000Z
  const text = `${iso.slice(2, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  return der(0x17, Buffer.from(text, "ascii"));
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return sequence(oid(id), ...(critical ? [TRUE] : []), octets(value));
}

const ECDSA_WITH_SHA256 = sequence(oid("1.2.840.10045.4.3.2"));

function pem(label: string, body: Buffer): string {
  const lines = body.toString("base64").match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}

/**
 * A self-signed ECDSA P-256 certificate for go-plugin's AutoMTLS (RFC 5280): valid for DNS name
 * localhost (the client dials with ServerName "localhost" and trusts exactly the certificate from
 * the handshake line), a CA for itself, for server and client authentication, for one day.
 */
export function makeServerCertificate(now = new Date()): ServerCertificate {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const name = sequence(
    set(sequence(oid("2.5.4.10"), utf8("HashiCorp"))),
    set(sequence(oid("2.5.4.3"), utf8("localhost"))),
  );
  const keyUsage = der(0x03, Buffer.from([0x02, 0xac])); // digitalSignature, keyEncipherment, keyAgreement, keyCertSign
  const tbs = sequence(
    der(0xa0, der(0x02, Buffer.from([2]))), // version v3
    der(0x02, Buffer.concat([Buffer.from([0x01]), randomBytes(8)])), // a positive serial
    ECDSA_WITH_SHA256,
    name,
    sequence(utcTime(new Date(now.getTime() - 30_000)), utcTime(new Date(now.getTime() + 24 * 3600_000))),
    name,
    publicKey.export({ type: "spki", format: "der" }),
    der(
      0xa3,
      sequence(
        extension("2.5.29.19", true, sequence(TRUE)), // basicConstraints: CA
        extension("2.5.29.15", true, keyUsage),
        extension("2.5.29.37", false, sequence(oid("1.3.6.1.5.5.7.3.1"), oid("1.3.6.1.5.5.7.3.2"))),
        extension("2.5.29.17", false, sequence(der(0x82, Buffer.from("localhost", "ascii")))),
      ),
    ),
  );
  const signature = sign("sha256", tbs, privateKey); // DER ECDSA-Sig-Value
  const cert = sequence(tbs, ECDSA_WITH_SHA256, der(0x03, Buffer.from([0]), signature));
  return {
    certPem: pem("CERTIFICATE", cert),
    keyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    handshake: cert.toString("base64").replace(/=+$/, ""),
  };
}
