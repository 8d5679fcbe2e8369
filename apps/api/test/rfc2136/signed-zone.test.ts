/**
 * RFC 2136 on a DNSSEC-signed zone (PUT /api/zones/{id}/dnssec): an nsupdate add and delete are
 * published signed, like any other change. After each, `kdig +dnssec` at the edge shows the rrset
 * with its RRSIG (or the NSEC3 proof of its absence), and the zone as the edge transfers it (AXFR)
 * passes BIND's dnssec-verify (testkit verifySignedZone), so the NSEC3 chain and signatures follow
 * the update. The embedded default, on SQLite and on PostgreSQL.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  type ApiProcess,
  dig,
  freePort,
  runCommand,
  signIn,
  startApiProcess,
  verifySignedZone,
} from "@dnscove/testkit";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

async function databaseUrlFor(provider: "sqlite" | "postgres"): Promise<Record<string, string>> {
  if (provider === "sqlite") return {};
  const serverUrl = inject("postgresUrl");
  const name = `rfc2136_signed_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  return { DATABASE_URL: serverUrl.replace(/\/postgres$/, `/${name}`) };
}

describe.each(["sqlite", "postgres"] as const)("RFC 2136 updates to a signed zone (%s)", (provider) => {
  let api: ApiProcess;
  let dnsPort: number;
  let key: { name: string; secret: string };
  let dir: string;
  const origin = `signed-upd-${provider}.example`;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "dnscove-rfc2136-signed-"));
    dnsPort = await freePort();
    api = await startApiProcess(undefined, {
      DNS_PORT: String(dnsPort),
      ...(await databaseUrlFor(provider)),
    });
    const token = await signIn(api.call);
    const zone = await api.call("POST", "/api/zones", { bearer: token, body: { origin } });
    expect(zone.status).toBe(201);
    const zoneId = (zone.body as { id: string }).id;
    const signed = await api.call("PUT", `/api/zones/${zoneId}/dnssec`, {
      bearer: token,
      body: { enabled: true },
    });
    expect(signed.status, JSON.stringify(signed.body)).toBe(200);
    const created = await api.call("POST", `/api/zones/${zoneId}/tsig-keys`, {
      bearer: token,
      body: { name: "signed", scope: "zone-admin" },
    });
    expect(created.status).toBe(201);
    key = created.body as { name: string; secret: string };
  }, 120_000);

  afterAll(async () => {
    await api?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function nsupdate(lines: string[]) {
    const file = path.join(dir, `${randomBytes(4).toString("hex")}.txt`);
    writeFileSync(file, [`server 127.0.0.1 ${dnsPort}`, `zone ${origin}`, ...lines, "send", ""].join("\n"));
    const result = await runCommand("nsupdate", ["-y", `hmac-sha256:${key.name}:${key.secret}`, file], {
      timeoutMs: 60_000,
    });
    return { code: result.code, output: result.stdout + result.stderr };
  }

  async function kdig(name: string, type: string): Promise<string> {
    const r = await runCommand("kdig", ["@127.0.0.1", "-p", String(dnsPort), "+dnssec", "+tcp", name, type]);
    expect(r.code, r.stderr).toBe(0);
    return r.stdout;
  }

  /** The zone as the edge transfers it passes dnssec-verify. */
  async function verifiedTransfer(): Promise<string> {
    const text = await dig(dnsPort, `${origin}.`, "AXFR", "+nocmd", "+nostats", "+nocomments");
    const [result] = await verifySignedZone(text, `${origin}.`, { tools: ["dnssec-verify"] });
    expect(result?.code, result?.output).toBe(0);
    return text;
  }

  it("publishes an added rrset signed, and the transferred zone verifies", { timeout: 120_000 }, async () => {
    const added = await nsupdate([`update add www.${origin} 300 A 192.0.2.50`]);
    expect(added.code, added.output).toBe(0);
    const answer = await kdig(`www.${origin}`, "A");
    expect(answer).toMatch(/www\.\S+\s+300\s+IN\s+A\s+192\.0\.2\.50/);
    expect(answer).toMatch(/www\.\S+\s+300\s+IN\s+RRSIG\s+A\s+13\s/);
    expect(await verifiedTransfer()).toMatch(/www\.\S+\s+300\s+IN\s+A\s+192\.0\.2\.50/);
  });

  it("publishes a delete with a signed denial, and the transferred zone still verifies", {
    timeout: 120_000,
  }, async () => {
    const removed = await nsupdate([`update delete www.${origin} A`]);
    expect(removed.code, removed.output).toBe(0);
    const answer = await kdig(`www.${origin}`, "A");
    expect(answer).toContain("NXDOMAIN");
    // The signer denies with NSEC3 (RFC 5155).
    expect(answer).toMatch(/IN\s+RRSIG\s+NSEC3\s/);
    expect(await verifiedTransfer()).not.toContain("192.0.2.50");
  });
});
