/**
 * The audit log (issue 15): every mutating route, found in the route table, writes exactly one entry
 * naming the operation, the actor, the zone, the client's address and the request id; refused
 * requests write none; secrets never appear; a tampered entry is named by verify; pagination and
 * filters; concurrent writers leave one gapless valid chain. Real HTTP, SQLite and PostgreSQL.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { runRawTransaction } from "@dnscove/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemActor } from "../src/domain/audit/audit-entry.js";
import { recordAudit } from "../src/domain/audit/record-audit.js";
import type { Route } from "../src/http/route.js";
import { routes } from "../src/http/routes/index.js";
import { parseTrustProxy } from "../src/http/trust-proxy.js";
import { startAutoPublisher } from "../src/jobs/auto-publisher.js";
import { PROVIDERS, rawRequest, startTestApi, type TestApi } from "./harness.js";

/** The client's address as a trusted proxy (the loopback peer) forwards it. */
const CLIENT = "203.0.113.45";

interface Answer {
  status: number;
  body: unknown;
  headers: Headers;
}

interface Entry {
  tenant_id: string;
  seq: number;
  at: string;
  actor: { kind: string; id: string; name: string | null; scope: string | null };
  operation: string;
  zone: { id: string; origin: string | null } | null;
  detail: Record<string, unknown>;
  client_address: string | null;
  request_id: string | null;
  prev_hash: string;
  hash: string;
}

function call(api: TestApi, method: string, path: string, token?: string, body?: unknown): Promise<Answer> {
  return rawRequest(api, method, path, {
    ...(token ? { token } : {}),
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    headers: { "X-Forwarded-For": CLIENT },
  });
}

async function ok(answer: Promise<Answer>, status = 200): Promise<Answer> {
  const settled = await answer;
  if (settled.status !== status) {
    throw new Error(`expected ${status}, got ${settled.status} ${JSON.stringify(settled.body)}`);
  }
  return settled;
}

/** Every entry of the reader's tenant, newest first, following next_cursor. */
async function allEntries(api: TestApi, reader: string, query = ""): Promise<Entry[]> {
  const out: Entry[] = [];
  let cursor: string | null = null;
  do {
    const separator = query ? "&" : "";
    const page = await ok(
      call(
        api,
        "GET",
        `/api/audit?${query}${separator}limit=1000${cursor ? `&cursor=${cursor}` : ""}`,
        reader,
      ),
    );
    const body = page.body as { entries: Entry[]; next_cursor: string | null };
    out.push(...body.entries);
    cursor = body.next_cursor;
  } while (cursor);
  return out;
}

async function verify(api: TestApi, reader: string) {
  return (await ok(call(api, "GET", "/api/audit/verify", reader))).body as {
    ok: boolean;
    entries: number;
    first_broken?: { seq: number };
    reason?: string;
  };
}

interface World {
  api: TestApi;
  email: string;
  userId: string;
  tenantId: string;
  session: string;
  zoneId: string;
  zoneOrigin: string;
  tenantAdmin: { id: string; token: string; name: string };
  zoneAdmin: { id: string; token: string; name: string };
  acme: { id: string; token: string; name: string };
  unique(): string;
}

async function mint(w: Pick<World, "api" | "session">, path: string, body: object) {
  const answer = await ok(call(w.api, "POST", path, w.session, body), 201);
  return answer.body as { id: string; token: string; name: string };
}

async function newZone(w: World, token = w.session): Promise<string> {
  const answer = await ok(
    call(w.api, "POST", "/api/zones", token, { origin: `${w.unique()}.audit.test` }),
    201,
  );
  return (answer.body as { id: string }).id;
}

const challengeValue = () => randomBytes(32).toString("base64url");

/** Who the entry must name. */
type ExpectedActor = { kind: "session" | "token"; id: string; name: string; scope: string | null };
const sessionOf = (w: World): ExpectedActor => ({
  kind: "session",
  id: w.userId,
  name: w.email,
  scope: null,
});
const tokenOf = (t: { id: string; name: string }, scope: string): ExpectedActor => ({
  kind: "token",
  id: t.id,
  name: t.name,
  scope,
});

interface Made {
  answer: Answer;
  operation: string;
  zoneId: string | null;
  actor: ExpectedActor;
  /** A credential of the tenant the entry belongs to. */
  reader: string;
  tenantId: string;
}

