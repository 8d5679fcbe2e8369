/**
 * RFC 2136 dynamic updates signed with zone-bound TSIG keys (issue 17), every case sent by both
 * BIND's `nsupdate` and Knot's `knsupdate` (./update-clients.ts) to the embedded default's DNS port (the edge worker forwards them to the
 * API's update listener), on SQLite and on PostgreSQL. Every answer is checked through the API
 * (what changed, and that a refusal changed nothing, serial included) and with `dig` at the edge
 * right after NOERROR.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { type ApiProcess, dig, freePort, signIn, startApiProcess } from "@dnscove/testkit";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  sendUpdate,
  tsigRefusal,
  UPDATE_CLIENTS,
  type UpdateClient,
  type UpdateStep,
} from "./update-clients.js";

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

  /** Sends `steps` for this zone with `client`, signed with `key` (none: unsigned). */
  function update(client: UpdateClient, steps: UpdateStep[], key: Key | undefined, zone = `${origin}.`) {
    return sendUpdate(client, { port: dnsPort, zone, key, steps }, dir);
  }

  /** The zone's rrsets (apex SOA/NS aside), only those at or below `under` when given. */
  async function rrsets(under?: string): Promise<Record<string, string[]>> {
    const list = await api.call("GET", `/api/zones/${zoneId}/rrsets`, { bearer: token });
    const out: Record<string, string[]> = {};
    for (const r of (
      list.body as { rrsets: { name: string; type: string; ttl: number; records: string[] }[] }
    ).rrsets) {
      if (r.type === "SOA" || (r.type === "NS" && r.name === `${origin}.`)) continue;
      if (under && r.name !== under && !r.name.endsWith(`.${under}`)) continue;
      out[`${r.name} ${r.type} ${r.ttl}`] = r.records;
    }
    return out;
  }

  async function serial(): Promise<number> {
    const zone = await api.call("GET", `/api/zones/${zoneId}`, { bearer: token });
    return (zone.body as { serial: number }).serial;
  }

  async function accepted(client: UpdateClient, steps: UpdateStep[], key: Key) {
    const result = await update(client, steps, key);
    expect(result.rcode, result.output).toBe("NOERROR");
  }

  /** A refused update: the client reports `rcode`, and neither rrsets nor serial moved. */
  async function refused(
    client: UpdateClient,
    steps: UpdateStep[],
    key: Key | undefined,
    rcode: string,
    zone?: string,
  ) {
    const before = { rrsets: await rrsets(), serial: await serial() };
    const result = await update(client, steps, key, zone);
    expect(result.code, result.output).not.toBe(0);
    expect(result.rcode, result.output).toBe(rcode);
    expect({ rrsets: await rrsets(), serial: await serial() }).toEqual(before);
  }

  // Each client works below its own name (bind.<zone>, knot.<zone>) in the one zone.
  describe.each(UPDATE_CLIENTS)("sent by %s", (client) => {
    const sub = `${client === "nsupdate" ? "bind" : "knot"}.${origin}.`;
    const www = `www.${sub}`;
    const mail = `mail.${sub}`;

    it("adds, and dig at the edge answers right after NOERROR", { timeout: 120_000 }, async () => {
      const start = await serial();
      await accepted(
        client,
        [
          { add: www, ttl: 300, type: "A", data: "192.0.2.1" },
          { add: www, ttl: 300, type: "A", data: "192.0.2.2" },
        ],
        admin,
      );
      // One serial per message.
      expect(await serial()).toBe(start + 1);
      expect(await rrsets(sub)).toEqual({ [`${www} A 300`]: ["192.0.2.1", "192.0.2.2"] });
      // The change is audited with the key as the actor.
      const audit = await api.call("GET", `/api/audit?zone=${zoneId}`, { bearer: token });
      const entries = (
        audit.body as { entries: { operation: string; actor: { id: string; name: string } }[] }
      ).entries;
      expect(entries.find((e) => e.operation === "rrsets.change")?.actor).toMatchObject({
        id: `tsig:${admin.id}`,
        name: admin.name,
      });
      const answer = await dig(dnsPort, www, "A", "+short");
      expect(answer.split("\n").filter(Boolean).sort()).toEqual(["192.0.2.1", "192.0.2.2"]);
    });

    it("deletes one RR, an rrset, and every rrset of a name", { timeout: 120_000 }, async () => {
      await accepted(client, [{ del: www, type: "A", data: "192.0.2.2" }], admin);
      expect(await rrsets(sub)).toEqual({ [`${www} A 300`]: ["192.0.2.1"] });
      await accepted(
        client,
        [
          { add: mail, ttl: 600, type: "TXT", data: '"v=spf1 -all"' },
          { add: mail, ttl: 600, type: "A", data: "192.0.2.9" },
        ],
        admin,
      );
      await accepted(client, [{ del: mail, type: "TXT" }], admin);
      expect(await rrsets(sub)).toEqual({
        [`${www} A 300`]: ["192.0.2.1"],
        [`${mail} A 600`]: ["192.0.2.9"],
      });
      await accepted(client, [{ del: mail }], admin);
      expect(await rrsets(sub)).toEqual({ [`${www} A 300`]: ["192.0.2.1"] });
      expect(await dig(dnsPort, mail, "A", "+short")).toBe("");
      // RFC 2181 §5.2: an added record's TTL becomes the rrset's.
      await accepted(client, [{ add: www, ttl: 900, type: "A", data: "192.0.2.3" }], admin);
      expect(await rrsets(sub)).toEqual({ [`${www} A 900`]: ["192.0.2.1", "192.0.2.3"] });
      await accepted(client, [{ del: www, type: "A", data: "192.0.2.3" }], admin);
    });

    it("applies each prerequisite kind when it holds", { timeout: 120_000 }, async () => {
      await accepted(
        client,
        [
          { prereq: "yxdomain", name: www },
          { prereq: "nxdomain", name: `new.${sub}` },
          { prereq: "yxrrset", name: www, type: "A" },
          { prereq: "nxrrset", name: www, type: "AAAA" },
          { prereq: "yxrrset", name: www, type: "A", data: "192.0.2.1" },
          { add: `new.${sub}`, ttl: 300, type: "AAAA", data: "2001:db8::1" },
        ],
        admin,
      );
      expect((await rrsets(sub))[`new.${sub} AAAA 300`]).toEqual(["2001:db8::1"]);
    });

    it("refuses with the prerequisite's RCODE when one fails, changing nothing", {
      timeout: 180_000,
    }, async () => {
      const add: UpdateStep = { add: `other.${sub}`, ttl: 300, type: "A", data: "192.0.2.50" };
      await refused(client, [{ prereq: "yxdomain", name: `nothing.${sub}` }, add], admin, "NXDOMAIN");
      await refused(client, [{ prereq: "nxdomain", name: www }, add], admin, "YXDOMAIN");
      await refused(client, [{ prereq: "yxrrset", name: www, type: "TXT" }, add], admin, "NXRRSET");
      await refused(client, [{ prereq: "nxrrset", name: www, type: "A" }, add], admin, "YXRRSET");
      await refused(
        client,
        [{ prereq: "yxrrset", name: www, type: "A", data: "192.0.2.99" }, add],
        admin,
        "NXRRSET",
      );
    });

    it("refuses bad keys, unsigned updates, other zones, scope violations and apex SOA/NS", {
      timeout: 180_000,
    }, async () => {
      const add: UpdateStep[] = [{ add: `evil.${sub}`, ttl: 300, type: "A", data: "192.0.2.66" }];
      const badSecret = { ...admin, secret: randomBytes(32).toString("base64") };
      await refused(client, add, badSecret, tsigRefusal(client, "BADSIG"));
      await refused(client, add, { ...admin, name: `nobody.${admin.name}` }, tsigRefusal(client, "BADKEY"));
      await refused(client, add, undefined, "REFUSED");
      // An acme-dns01 key writing an A record.
      await refused(client, add, acme, "REFUSED");
      await refused(
        client,
        [{ add: `${origin}.`, ttl: 300, type: "NS", data: "ns.evil.example." }],
        admin,
        "REFUSED",
      );
      await refused(client, [{ del: `${origin}.`, type: "SOA" }], admin, "REFUSED");
      // A zone the key is not for (the zone statement names another).
      await refused(
        client,
        [{ add: "x.other.example.", ttl: 300, type: "A", data: "192.0.2.1" }],
        admin,
        "NOTAUTH",
        "other.example.",
      );
    });

    it("lets an acme-dns01 key add and remove _acme-challenge TXT only", { timeout: 120_000 }, async () => {
      const name = `_acme-challenge.${sub}`;
      await accepted(client, [{ add: name, ttl: 60, type: "TXT", data: '"abc"' }], acme);
      expect((await rrsets(sub))[`${name} TXT 60`]).toEqual(['"abc"']);
      expect((await dig(dnsPort, name, "TXT", "+short")).trim()).toBe('"abc"');
      // A TXT record outside _acme-challenge, deleting every rrset of a name (outside it or at it),
      // and another type at it: REFUSED, nothing changed.
      await refused(client, [{ add: `txt.${sub}`, ttl: 60, type: "TXT", data: '"abc"' }], acme, "REFUSED");
      await refused(client, [{ del: www }], acme, "REFUSED");
      await refused(client, [{ del: name }], acme, "REFUSED");
      // (a CNAME, not an A: nsupdate itself refuses an A record at an underscore name.)
      await refused(
        client,
        [{ add: name, ttl: 60, type: "CNAME", data: "challenges.example.net." }],
        acme,
        "REFUSED",
      );
      await accepted(client, [{ del: name, type: "TXT", data: '"abc"' }], acme);
      expect((await rrsets(sub))[`${name} TXT 60`]).toBeUndefined();
    });

    it("limits an acme-dns01 key's prerequisites to _acme-challenge TXT, answering REFUSED before evaluating them", {
      timeout: 120_000,
    }, async () => {
      const name = `_acme-challenge.${sub}`;
      const add: UpdateStep = { add: name, ttl: 60, type: "TXT", data: '"probe"' };
      // Outside the scope the answer is REFUSED whether the prerequisite holds or not, so it tells
      // nothing about rows the key's API token could not read either.
      for (const prereq of [
        { prereq: "yxrrset", name: www, type: "A", data: "192.0.2.1" },
        { prereq: "yxrrset", name: www, type: "A", data: "192.0.2.99" },
        { prereq: "yxdomain", name: www },
        { prereq: "nxdomain", name: www },
        { prereq: "nxrrset", name: `nothing.${sub}`, type: "TXT" },
        // At the challenge name but about any type: a name-level or non-TXT prerequisite.
        { prereq: "yxdomain", name },
        { prereq: "nxrrset", name, type: "CNAME" },
      ] satisfies UpdateStep[]) {
        await refused(client, [prereq, add], acme, "REFUSED");
      }
      // _acme-challenge TXT prerequisites are evaluated as usual.
      await refused(client, [{ prereq: "yxrrset", name, type: "TXT" }, add], acme, "NXRRSET");
      await accepted(client, [{ prereq: "nxrrset", name, type: "TXT" }, add], acme);
      await accepted(
        client,
        [
          { prereq: "yxrrset", name, type: "TXT", data: '"probe"' },
          { del: name, type: "TXT" },
        ],
        acme,
      );
      expect((await rrsets(sub))[`${name} TXT 60`]).toBeUndefined();
    });
  });

  it("refuses a revoked key (both clients), and lists keys without secrets", {
    timeout: 120_000,
  }, async () => {
    const revoked = await api.call("DELETE", `/api/zones/${zoneId}/tsig-keys/${admin.id}`, { bearer: token });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ id: admin.id, revoked: true });
    for (const client of UPDATE_CLIENTS) {
      await refused(
        client,
        [{ add: `late.${origin}.`, ttl: 300, type: "A", data: "192.0.2.7" }],
        admin,
        tsigRefusal(client, "BADKEY"),
      );
    }
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
