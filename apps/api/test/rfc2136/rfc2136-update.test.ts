/**
 * RFC 2136 dynamic updates signed with zone-bound TSIG keys (issue 17), sent by BIND's `nsupdate`
 * and Knot's `knsupdate` to the embedded default's DNS port (the edge worker forwards them to the
 * API's update listener), on SQLite and on PostgreSQL. Every answer is checked through the API
 * (what changed, and that a refusal changed nothing, serial included) and with `dig` at the edge
 * right after NOERROR.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { type ApiProcess, dig, freePort, runCommand, signIn, startApiProcess } from "@dnscove/testkit";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

interface Key {
  id: string;
  name: string;
  secret: string;
}

async function databaseUrlFor(provider: "sqlite" | "postgres"): Promise<Record<string, string>> {
  if (provider === "sqlite") return {};
  const serverUrl = inject("postgresUrl");
  const name = `rfc2136_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  return { DATABASE_URL: serverUrl.replace(/\/postgres$/, `/${name}`) };
}

describe.each(["sqlite", "postgres"] as const)("RFC 2136 updates with TSIG (%s)", (provider) => {
  let api: ApiProcess;
  let dnsPort: number;
  let token: string;
  let zoneId: string;
  let admin: Key;
  let acme: Key;
  let dir: string;
  const origin = `upd-${provider}.example`;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "dnscove-rfc2136-"));
    dnsPort = await freePort();
    api = await startApiProcess(undefined, {
      DNS_PORT: String(dnsPort),
      ...(await databaseUrlFor(provider)),
    });
    token = await signIn(api.call);
    const zone = await api.call("POST", "/api/zones", { bearer: token, body: { origin } });
    expect(zone.status).toBe(201);
    zoneId = (zone.body as { id: string }).id;
    const created = await api.call("POST", `/api/zones/${zoneId}/tsig-keys`, {
      bearer: token,
      body: { name: "ci", scope: "zone-admin" },
    });
    expect(created.status).toBe(201);
    admin = created.body as Key;
    expect(admin).toMatchObject({ algorithm: "hmac-sha256", scope: "zone-admin", revoked: false });
    expect(admin.name).toMatch(/^ci\.[0-9a-f]{8}\.tsig\.$/);
    expect(Buffer.from(admin.secret, "base64")).toHaveLength(32);
    acme = (
      await api.call("POST", `/api/zones/${zoneId}/tsig-keys`, {
        bearer: token,
        body: { scope: "acme-dns01" },
      })
    ).body as Key;
  }, 120_000);

  afterAll(async () => {
    await api?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Runs `nsupdate` (or `knsupdate`) with `lines`; answers its exit code and output. */
  async function update(lines: string[], key: Key | undefined, tool = "nsupdate") {
    const file = path.join(dir, `${randomBytes(4).toString("hex")}.txt`);
    const server = tool === "nsupdate" ? `server 127.0.0.1 ${dnsPort}` : `server 127.0.0.1 ${dnsPort}`;
    writeFileSync(file, [server, `zone ${origin}`, ...lines, "send", ""].join("\n"));
    const args = [...(key ? ["-y", `hmac-sha256:${key.name}:${key.secret}`] : []), file];
    const result = await runCommand(tool, args, { timeoutMs: 60_000 });
    return { code: result.code, output: result.stdout + result.stderr };
  }

  async function rrsets(): Promise<Record<string, string[]>> {
    const list = await api.call("GET", `/api/zones/${zoneId}/rrsets`, { bearer: token });
    const out: Record<string, string[]> = {};
    for (const r of (
      list.body as { rrsets: { name: string; type: string; ttl: number; records: string[] }[] }
    ).rrsets) {
      if (r.type === "SOA" || (r.type === "NS" && r.name === `${origin}.`)) continue;
      out[`${r.name} ${r.type} ${r.ttl}`] = r.records;
    }
    return out;
  }

  async function serial(): Promise<number> {
    const zone = await api.call("GET", `/api/zones/${zoneId}`, { bearer: token });
    return (zone.body as { serial: number }).serial;
  }

  /** A refused update: the tool reports `rcode`, and neither rrsets nor serial moved. */
  async function refused(lines: string[], key: Key | undefined, rcode: string) {
    const before = { rrsets: await rrsets(), serial: await serial() };
    const result = await update(lines, key);
    expect(result.code, result.output).not.toBe(0);
    expect(result.output).toContain(rcode);
    expect({ rrsets: await rrsets(), serial: await serial() }).toEqual(before);
  }

  it("adds, and dig at the edge answers right after NOERROR", { timeout: 120_000 }, async () => {
    const start = await serial();
    const added = await update(
      [`update add www.${origin} 300 A 192.0.2.1`, `update add www.${origin} 300 A 192.0.2.2`],
      admin,
    );
    expect(added.code, added.output).toBe(0);
    // One serial per message.
    expect(await serial()).toBe(start + 1);
    expect(await rrsets()).toEqual({ [`www.${origin}. A 300`]: ["192.0.2.1", "192.0.2.2"] });
    // The change is audited with the key as the actor.
    const audit = await api.call("GET", `/api/audit?zone=${zoneId}`, { bearer: token });
    const entries = (audit.body as { entries: { operation: string; actor: { id: string; name: string } }[] })
      .entries;
    expect(entries.find((e) => e.operation === "rrsets.change")?.actor).toMatchObject({
      id: `tsig:${admin.id}`,
      name: admin.name,
    });
    const answer = await dig(dnsPort, `www.${origin}`, "A", "+short");
    expect(answer.split("\n").filter(Boolean).sort()).toEqual(["192.0.2.1", "192.0.2.2"]);
  });

  it("deletes one RR, an rrset, and every rrset of a name", { timeout: 120_000 }, async () => {
    expect((await update([`update delete www.${origin} A 192.0.2.2`], admin)).code).toBe(0);
    expect(await rrsets()).toEqual({ [`www.${origin}. A 300`]: ["192.0.2.1"] });
    expect(
      (
        await update(
          [`update add mail.${origin} 600 TXT "v=spf1 -all"`, `update add mail.${origin} 600 A 192.0.2.9`],
          admin,
        )
      ).code,
    ).toBe(0);
    expect((await update([`update delete mail.${origin} TXT`], admin)).code).toBe(0);
    expect(await rrsets()).toEqual({
      [`www.${origin}. A 300`]: ["192.0.2.1"],
      [`mail.${origin}. A 600`]: ["192.0.2.9"],
    });
    expect((await update([`update delete mail.${origin}`], admin)).code).toBe(0);
    expect(await rrsets()).toEqual({ [`www.${origin}. A 300`]: ["192.0.2.1"] });
    expect(await dig(dnsPort, `mail.${origin}`, "A", "+short")).toBe("");
    // RFC 2181 §5.2: an added record's TTL becomes the rrset's.
    expect((await update([`update add www.${origin} 900 A 192.0.2.3`], admin)).code).toBe(0);
    expect(await rrsets()).toEqual({ [`www.${origin}. A 900`]: ["192.0.2.1", "192.0.2.3"] });
    expect((await update([`update delete www.${origin} A 192.0.2.3`], admin)).code).toBe(0);
  });

  it("applies each prerequisite kind when it holds", { timeout: 120_000 }, async () => {
    const ok = await update(
      [
        `prereq yxdomain www.${origin}`,
        `prereq nxdomain new.${origin}`,
        `prereq yxrrset www.${origin} A`,
        `prereq nxrrset www.${origin} AAAA`,
        `prereq yxrrset www.${origin} A 192.0.2.1`,
        `update add new.${origin} 300 AAAA 2001:db8::1`,
      ],
      admin,
    );
    expect(ok.code, ok.output).toBe(0);
    expect((await rrsets())[`new.${origin}. AAAA 300`]).toEqual(["2001:db8::1"]);
  });

  it("refuses with the prerequisite's RCODE when one fails, changing nothing", {
    timeout: 180_000,
  }, async () => {
    const add = `update add other.${origin} 300 A 192.0.2.50`;
    await refused([`prereq yxdomain nothing.${origin}`, add], admin, "NXDOMAIN");
    await refused([`prereq nxdomain www.${origin}`, add], admin, "YXDOMAIN");
    await refused([`prereq yxrrset www.${origin} TXT`, add], admin, "NXRRSET");
    await refused([`prereq nxrrset www.${origin} A`, add], admin, "YXRRSET");
    await refused([`prereq yxrrset www.${origin} A 192.0.2.99`, add], admin, "NXRRSET");
  });

  it("refuses bad keys, unsigned updates, other zones, scope violations and apex SOA/NS", {
    timeout: 180_000,
  }, async () => {
    const add = [`update add evil.${origin} 300 A 192.0.2.66`];
    await refused(add, { ...admin, secret: randomBytes(32).toString("base64") }, "NOTAUTH");
    await refused(add, { ...admin, name: `nobody.${admin.name}` }, "NOTAUTH");
    await refused(add, undefined, "REFUSED");
    // An acme-dns01 key writing an A record.
    await refused(add, acme, "REFUSED");
    await refused([`update add ${origin} 300 NS ns.evil.example.`], admin, "REFUSED");
    await refused([`update delete ${origin} SOA`], admin, "REFUSED");
    // A zone the key is not for (the zone statement names another).
    const file = path.join(dir, "other-zone.txt");
    writeFileSync(
      file,
      [
        `server 127.0.0.1 ${dnsPort}`,
        "zone other.example",
        "update add x.other.example 300 A 192.0.2.1",
        "send",
        "",
      ].join("\n"),
    );
    const before = await serial();
    const other = await runCommand("nsupdate", ["-y", `hmac-sha256:${admin.name}:${admin.secret}`, file]);
    expect(other.code).not.toBe(0);
    expect(other.stdout + other.stderr).toContain("NOTAUTH");
    expect(await serial()).toBe(before);
  });

  it("lets an acme-dns01 key add and remove _acme-challenge TXT only", { timeout: 120_000 }, async () => {
    const name = `_acme-challenge.${origin}`;
    expect((await update([`update add ${name} 60 TXT "abc"`], acme)).code).toBe(0);
    expect((await rrsets())[`${name}. TXT 60`]).toEqual(['"abc"']);
    expect((await dig(dnsPort, name, "TXT", "+short")).trim()).toBe('"abc"');
    expect((await update([`update delete ${name} TXT "abc"`], acme)).code).toBe(0);
    expect((await rrsets())[`${name}. TXT 60`]).toBeUndefined();
  });

  it("works with knsupdate too", { timeout: 120_000 }, async () => {
    const result = await update([`update add knot.${origin} 300 TXT "from knsupdate"`], admin, "knsupdate");
    expect(result.code, result.output).toBe(0);
    expect((await rrsets())[`knot.${origin}. TXT 300`]).toEqual(['"from knsupdate"']);
    expect((await dig(dnsPort, `knot.${origin}`, "TXT", "+short")).trim()).toBe('"from knsupdate"');
  });

  it("refuses a revoked key, and lists keys without secrets", { timeout: 120_000 }, async () => {
    const revoked = await api.call("DELETE", `/api/zones/${zoneId}/tsig-keys/${admin.id}`, { bearer: token });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ id: admin.id, revoked: true });
    await refused([`update add late.${origin} 300 A 192.0.2.7`], admin, "NOTAUTH");
    const list = await api.call("GET", `/api/zones/${zoneId}/tsig-keys`, { bearer: token });
    expect(JSON.stringify(list.body)).not.toContain(admin.secret);
    expect(api.output()).not.toContain(admin.secret);
    expect((list.body as { tsig_keys: unknown[] }).tsig_keys).toHaveLength(2);
    const bad = await api.call("POST", `/api/zones/${zoneId}/tsig-keys`, {
      bearer: token,
      body: { name: "two.labels" },
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain("name");
  });
});