/** A successful call of each mutating route, and the entry it must write. */
const RECIPES: Record<string, (w: World) => Promise<Made>> = {
  exchangeMagicLink: async (w) => {
    const email = `signin-${w.unique()}@example.test`;
    const link = await ok(call(w.api, "POST", "/api/auth/magic-link", undefined, { email }));
    const token = (link.body as { dev_token: string }).dev_token;
    const answer = await ok(call(w.api, "POST", "/api/auth/exchange", undefined, { token }));
    const user = await w.api.services.db.user.findUniqueOrThrow({ where: { email } });
    return {
      answer,
      operation: "auth.sign-in",
      zoneId: null,
      actor: { kind: "session", id: user.id, name: email, scope: null },
      reader: (answer.body as { token: string }).token,
      tenantId: user.tenantId,
    };
  },
  signOut: async (w) => {
    const second = await w.api.signIn(w.email);
    const answer = await ok(call(w.api, "POST", "/api/auth/sign-out", second), 204);
    return {
      answer,
      operation: "auth.sign-out",
      zoneId: null,
      actor: sessionOf(w),
      reader: w.session,
      tenantId: w.tenantId,
    };
  },
  createZone: async (w) => {
    const answer = await ok(
      call(w.api, "POST", "/api/zones", w.session, { origin: `${w.unique()}.audit.test` }),
      201,
    );
    const zoneId = (answer.body as { id: string }).id;
    return {
      answer,
      operation: "zone.create",
      zoneId,
      actor: sessionOf(w),
      reader: w.session,
      tenantId: w.tenantId,
    };
  },
  deleteZone: async (w) => {
    const zoneId = await newZone(w);
    const answer = await ok(call(w.api, "DELETE", `/api/zones/${zoneId}`, w.tenantAdmin.token), 204);
    return {
      answer,
      operation: "zone.delete",
      zoneId,
      actor: tokenOf(w.tenantAdmin, "tenant-admin"),
      reader: w.session,
      tenantId: w.tenantId,
    };
  },
  publishZone: async (w) => {
    const change = { action: "UPSERT", name: w.unique(), type: "A", ttl: 60, records: ["192.0.2.7"] };
    await ok(call(w.api, "POST", `/api/zones/${w.zoneId}/rrsets`, w.session, change));
    const answer = await ok(call(w.api, "POST", `/api/zones/${w.zoneId}/publish`, w.session));
    return {
      answer,
      operation: "zone.publish",
      zoneId: w.zoneId,
      actor: sessionOf(w),
      reader: w.session,
      tenantId: w.tenantId,
    };
  },
  changeRRsets: async (w) => {
    const change = { action: "UPSERT", name: w.unique(), type: "TXT", ttl: 60, records: ['"hello"'] };
    const answer = await ok(call(w.api, "POST", `/api/zones/${w.zoneId}/rrsets`, w.zoneAdmin.token, change));
    return {
      answer,
      operation: "rrsets.change",
      zoneId: w.zoneId,
      actor: tokenOf(w.zoneAdmin, "zone-admin"),
      reader: w.session,
      tenantId: w.tenantId,
    };
  },
  setDnssec: async (w) => {
    const zoneId = await newZone(w);
    const answer = await ok(
      call(w.api, "PUT", `/api/zones/${zoneId}/dnssec`, w.tenantAdmin.token, { enabled: true }),
    );
    // The entry names the keys by their public facts only: never the sealed private key.
    const entry = await w.api.services.db.auditEntry.findFirstOrThrow({
      where: { operation: "dnssec.enable", zoneId },
    });
    const key = await w.api.services.db.dnssecKey.findFirstOrThrow({ where: { zoneId } });
    expect(entry.detail).toContain(`"key_tag":${key.keyTag}`);
    expect(entry.detail).not.toContain(key.sealedPrivateKey.split(".")[3] as string);
    return {
      answer,
      operation: "dnssec.enable",
      zoneId,
      actor: tokenOf(w.tenantAdmin, "tenant-admin"),
      reader: w.session,
      tenantId: w.tenantId,
    };
  },
  startKskRollover: async (w) => {
    const zoneId = await newZone(w);
    await ok(call(w.api, "PUT", `/api/zones/${zoneId}/dnssec`, w.session, { enabled: true }));
    const answer = await ok(call(w.api, "POST", `/api/zones/${zoneId}/dnssec/ksk-rollover`, w.session));
    return {
      answer,
      operation: "dnssec.ksk-rollover",
      zoneId,
      actor: sessionOf(w),
      reader: w.session,
      tenantId: w.tenantId,
    };
  },
  rollbackZone: async (w) => {
    // Publish, add one rrset, roll back to the published serial: the rollback removes that rrset.
    const published = await ok(call(w.api, "POST", `/api/zones/${w.zoneId}/publish`, w.session));
    const serial = (published.body as { serial: number }).serial;
    const change = { action: "UPSERT", name: w.unique(), type: "TXT", ttl: 60, records: ['"undo me"'] };
    await ok(call(w.api, "POST", `/api/zones/${w.zoneId}/rrsets`, w.session, change));
    const answer = await ok(
      call(w.api, "POST", `/api/zones/${w.zoneId}/rollback`, w.zoneAdmin.token, { serial }),
    );
    return {
      answer,
      operation: "zone.rollback",
      zoneId: w.zoneId,
      actor: tokenOf(w.zoneAdmin, "zone-admin"),
      reader: w.session,
      tenantId: w.tenantId,
    };
  },
  checkDelegation: async (w) => {
    // The test API's parent servers never answer, so an ACTIVE zone goes back to
    // PENDING_VERIFICATION: the one thing a delegation check writes.
    await w.api.services.db.zone.update({ where: { id: w.zoneId }, data: { status: "ACTIVE" } });
    const answer = await ok(call(w.api, "POST", `/api/zones/${w.zoneId}/delegation`, w.session));
    return {
      answer,
      operation: "zone.status",
      zoneId: w.zoneId,
      actor: sessionOf(w),
      reader: w.session,
      tenantId: w.tenantId,
    };
  },
  acmeChallenge: async (w) => {
    const body = { action: "PRESENT", name: `_acme-challenge.${w.unique()}`, value: challengeValue() };
    const answer = await ok(call(w.api, "POST", `/api/zones/${w.zoneId}/acme-challenge`, w.acme.token, body));
    return {
      answer,
      operation: "acme.present",
      zoneId: w.zoneId,
      actor: tokenOf(w.acme, "acme-dns01"),
      reader: w.session,
      tenantId: w.tenantId,
    };
  },
  legoHttpreqPresent: async (w) => {
    const body = { fqdn: `_acme-challenge.${w.unique()}.${w.zoneOrigin}.`, value: challengeValue() };
    const answer = await ok(call(w.api, "POST", "/api/acme/httpreq/present", w.acme.token, body));
    return {
      answer,
      operation: "acme.present",
      zoneId: w.zoneId,
      actor: tokenOf(w.acme, "acme-dns01"),
      reader: w.session,
      tenantId: w.tenantId,
    };
  },
  legoHttpreqCleanup: async (w) => {
    const body = { fqdn: `_acme-challenge.${w.unique()}.${w.zoneOrigin}.`, value: challengeValue() };
    await ok(call(w.api, "POST", "/api/acme/httpreq/present", w.acme.token, body));
    const answer = await ok(call(w.api, "POST", "/api/acme/httpreq/cleanup", w.acme.token, body));
    return {
      answer,
      operation: "acme.cleanup",
      zoneId: w.zoneId,
      actor: tokenOf(w.acme, "acme-dns01"),
      reader: w.session,
      tenantId: w.tenantId,
    };
  },
  mintZoneToken: async (w) => {
    const body = { name: w.unique(), scope: "acme-dns01" };
    const answer = await ok(call(w.api, "POST", `/api/zones/${w.zoneId}/tokens`, w.session, body), 201);
    return {
      answer,
      operation: "token.create",
      zoneId: w.zoneId,
      actor: sessionOf(w),
      reader: w.session,
      tenantId: w.tenantId,
    };
  },
  mintToken: async (w) => {
    const body = { name: w.unique(), scope: "tenant-admin" };
    const answer = await ok(call(w.api, "POST", "/api/tokens", w.tenantAdmin.token, body), 201);
    return {
      answer,
      operation: "token.create",
      zoneId: null,
      actor: tokenOf(w.tenantAdmin, "tenant-admin"),
      reader: w.session,
      tenantId: w.tenantId,
    };
  },
  revokeToken: async (w) => {
    const victim = await mint(w, "/api/tokens", { scope: "tenant-admin", name: w.unique() });
    const answer = await ok(call(w.api, "DELETE", `/api/tokens/${victim.id}`, w.session));
    return {
      answer,
      operation: "token.revoke",
      zoneId: null,
      actor: sessionOf(w),
      reader: w.session,
      tenantId: w.tenantId,
    };
  },
  createTsigKey: async (w) => {
    const answer = await ok(
      call(w.api, "POST", `/api/zones/${w.zoneId}/tsig-keys`, w.session, { scope: "acme-dns01" }),
      201,
    );
    return {
      answer,
      operation: "tsig-key.create",
      zoneId: w.zoneId,
      actor: sessionOf(w),
      reader: w.session,
      tenantId: w.tenantId,
    };
  },
  revokeTsigKey: async (w) => {
    const key = await mint(w, `/api/zones/${w.zoneId}/tsig-keys`, { scope: "zone-admin" });
    const answer = await ok(call(w.api, "DELETE", `/api/zones/${w.zoneId}/tsig-keys/${key.id}`, w.session));
    return {
      answer,
      operation: "tsig-key.revoke",
      zoneId: w.zoneId,
      actor: sessionOf(w),
      reader: w.session,
      tenantId: w.tenantId,
    };
  },
  importRoute53: async (w) => {
    const origin = `${w.unique()}.imported.test`;
    const records = [
      { Name: `www.${origin}.`, Type: "A", TTL: 300, ResourceRecords: [{ Value: "192.0.2.1" }] },
    ];
    const body = { origin, json: JSON.stringify({ ResourceRecordSets: records }) };
    const answer = await ok(call(w.api, "POST", "/api/import/route53", w.session, body), 201);
    const zoneId = (answer.body as { zone: { id: string } }).zone.id;
    return {
      answer,
      operation: "import.route53",
      zoneId,
      actor: sessionOf(w),
      reader: w.session,
      tenantId: w.tenantId,
    };
  },
  importZoneFile: async (w) => {
    const origin = `${w.unique()}.imported.test`;
    const body = { origin, zone_file: "$TTL 300\nwww A 192.0.2.1\n" };
    const answer = await ok(call(w.api, "POST", "/api/import/zone-file", w.session, body), 201);
    const zoneId = (answer.body as { zone: { id: string } }).zone.id;
    return {
      answer,
      operation: "import.zone-file",
      zoneId,
      actor: sessionOf(w),
      reader: w.session,
      tenantId: w.tenantId,
    };
  },
};

/** Mutating routes that write no entry, each with its reason. GET routes never write. */
const NOT_AUDITED: Record<string, string> = {
  requestMagicLink: "before sign-in there is no tenant; using the link is audited (auth.sign-in)",
  checkParity: "compares the old provider's answers with ours and writes nothing",
};

/** Routes that publish before they answer: their request may also write a zone.publish entry. */
const ALSO_PUBLISHES = new Set([
  "acmeChallenge",
  "legoHttpreqPresent",
  "legoHttpreqCleanup",
  // DNSSEC changes publish the signed serial before answering.
  "setDnssec",
  "startKskRollover",
]);

const mutating = (route: Route) => route.method !== "get";

/** The verifier script docs/audit-log.md prints, as printed. */
function documentedVerifier(): string {
  const doc = readFileSync(new URL("../../../docs/audit-log.md", import.meta.url), "utf8");
  const block = /<!-- verify-audit\.mjs[^\n]*-->\n```js\n([\s\S]*?)```/.exec(doc)?.[1];
  if (!block) throw new Error("docs/audit-log.md has no verify-audit.mjs block");
  return block;
}

/** Runs the documented verifier on `entries` (as JSON on stdin); its exit code and output. */
async function runVerifier(script: string, entries: unknown): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, [script], { stdio: ["pipe", "pipe", "inherit"] });
  let out = "";
  child.stdout.on("data", (chunk) => {
    out += String(chunk);
  });
  child.stdin.end(JSON.stringify(entries));
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  return { code, out };
}

describe.each(PROVIDERS)("audit log (%s)", (provider) => {
  let w: World;

  beforeAll(async () => {
    const api = await startTestApi(provider, {
      trustProxy: parseTrustProxy("loopback"),
      quotas: { rrsetsPerZone: 60 },
    });
    const email = `owner-${randomBytes(3).toString("hex")}@example.test`;
    const session = await api.signIn(email);
    const user = await api.services.db.user.findUniqueOrThrow({ where: { email } });
    let counter = 0;
    const partial = { api, session };
    const zone = await ok(call(api, "POST", "/api/zones", session, { origin: "main.audit.test" }), 201);
    const zoneId = (zone.body as { id: string }).id;
    w = {
      api,
      email,
      userId: user.id,
      tenantId: user.tenantId,
      session,
      zoneId,
      zoneOrigin: "main.audit.test",
      tenantAdmin: await mint(partial, "/api/tokens", { scope: "tenant-admin", name: "robot" }),
      zoneAdmin: await mint(partial, "/api/tokens", {
        scope: "zone-admin",
        name: "zone-robot",
        zone_id: zoneId,
      }),
      acme: await mint(partial, `/api/zones/${zoneId}/tokens`, { scope: "acme-dns01", name: "certbot" }),
      unique: () => `u${++counter}`,
    };
  });
  afterAll(() => w?.api.close());

  it("has a recipe for every mutating route, and no recipe or exemption for a route that is gone", () => {
    const ids = new Set(routes.map((route) => route.operationId));
    const uncovered = routes
      .filter(mutating)
      .map((route) => route.operationId)
      .filter((id) => !(id in RECIPES) && !(id in NOT_AUDITED));
    expect(uncovered).toEqual([]);
    expect([...Object.keys(RECIPES), ...Object.keys(NOT_AUDITED)].filter((id) => !ids.has(id))).toEqual([]);
  });

  it.each(
    routes.filter((route) => mutating(route) && route.operationId in RECIPES).map((r) => r.operationId),
  )(
    "%s writes exactly one entry naming the operation, actor, zone, address and request",
    async (operationId) => {
      const recipe = RECIPES[operationId] as (w: World) => Promise<Made>;
      const made = await recipe(w);
      const requestId = made.answer.headers.get("x-request-id");
      expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
      const entries = (await allEntries(w.api, made.reader)).filter((e) => e.request_id === requestId);
      const main = entries.filter((e) => e.operation === made.operation);
      expect(main).toHaveLength(1);
      const others = entries.filter((e) => e.operation !== made.operation).map((e) => e.operation);
      expect(others).toEqual(ALSO_PUBLISHES.has(operationId) && others.length > 0 ? ["zone.publish"] : []);
      for (const entry of entries) {
        expect(entry).toMatchObject({
          tenant_id: made.tenantId,
          actor: made.actor,
          client_address: CLIENT,
          request_id: requestId,
          zone: made.zoneId === null ? null : { id: made.zoneId, origin: expect.any(String) },
        });
        expect(entry.hash).toMatch(/^[0-9a-f]{64}$/);
      }
      expect(await verify(w.api, made.reader)).toMatchObject({ ok: true });
    },
  );

  it("writes no entry for refused requests (400, 401, 403, 404, 409, quota)", async () => {
    const rrsets = `/api/zones/${w.zoneId}/rrsets`;
    await ok(
      call(w.api, "POST", rrsets, w.session, {
        action: "UPSERT",
        name: "taken",
        type: "A",
        records: ["192.0.2.1"],
      }),
    );
    const count = () => w.api.services.db.auditEntry.count();
    const before = await count();
    const refused: [number, Promise<Answer>][] = [
      [
        400,
        call(w.api, "POST", rrsets, w.session, {
          action: "UPSERT",
          name: "x",
          type: "A",
          ttl: -1,
          records: ["1"],
        }),
      ],
      [400, call(w.api, "POST", "/api/zones", w.session, { origin: "not a name" })],
      [400, call(w.api, "POST", "/api/auth/exchange", undefined, { token: "" })],
      [401, call(w.api, "POST", "/api/auth/exchange", undefined, { token: "ab".repeat(32) })],
      [
        401,
        call(w.api, "POST", "/api/zones", `dnsc_${"0".repeat(16)}_${"1".repeat(64)}`, { origin: "x.test" }),
      ],
      [
        403,
        call(w.api, "POST", rrsets, w.acme.token, {
          action: "UPSERT",
          name: "y",
          type: "A",
          records: ["192.0.2.1"],
        }),
      ],
      [403, call(w.api, "POST", "/api/tokens", w.zoneAdmin.token, { scope: "tenant-admin" })],
      [403, call(w.api, "POST", "/api/auth/sign-out", w.tenantAdmin.token)],
      [404, call(w.api, "DELETE", "/api/zones/Zffffffffffffff", w.session)],
      [404, call(w.api, "DELETE", "/api/tokens/ffffffffffffffff", w.session)],
      [404, call(w.api, "POST", "/api/zones/Zffffffffffffff/publish", w.session)],
      [409, call(w.api, "POST", "/api/zones", w.session, { origin: w.zoneOrigin })],
      [
        409,
        call(w.api, "POST", rrsets, w.session, {
          action: "CREATE",
          name: "taken",
          type: "A",
          records: ["192.0.2.2"],
        }),
      ],
      [
        409,
        call(w.api, "POST", rrsets, w.session, {
          action: "UPSERT",
          name: "taken",
          type: "CNAME",
          records: ["a.example."],
        }),
      ],
    ];
    for (const [status, answer] of refused) expect((await answer).status).toBe(status);
    // More rrsets than the zone's quota (60) in one batch: refused after the serial bump, rolled back.
    const changes = Array.from({ length: 61 }, (_, i) => ({
      action: "UPSERT",
      name: `q${i}`,
      type: "A",
      records: ["192.0.2.3"],
    }));
    const quota = await call(w.api, "POST", rrsets, w.session, { changes });
    expect(quota.status).toBeGreaterThanOrEqual(400);
    expect(quota.body).toMatchObject({ code: "QUOTA_EXCEEDED" });
    // Presenting a challenge value that is already there, revoking twice: accepted, nothing changed.
    const value = challengeValue();
    const present = { action: "PRESENT", name: "_acme-challenge.again", value };
    await ok(call(w.api, "POST", `/api/zones/${w.zoneId}/acme-challenge`, w.acme.token, present));
    const afterFirst = await count();
    const again = await ok(
      call(w.api, "POST", `/api/zones/${w.zoneId}/acme-challenge`, w.acme.token, present),
    );
    expect(again.body).toMatchObject({ changed: false });
    expect(await count()).toBe(afterFirst);
    expect(afterFirst).toBeGreaterThan(before);
    const victim = await mint(w, "/api/tokens", { scope: "tenant-admin" });
    await ok(call(w.api, "DELETE", `/api/tokens/${victim.id}`, w.session));
    const revoked = await count();
    await ok(call(w.api, "DELETE", `/api/tokens/${victim.id}`, w.session));
    expect(await count()).toBe(revoked);
  });

  it("names the API's own jobs as system actors: auto-publisher and challenge-expiry", async () => {
    const zoneId = await newZone(w);
    const present = { action: "PRESENT", name: "_acme-challenge.forgotten", value: challengeValue() };
    await ok(call(w.api, "POST", `/api/zones/${zoneId}/acme-challenge`, w.session, present));
    // A value its client never cleaned up, past its lifetime, and a change nobody published.
    await w.api.services.db.acmeChallenge.updateMany({ where: { zoneId }, data: { expiresAt: new Date(0) } });
    const change = { action: "UPSERT", name: "pending", type: "A", records: ["192.0.2.8"] };
    await ok(call(w.api, "POST", `/api/zones/${zoneId}/rrsets`, w.session, change));
    const publisher = startAutoPublisher(w.api.services, 3_600_000);
    try {
      await publisher.runOnce();
    } finally {
      await publisher.stop();
    }
    const [publish, expiry] = await allEntries(w.api, w.session, `zone=${zoneId}`);
    const system = (id: string) => ({ kind: "system", id, name: null, scope: null });
    expect(expiry).toMatchObject({
      operation: "acme.cleanup",
      actor: system("challenge-expiry"),
      client_address: null,
      request_id: null,
      detail: {
        value: present.value,
        changes: [{ name: expect.stringMatching(/^_acme-challenge\.forgotten\./), after: null }],
      },
    });
    expect(publish).toMatchObject({
      operation: "zone.publish",
      actor: system("auto-publisher"),
      client_address: null,
      request_id: null,
    });
    expect(await verify(w.api, w.session)).toMatchObject({ ok: true });
  });

  it("records rrsets before and after", async () => {
    const rrsets = `/api/zones/${w.zoneId}/rrsets`;
    const name = w.unique();
    const upsert = (records: string[]) => ({ action: "UPSERT", name, type: "A", ttl: 120, records });
    const first = await ok(call(w.api, "POST", rrsets, w.session, upsert(["192.0.2.10"])));
    const second = await ok(call(w.api, "POST", rrsets, w.session, upsert(["192.0.2.12", "192.0.2.11"])));
    const third = await ok(call(w.api, "POST", rrsets, w.session, { action: "DELETE", name, type: "A" }));
    const entries = await allEntries(w.api, w.session, `zone=${w.zoneId}`);
    const of = (answer: Answer) => entries.find((e) => e.request_id === answer.headers.get("x-request-id"));
    const fqdn = `${name}.${w.zoneOrigin}.`;
    const serial = (answer: Answer) => (answer.body as { serial: number }).serial;
    expect(of(first)?.detail).toEqual({
      serial: serial(first),
      changes: [{ name: fqdn, type: "A", before: null, after: { ttl: 120, records: ["192.0.2.10"] } }],
    });
    expect(of(second)?.detail).toEqual({
      serial: serial(second),
      changes: [
        {
          name: fqdn,
          type: "A",
          before: { ttl: 120, records: ["192.0.2.10"] },
          after: { ttl: 120, records: ["192.0.2.11", "192.0.2.12"] },
        },
      ],
    });
    expect(of(third)?.detail).toMatchObject({
      changes: [
        { name: fqdn, type: "A", before: { ttl: 120, records: ["192.0.2.11", "192.0.2.12"] }, after: null },
      ],
    });
  });

  it("never records a secret", async () => {
    const minted = await mint(w, "/api/tokens", { scope: "tenant-admin", name: "secretive" });
    const zoneToken = await mint(w, `/api/zones/${w.zoneId}/tokens`, { scope: "zone-admin" });
    const secrets = [
      minted.token,
      minted.token.split("_")[2],
      zoneToken.token,
      zoneToken.token.split("_")[2],
      w.session,
    ];
    // A token's use: its own entry names it by id and name only.
    await ok(
      call(w.api, "POST", `/api/zones/${w.zoneId}/rrsets`, minted.token, {
        action: "UPSERT",
        name: w.unique(),
        type: "A",
        records: ["192.0.2.5"],
      }),
    );
    const listing = JSON.stringify(await allEntries(w.api, w.session));
    const stored = JSON.stringify(await w.api.services.db.auditEntry.findMany());
    const hashes = (await w.api.services.db.token.findMany()).map((t) => t.secretHash);
    for (const secret of [...secrets, ...hashes]) {
      expect(secret && listing.includes(secret)).toBe(false);
      expect(secret && stored.includes(secret)).toBe(false);
    }
    const entry = (await allEntries(w.api, w.session, `actor=${minted.id}`))[0];
    expect(entry).toMatchObject({
      actor: { kind: "token", id: minted.id, name: "secretive", scope: "tenant-admin" },
    });
  });

  it("names the tampered entry, and a deleted one", async () => {
    // A tenant of its own, so the damage stays out of the other tests' chain.
    const t = { api: w.api, session: await w.api.signIn() };
    const zone = await ok(
      call(t.api, "POST", "/api/zones", t.session, { origin: `tamper-${provider}.audit.test` }),
      201,
    );
    const zoneId = (zone.body as { id: string }).id;
    for (const name of ["a", "b", "c", "d"]) {
      await ok(
        call(t.api, "POST", `/api/zones/${zoneId}/rrsets`, t.session, {
          action: "UPSERT",
          name,
          type: "A",
          records: ["192.0.2.1"],
        }),
      );
    }
    const entries = await allEntries(t.api, t.session);
    expect(await verify(t.api, t.session)).toEqual({ ok: true, entries: entries.length });
    const victim = entries.find((e) => e.operation === "rrsets.change" && e.seq === 4) as Entry;
    const db = t.api.services.db;
    const row = await db.auditEntry.findUniqueOrThrow({
      where: { tenantId_seq: { tenantId: victim.tenant_id, seq: 4 } },
    });
    await db.$executeRaw`UPDATE "audit_entries" SET "detail" = ${row.detail.replace("192.0.2.1", "192.0.2.66")}
      WHERE "tenant_id" = ${victim.tenant_id} AND "seq" = 4`;
    expect(await verify(t.api, t.session)).toMatchObject({
      ok: false,
      first_broken: { seq: 4, operation: "rrsets.change" },
      reason: "hash_mismatch",
    });
    await db.$executeRaw`UPDATE "audit_entries" SET "detail" = ${row.detail}
      WHERE "tenant_id" = ${victim.tenant_id} AND "seq" = 4`;
    expect(await verify(t.api, t.session)).toMatchObject({ ok: true });
    // The newest entry removed: the head still counts it.
    const newest = entries[0] as Entry;
    await db.$executeRaw`DELETE FROM "audit_entries" WHERE "tenant_id" = ${newest.tenant_id} AND "seq" = ${newest.seq}`;
    expect(await verify(t.api, t.session)).toMatchObject({
      ok: false,
      first_broken: { seq: newest.seq },
      reason: "missing",
    });
  });

  it("agrees with the verifier docs/audit-log.md prints", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "dnscove-verify-"));
    try {
      const script = path.join(dir, "verify-audit.mjs");
      writeFileSync(script, documentedVerifier());
      const entries = await allEntries(w.api, w.session);
      expect(entries.length).toBeGreaterThan(10);
      const checked = await runVerifier(script, entries);
      expect(checked).toEqual({
        code: 0,
        out: `ok: ${entries.length} entries, newest hash ${entries[0]?.hash}\n`,
      });
      const victim = entries[5] as Entry;
      const tampered = entries.map((e) => (e === victim ? { ...e, client_address: "198.51.100.1" } : e));
      expect(await runVerifier(script, tampered)).toEqual({
        code: 1,
        out: `broken: entry ${victim.seq} was changed\n`,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("pages and filters by zone, actor and time", async () => {
    const t = { api: w.api, email: `pager-${provider}@example.test` };
    const session = await t.api.signIn(t.email);
    const zoneA = (
      await ok(call(t.api, "POST", "/api/zones", session, { origin: `a-${provider}.pages.test` }), 201)
    ).body as { id: string };
    const zoneB = (
      await ok(call(t.api, "POST", "/api/zones", session, { origin: `b-${provider}.pages.test` }), 201)
    ).body as { id: string };
    const robot = await mint({ api: t.api, session }, "/api/tokens", {
      scope: "tenant-admin",
      name: "pager",
    });
    for (let i = 0; i < 7; i += 1) {
      await ok(
        call(t.api, "POST", `/api/zones/${zoneA.id}/rrsets`, session, {
          action: "UPSERT",
          name: `a${i}`,
          type: "A",
          records: ["192.0.2.1"],
        }),
      );
    }
    for (let i = 0; i < 5; i += 1) {
      await ok(
        call(t.api, "POST", `/api/zones/${zoneB.id}/rrsets`, robot.token, {
          action: "UPSERT",
          name: `b${i}`,
          type: "A",
          records: ["192.0.2.1"],
        }),
      );
    }
    const everything = await allEntries(t.api, session);
    expect(everything.map((e) => e.seq)).toEqual(everything.map((_, i) => everything.length - i));

    const pages: Entry[][] = [];
    let cursor: string | null = null;
    do {
      const answer = await ok(
        call(
          t.api,
          "GET",
          `/api/audit?zone=${zoneA.id}&limit=3${cursor ? `&cursor=${cursor}` : ""}`,
          session,
        ),
      );
      const body = answer.body as { entries: Entry[]; next_cursor: string | null };
      pages.push(body.entries);
      cursor = body.next_cursor;
    } while (cursor);
    expect(pages.map((page) => page.length)).toEqual([3, 3, 2]);
    expect(pages.flat()).toEqual(everything.filter((e) => e.zone?.id === zoneA.id));
    expect(pages.flat().map((e) => e.operation)).toEqual([...Array(7).fill("rrsets.change"), "zone.create"]);

    const byRobot = await allEntries(t.api, session, `actor=${robot.id}`);
    expect(byRobot).toEqual(everything.filter((e) => e.actor.id === robot.id));
    expect(byRobot).toHaveLength(5);
    const byEmail = await allEntries(t.api, session, `actor=${encodeURIComponent(t.email)}`);
    expect(byEmail).toEqual(everything.filter((e) => e.actor.kind === "session"));

    const chronological = [...everything].reverse();
    const since = (chronological[3] as Entry).at;
    const until = (chronological[10] as Entry).at;
    const window = await allEntries(t.api, session, `since=${since}&until=${until}`);
    expect(window).toEqual(everything.filter((e) => e.at >= since && e.at < until));
    expect(window.length).toBeGreaterThan(0);

    for (const [query, field] of [
      ["limit=0", "limit"],
      ["limit=1001", "limit"],
      ["cursor=abc", "cursor"],
      ["since=yesterday", "since"],
      ["colour=blue", "colour"],
    ]) {
      const answer = await call(t.api, "GET", `/api/audit?${query}`, session);
      expect(answer.status).toBe(400);
      expect(answer.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      expect(answer.body).toMatchObject({ code: "VALIDATION_FAILED", errors: [{ path: field }] });
    }
  });

  it("keeps one gapless valid chain under 50 concurrent changes to two zones", async () => {
    const session = await w.api.signIn();
    const zones = await Promise.all(
      ["one", "two"].map(async (label) => {
        const answer = await ok(
          call(w.api, "POST", "/api/zones", session, { origin: `${label}-${provider}.race.test` }),
          201,
        );
        return (answer.body as { id: string }).id;
      }),
    );
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        call(w.api, "POST", `/api/zones/${zones[i % 2]}/rrsets`, session, {
          action: "UPSERT",
          name: `r${i}`,
          type: "A",
          records: [`192.0.2.${i + 1}`],
        }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(50).fill(200));
    // On PostgreSQL the changes waiting on one zone share a transaction and write their entries
    // together at its COMMIT: the chain's head must then stand at the last of them, which the next
    // change, alone, extends.
    const after = await call(w.api, "POST", `/api/zones/${zones[0]}/rrsets`, session, {
      action: "UPSERT",
      name: "after",
      type: "A",
      records: ["192.0.2.99"],
    });
    expect(after.status).toBe(200);
    const entries = await allEntries(w.api, session);
    expect(entries.map((e) => e.seq).sort((a, b) => a - b)).toEqual(entries.map((_, i) => i + 1));
    expect(entries.filter((e) => e.operation === "rrsets.change")).toHaveLength(51);
    expect(await verify(w.api, session)).toEqual({ ok: true, entries: entries.length });
  });

  it("transactions waiting on one key extend one chain, whose head the next entry then follows", async () => {
    const { db, clock } = w.api.services;
    const before = (await allEntries(w.api, w.session)).length;
    // All five join the key's line before it is served (a microtask later), so on PostgreSQL they
    // run as one group: one head claim, five entries written together at its COMMIT.
    const appended = Array.from({ length: 5 }, (_, i) =>
      runRawTransaction(
        db,
        (tx) =>
          recordAudit(tx, clock, systemActor(w.tenantId, "auto-publisher"), {
            operation: "zone.publish",
            zone: null,
            detail: { member: i },
          }),
        { queueKey: `audit-group-${provider}` },
      ),
    );
    await Promise.all(appended);
    await runRawTransaction(db, (tx) =>
      recordAudit(tx, clock, systemActor(w.tenantId, "auto-publisher"), {
        operation: "zone.publish",
        zone: null,
        detail: { member: "alone" },
      }),
    );
    const entries = await allEntries(w.api, w.session);
    expect(entries.map((e) => e.seq).sort((a, b) => a - b)).toEqual(entries.map((_, i) => i + 1));
    const added = entries.filter((e) => e.seq > before).sort((a, b) => a.seq - b.seq);
    expect(added.map((e) => e.detail.member)).toEqual([0, 1, 2, 3, 4, "alone"]);
    expect(await verify(w.api, w.session)).toEqual({ ok: true, entries: entries.length });
  });
});
