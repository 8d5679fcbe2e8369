/**
 * Every endpoint × every kind of credential, asserting the status code api-contract.md gives:
 * 401 for a missing, malformed, unknown, forged, expired or revoked credential; 403 for a valid
 * credential whose scope or zone binding does not allow the call; 404 for another tenant's resource;
 * the success code otherwise. Every non-2xx answer must be an application/problem+json with the
 * matching `code`, and must leave the database as it was (the audit log included).
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signSession } from "../src/domain/auth/session.js";
import type { Route } from "../src/http/route.js";
import { routes } from "../src/http/routes/index.js";
import { PROVIDERS, rawRequest, startTestApi, type TestApi } from "./harness.js";

// ---------------------------------------------------------------------------------------------
// Credentials
// ---------------------------------------------------------------------------------------------

/** How the contract sees a credential. */
type Role =
  | "unauthenticated"
  | "session"
  | "tenant-admin"
  | "zone-admin (own zone)"
  | "zone-admin (other zone)"
  | "acme-dns01 (own zone)"
  | "acme-dns01 (other zone)"
  | "other tenant";

interface World {
  api: TestApi;
  tenantId: string;
  /** The zone the zone-scoped calls target (unless the endpoint prepares a fresh one). */
  zoneId: string;
  /** Another zone of the same tenant: zone-bound tokens bound to it must get 403 on `zoneId`. */
  otherZoneId: string;
  session: string;
  tenantAdmin: string;
  revoked: string;
  expired: string;
  otherSession: string;
  otherTenantAdmin: string;
  /** Zone-bound tokens, minted on demand per (scope, zone). */
  zoneToken(scope: "zone-admin" | "acme-dns01", zoneId: string): Promise<string>;
  unique(): string;
}

interface Credential {
  name: string;
  role: Role;
  /** A machine token (as opposed to a console session), where the role alone does not tell. */
  token?: true;
  /** The Authorization header to send (undefined: none), given the zone the call targets. */
  header(world: World, targetZoneId: string): Promise<string | undefined>;
}

const hex = (octets: number) => randomBytes(octets).toString("hex");

const CREDENTIALS: Credential[] = [
  { name: "no credential", role: "unauthenticated", header: async () => undefined },
  { name: 'garbage "garbage"', role: "unauthenticated", header: async () => "Bearer garbage" },
  { name: 'truncated "dnsc_zz"', role: "unauthenticated", header: async () => "Bearer dnsc_zz" },
  {
    name: "well-formed dnsc_ token with an unknown id",
    role: "unauthenticated",
    header: async () => `Bearer dnsc_${hex(8)}_${hex(32)}`,
  },
  {
    name: "known token id with a wrong secret",
    role: "unauthenticated",
    header: async (w) => `Bearer dnsc_${w.tenantAdmin.split("_")[1]}_${hex(32)}`,
  },
  {
    name: "session signed with another secret",
    role: "unauthenticated",
    header: async (w) =>
      `Bearer ${signSession({ sub: "usr_forged", tid: w.tenantId, exp: Math.floor(Date.now() / 1000) + 3600, jti: "ses_forged" }, hex(32))}`,
  },
  {
    name: "expired session (correctly signed)",
    role: "unauthenticated",
    header: async (w) =>
      `Bearer ${signSession(
        { sub: "usr_expired", tid: w.tenantId, exp: Math.floor(Date.now() / 1000) - 60, jti: "ses_expired" },
        w.api.services.settings.sessionSecret,
      )}`,
  },
  {
    name: "Basic scheme instead of Bearer",
    role: "unauthenticated",
    header: async (w) => `Basic ${w.session}`,
  },
  { name: "revoked tenant-admin token", role: "unauthenticated", header: async (w) => `Bearer ${w.revoked}` },
  { name: "expired tenant-admin token", role: "unauthenticated", header: async (w) => `Bearer ${w.expired}` },
  { name: "session", role: "session", header: async (w) => `Bearer ${w.session}` },
  { name: "tenant-admin token", role: "tenant-admin", header: async (w) => `Bearer ${w.tenantAdmin}` },
  {
    name: "zone-admin token on its zone",
    role: "zone-admin (own zone)",
    header: async (w, zoneId) => `Bearer ${await w.zoneToken("zone-admin", zoneId)}`,
  },
  {
    name: "zone-admin token on another zone of the tenant",
    role: "zone-admin (other zone)",
    header: async (w) => `Bearer ${await w.zoneToken("zone-admin", w.otherZoneId)}`,
  },
  {
    name: "acme-dns01 token on its zone",
    role: "acme-dns01 (own zone)",
    header: async (w, zoneId) => `Bearer ${await w.zoneToken("acme-dns01", zoneId)}`,
  },
  {
    name: "acme-dns01 token on another zone of the tenant",
    role: "acme-dns01 (other zone)",
    header: async (w) => `Bearer ${await w.zoneToken("acme-dns01", w.otherZoneId)}`,
  },
  { name: "another tenant's session", role: "other tenant", header: async (w) => `Bearer ${w.otherSession}` },
  {
    name: "another tenant's tenant-admin token",
    role: "other tenant",
    token: true,
    header: async (w) => `Bearer ${w.otherTenantAdmin}`,
  },
];

// ---------------------------------------------------------------------------------------------
// Endpoints, with who may call them (the contract's "who" column)
// ---------------------------------------------------------------------------------------------

type Who = "session" | "tenant-admin" | "zone-admin" | "acme-dns01";
const TENANT: Who[] = ["session", "tenant-admin"];
const ZONE_RECORDS: Who[] = ["session", "tenant-admin", "zone-admin"];
const ACME: Who[] = ["session", "tenant-admin", "zone-admin", "acme-dns01"];

/** What one case calls: the target zone (for zone-bound credentials) and the request. */
interface Target {
  zoneId: string;
  path: string;
  body?: unknown;
  /** Checks after the call: what a success must have done, or that a refusal changed nothing. */
  after?(world: World, succeeded: boolean, body: unknown): Promise<void>;
}

interface Endpoint {
  name: string;
  method: "GET" | "POST" | "PUT" | "DELETE";
  who: Who[];
  /** The call names a resource of the tenant (a zone or a token): another tenant gets 404. */
  tenantResource: boolean;
  success: 200 | 201 | 204;
  /** The success answer's media type when it is not JSON (the zone-file export: `text/dns`). */
  mediaType?: string;
  target(world: World): Promise<Target>;
}

const ENDPOINTS: Endpoint[] = [
  {
    // Ends the calling session: afterwards exactly that session answers 401. Its row is then put
    // back, so the cases after this one can still use it.
    name: "POST /api/auth/sign-out",
    method: "POST",
    who: ["session"],
    tenantResource: false,
    success: 204,
    target: async (w) => {
      const live = await w.api.services.db.session.findMany();
      return {
        zoneId: w.zoneId,
        path: "/api/auth/sign-out",
        async after(world, succeeded) {
          const db = world.api.services.db;
          const now = await db.session.findMany();
          expect(now).toHaveLength(live.length - (succeeded ? 1 : 0));
          if (!succeeded) return;
          const probe = async () =>
            Promise.all(
              [world.session, world.otherSession].map(
                async (token) => (await rawRequest(world.api, "GET", "/api/zones", { token })).status,
              ),
            );
          expect((await probe()).sort()).toEqual([200, 401]);
          const ended = live.filter((row) => !now.some((other) => other.id === row.id));
          for (const row of ended) await db.session.create({ data: row });
          expect(await probe()).toEqual([200, 200]);
        },
      };
    },
  },
  {
    name: "GET /api/zones",
    method: "GET",
    who: TENANT,
    tenantResource: false,
    success: 200,
    target: async (w) => ({
      zoneId: w.zoneId,
      path: "/api/zones",
      async after(_w, succeeded, body) {
        if (!succeeded) return;
        const ids = (body as { zones: { id: string }[] }).zones.map((z) => z.id);
        // A caller of another tenant sees only its own zones.
        expect(ids.includes(w.zoneId)).toBe(ids.includes(w.otherZoneId));
      },
    }),
  },
  {
    name: "POST /api/zones",
    method: "POST",
    who: TENANT,
    tenantResource: false,
    success: 201,
    target: async (w) => {
      const origin = `${w.unique()}.matrix.test`;
      return {
        zoneId: w.zoneId,
        path: "/api/zones",
        body: { origin },
        async after(world, succeeded, body) {
          const count = await world.api.services.db.zone.count({ where: { origin } });
          expect(count).toBe(succeeded ? 1 : 0);
          if (succeeded) expect(body).toMatchObject({ origin, serial: 1, published_serial: 1 });
        },
      };
    },
  },
  {
    name: "GET /api/zones/{id}",
    method: "GET",
    who: ZONE_RECORDS,
    tenantResource: true,
    success: 200,
    target: async (w) => ({
      zoneId: w.zoneId,
      path: `/api/zones/${w.zoneId}`,
      async after(_world, succeeded, body) {
        if (succeeded) expect(body).toMatchObject({ id: w.zoneId, tenant_id: w.tenantId });
      },
    }),
  },
  {
    name: "DELETE /api/zones/{id} (a fresh zone per case)",
    method: "DELETE",
    who: TENANT,
    tenantResource: true,
    success: 204,
    target: async (w) => {
      const zone = await createZone(w, `${w.unique()}.doomed.test`);
      return {
        zoneId: zone,
        path: `/api/zones/${zone}`,
        async after(world, succeeded) {
          expect(await world.api.services.db.zone.count({ where: { id: zone } })).toBe(succeeded ? 0 : 1);
        },
      };
    },
  },
  {
    name: "GET /api/zones/{id}/rrsets",
    method: "GET",
    who: ZONE_RECORDS,
    tenantResource: true,
    success: 200,
    target: async (w) => ({
      zoneId: w.zoneId,
      path: `/api/zones/${w.zoneId}/rrsets`,
      async after(_world, succeeded, body) {
        if (succeeded) expect((body as { rrsets: { type: string }[] }).rrsets[0]?.type).toBe("SOA");
      },
    }),
  },
  {
    name: "GET /api/zones/{id}/zone-file",
    method: "GET",
    who: ZONE_RECORDS,
    tenantResource: true,
    success: 200,
    mediaType: "text/dns",
    target: async (w) => ({
      zoneId: w.zoneId,
      path: `/api/zones/${w.zoneId}/zone-file`,
      async after(_world, succeeded, body) {
        if (succeeded) expect(String(body)).toMatch(/^; zone \S+ serial \d+/);
      },
    }),
  },
  {
    name: "POST /api/zones/{id}/rrsets",
    method: "POST",
    who: ZONE_RECORDS,
    tenantResource: true,
    success: 200,
    target: async (w) => {
      const label = w.unique();
      return {
        zoneId: w.zoneId,
        path: `/api/zones/${w.zoneId}/rrsets`,
        body: { action: "UPSERT", name: label, type: "A", ttl: 60, records: ["192.0.2.1"] },
        async after(world, succeeded, body) {
          const rows = await world.api.services.db.rRset.count({
            where: { zoneId: w.zoneId, name: { startsWith: `${label}.` } },
          });
          expect(rows).toBe(succeeded ? 1 : 0);
          if (succeeded) {
            expect(body).toMatchObject({
              status: "PENDING",
              rrsets: [{ name: `${label}.target.test.`, type: "A", ttl: 60, records: ["192.0.2.1"] }],
            });
          }
        },
      };
    },
  },
  {
    name: "GET /api/zones/{id}/rrsets/{name}/{type}",
    method: "GET",
    who: ZONE_RECORDS,
    tenantResource: true,
    success: 200,
    target: async (w) => {
      const stored = { name: "matrix-get.target.test.", type: "A", ttl: 300, records: ["192.0.2.53"] };
      const seeded = await rawRequest(w.api, "POST", `/api/zones/${w.zoneId}/rrsets`, {
        token: w.session,
        body: JSON.stringify({ ...stored, action: "UPSERT" }),
      });
      expect(seeded.status).toBe(200);
      return {
        zoneId: w.zoneId,
        path: `/api/zones/${w.zoneId}/rrsets/matrix-get/A`,
        async after(_world, succeeded, body) {
          if (succeeded) expect(body).toEqual(stored);
        },
      };
    },
  },
  {
    name: "GET /api/zones/{id}/snapshots",
    method: "GET",
    who: ZONE_RECORDS,
    tenantResource: true,
    success: 200,
    target: async (w) => ({
      zoneId: w.zoneId,
      path: `/api/zones/${w.zoneId}/snapshots`,
      async after(_world, succeeded, body) {
        // Serial 1 was published by the zone's creation.
        if (succeeded) expect((body as { snapshots: { serial: number }[] }).snapshots.at(-1)?.serial).toBe(1);
      },
    }),
  },
  {
    name: "GET /api/zones/{id}/snapshots/{serial}",
    method: "GET",
    who: ZONE_RECORDS,
    tenantResource: true,
    success: 200,
    target: async (w) => ({
      zoneId: w.zoneId,
      path: `/api/zones/${w.zoneId}/snapshots/1`,
      async after(_world, succeeded, body) {
        if (succeeded) expect(body).toMatchObject({ serial: 1, origin: "target.test." });
      },
    }),
  },
  {
    name: "GET /api/zones/{id}/diff",
    method: "GET",
    who: ZONE_RECORDS,
    tenantResource: true,
    success: 200,
    target: async (w) => ({
      zoneId: w.zoneId,
      path: `/api/zones/${w.zoneId}/diff?from=1`,
      async after(_world, succeeded, body) {
        if (succeeded) expect(body).toMatchObject({ from: 1, added: expect.any(Array) });
      },
    }),
  },
  {
    // Back to serial 1 (the empty zone) on a fresh zone holding one rrset: a real rollback.
    name: "POST /api/zones/{id}/rollback (a fresh zone per case)",
    method: "POST",
    who: ZONE_RECORDS,
    tenantResource: true,
    success: 200,
    target: async (w) => {
      const zone = await createZone(w, `${w.unique()}.rollback.test`);
      const seeded = await rawRequest(w.api, "POST", `/api/zones/${zone}/rrsets`, {
        token: w.session,
        body: JSON.stringify({ name: "www", type: "A", records: ["192.0.2.1"] }),
      });
      expect(seeded.status).toBe(200);
      return {
        zoneId: zone,
        path: `/api/zones/${zone}/rollback`,
        body: { serial: 1 },
        async after(world, succeeded, body) {
          expect(await world.api.services.db.rRset.count({ where: { zoneId: zone } })).toBe(
            succeeded ? 0 : 1,
          );
          if (succeeded) expect(body).toMatchObject({ status: "PENDING", serial: 3, rolled_back_to: 1 });
        },
      };
    },
  },
  {
    name: "GET /api/zones/{id}/dnssec",
    method: "GET",
    who: TENANT,
    tenantResource: true,
    success: 200,
    target: async (w) => ({
      zoneId: w.zoneId,
      path: `/api/zones/${w.zoneId}/dnssec`,
      async after(_world, succeeded, body) {
        if (succeeded) expect(body).toMatchObject({ enabled: false, status: "unsigned", keys: [], ds: [] });
      },
    }),
  },
  {
    // Signing a fresh zone per case: a success makes a KSK and a ZSK and publishes the signed zone.
    name: "PUT /api/zones/{id}/dnssec (a fresh zone per case)",
    method: "PUT",
    who: TENANT,
    tenantResource: true,
    success: 200,
    target: async (w) => {
      const zone = await createZone(w, `${w.unique()}.dnssec.test`);
      return {
        zoneId: zone,
        path: `/api/zones/${zone}/dnssec`,
        body: { enabled: true },
        async after(world, succeeded, body) {
          expect(await world.api.services.db.dnssecKey.count({ where: { zoneId: zone } })).toBe(
            succeeded ? 2 : 0,
          );
          if (succeeded) expect(body).toMatchObject({ enabled: true, status: "signed" });
        },
      };
    },
  },
  {
    name: "POST /api/zones/{id}/dnssec/ksk-rollover (a fresh signed zone per case)",
    method: "POST",
    who: TENANT,
    tenantResource: true,
    success: 200,
    target: async (w) => {
      const zone = await createZone(w, `${w.unique()}.ksk.test`);
      const signed = await rawRequest(w.api, "PUT", `/api/zones/${zone}/dnssec`, {
        token: w.session,
        body: JSON.stringify({ enabled: true }),
      });
      expect(signed.status).toBe(200);
      return {
        zoneId: zone,
        path: `/api/zones/${zone}/dnssec/ksk-rollover`,
        async after(world, succeeded, body) {
          expect(await world.api.services.db.dnssecKey.count({ where: { zoneId: zone } })).toBe(
            succeeded ? 3 : 2,
          );
          if (succeeded) expect(body).toMatchObject({ status: "ksk-rollover" });
        },
      };
    },
  },
  {
    name: "POST /api/zones/{id}/publish",
    method: "POST",
    who: TENANT,
    tenantResource: true,
    success: 200,
    target: async (w) => ({
      zoneId: w.zoneId,
      path: `/api/zones/${w.zoneId}/publish`,
      async after(_world, succeeded, body) {
        if (succeeded) expect(body).toMatchObject({ published: true, zone: { id: w.zoneId } });
      },
    }),
  },
  {
    // The test API's resolver is a closed loopback port: the check answers 200, not delegated.
    name: "POST /api/zones/{id}/delegation",
    method: "POST",
    who: ZONE_RECORDS,
    tenantResource: true,
    success: 200,
    target: async (w) => ({
      zoneId: w.zoneId,
      path: `/api/zones/${w.zoneId}/delegation`,
      async after(_world, succeeded, body) {
        if (succeeded)
          expect(body).toMatchObject({ delegation: { delegated: false }, status: "PENDING_VERIFICATION" });
      },
    }),
  },
  {
    // The zone is given previous nameservers (as an import would) so the parity check runs; they
    // cannot be reached, so nothing matches.
    name: "POST /api/zones/{id}/parity",
    method: "POST",
    who: ZONE_RECORDS,
    tenantResource: true,
    success: 200,
    target: async (w) => {
      await w.api.services.db.zone.update({
        where: { id: w.zoneId },
        data: { previousNs: JSON.stringify(["ns1.old-provider.test."]) },
      });
      return {
        zoneId: w.zoneId,
        path: `/api/zones/${w.zoneId}/parity`,
        async after(_world, succeeded, body) {
          if (succeeded) expect(body).toMatchObject({ safe_to_delete: false });
        },
      };
    },
  },
  {
    name: "POST /api/zones/{id}/acme-challenge",
    method: "POST",
    who: ACME,
    tenantResource: true,
    success: 200,
    target: async (w) => ({
      zoneId: w.zoneId,
      path: `/api/zones/${w.zoneId}/acme-challenge`,
      body: {
        action: "PRESENT",
        name: `_acme-challenge.${w.unique()}.target.test.`,
        value: randomBytes(32).toString("base64url"),
      },
    }),
  },
  {
    name: "GET /api/zones/{id}/servers",
    method: "GET",
    who: ZONE_RECORDS,
    tenantResource: true,
    success: 200,
    target: async (w) => ({
      zoneId: w.zoneId,
      path: `/api/zones/${w.zoneId}/servers`,
      async after(_world, succeeded, body) {
        if (succeeded) expect(body).toMatchObject({ zone_id: w.zoneId, serial: expect.any(Number) });
      },
    }),
  },
  ...(["present", "cleanup"] as const).map(
    (verb): Endpoint => ({
      // lego's httpreq protocol names a record, not a zone: the zone is the caller's zone holding
      // the name, so another tenant's credential finds none (404).
      name: `POST /api/acme/httpreq/${verb}`,
      method: "POST",
      who: ACME,
      tenantResource: true,
      success: 200,
      target: async (w) => {
        const name = `_acme-challenge.${w.unique()}.target.test.`;
        return {
          zoneId: w.zoneId,
          path: `/api/acme/httpreq/${verb}`,
          body: { fqdn: name, value: randomBytes(32).toString("base64url") },
          async after(world, succeeded) {
            const rows = await world.api.services.db.rRset.count({ where: { zoneId: w.zoneId, name } });
            expect(rows).toBe(succeeded && verb === "present" ? 1 : 0);
          },
        };
      },
    }),
  ),
  {
    name: "GET /api/zones/{id}/tokens",
    method: "GET",
    who: TENANT,
    tenantResource: true,
    success: 200,
    target: async (w) => ({
      zoneId: w.zoneId,
      path: `/api/zones/${w.zoneId}/tokens`,
      async after(_world, succeeded, body) {
        if (!succeeded) return;
        const tokens = (body as { tokens: { zone_id: string | null }[] }).tokens;
        expect(tokens.every((t) => t.zone_id === w.zoneId)).toBe(true);
        expect(JSON.stringify(body)).not.toMatch(/dnsc_/);
      },
    }),
  },
  {
    name: "POST /api/zones/{id}/tokens",
    method: "POST",
    who: TENANT,
    tenantResource: true,
    success: 201,
    target: async (w) => {
      const name = w.unique();
      return {
        zoneId: w.zoneId,
        path: `/api/zones/${w.zoneId}/tokens`,
        body: { name, scope: "acme-dns01", expires_in_days: 1 },
        async after(world, succeeded, body) {
          expect(await world.api.services.db.token.count({ where: { name } })).toBe(succeeded ? 1 : 0);
          if (succeeded)
            expect(body).toMatchObject({ zone_id: w.zoneId, scope: "acme-dns01", revoked: false });
        },
      };
    },
  },
  {
    name: "GET /api/zones/{id}/tsig-keys",
    method: "GET",
    who: TENANT,
    tenantResource: true,
    success: 200,
    target: async (w) => ({
      zoneId: w.zoneId,
      path: `/api/zones/${w.zoneId}/tsig-keys`,
      async after(_world, succeeded, body) {
        if (!succeeded) return;
        const keys = (body as { tsig_keys: { zone_id: string }[] }).tsig_keys;
        expect(keys.every((k) => k.zone_id === w.zoneId)).toBe(true);
        expect(JSON.stringify(body)).not.toMatch(/"secret"/);
      },
    }),
  },
  {
    name: "POST /api/zones/{id}/tsig-keys",
    method: "POST",
    who: TENANT,
    tenantResource: true,
    success: 201,
    target: async (w) => {
      const before = await w.api.services.db.tsigKey.count({ where: { zoneId: w.zoneId } });
      return {
        zoneId: w.zoneId,
        path: `/api/zones/${w.zoneId}/tsig-keys`,
        body: { name: "matrix", scope: "acme-dns01" },
        async after(world, succeeded, body) {
          const after = await world.api.services.db.tsigKey.count({ where: { zoneId: w.zoneId } });
          expect(after - before).toBe(succeeded ? 1 : 0);
          if (succeeded)
            expect(body).toMatchObject({ zone_id: w.zoneId, scope: "acme-dns01", revoked: false });
        },
      };
    },
  },
  {
    name: "DELETE /api/zones/{id}/tsig-keys/{keyId} (a fresh key per case)",
    method: "DELETE",
    who: TENANT,
    tenantResource: true,
    success: 200,
    target: async (w) => {
      const created = await mint(w, w.session, `/api/zones/${w.zoneId}/tsig-keys`, { name: "victim" });
      return {
        zoneId: w.zoneId,
        path: `/api/zones/${w.zoneId}/tsig-keys/${created.id}`,
        async after(world, succeeded, body) {
          const row = await world.api.services.db.tsigKey.findUniqueOrThrow({ where: { id: created.id } });
          expect(row.revokedAt !== null).toBe(succeeded);
          if (succeeded) expect(body).toMatchObject({ id: created.id, revoked: true });
        },
      };
    },
  },
  {
    name: "GET /api/tokens",
    method: "GET",
    who: TENANT,
    tenantResource: false,
    success: 200,
    target: async (w) => ({
      zoneId: w.zoneId,
      path: "/api/tokens",
      async after(_world, succeeded, body) {
        if (!succeeded) return;
        const ids = (body as { tokens: { id: string }[] }).tokens.map((t) => t.id);
        const ownId = w.tenantAdmin.split("_")[1] ?? "";
        const otherId = w.otherTenantAdmin.split("_")[1] ?? "";
        // Exactly one of the two tenants' admin tokens is listed: the caller's own.
        expect(ids.includes(ownId)).not.toBe(ids.includes(otherId));
        expect(JSON.stringify(body)).not.toMatch(/dnsc_/);
      },
    }),
  },
  {
    name: "POST /api/tokens (tenant-admin)",
    method: "POST",
    who: TENANT,
    tenantResource: false,
    success: 201,
    target: async (w) => {
      const name = w.unique();
      return {
        zoneId: w.zoneId,
        path: "/api/tokens",
        body: { name, scope: "tenant-admin", expires_in_days: 1 },
        async after(world, succeeded, body) {
          expect(await world.api.services.db.token.count({ where: { name } })).toBe(succeeded ? 1 : 0);
          if (succeeded) expect(body).toMatchObject({ scope: "tenant-admin", zone_id: null });
        },
      };
    },
  },
  {
    name: "POST /api/tokens (zone-admin bound to the zone)",
    method: "POST",
    who: TENANT,
    tenantResource: true,
    success: 201,
    target: async (w) => {
      const name = w.unique();
      return {
        zoneId: w.zoneId,
        path: "/api/tokens",
        body: { name, scope: "zone-admin", zone_id: w.zoneId },
        async after(world, succeeded, body) {
          expect(await world.api.services.db.token.count({ where: { name } })).toBe(succeeded ? 1 : 0);
          if (succeeded) expect(body).toMatchObject({ scope: "zone-admin", zone_id: w.zoneId });
        },
      };
    },
  },
  {
    name: "DELETE /api/tokens/{id} (a fresh token per case)",
    method: "DELETE",
    who: TENANT,
    tenantResource: true,
    success: 200,
    target: async (w) => {
      const minted = await mint(w, w.session, "/api/tokens", { scope: "tenant-admin", name: "victim" });
      return {
        zoneId: w.zoneId,
        path: `/api/tokens/${minted.id}`,
        async after(world, succeeded, body) {
          const row = await world.api.services.db.token.findUniqueOrThrow({ where: { id: minted.id } });
          expect(row.revokedAt !== null).toBe(succeeded);
          if (succeeded) expect(body).toMatchObject({ id: minted.id, revoked: true });
          const probe = await rawRequest(world.api, "GET", "/api/zones", { token: minted.token });
          expect(probe.status).toBe(succeeded ? 401 : 200);
        },
      };
    },
  },
  {
    name: "POST /api/import/route53",
    method: "POST",
    who: TENANT,
    tenantResource: false,
    success: 201,
    target: async (w) => {
      const origin = `${w.unique()}.imported.test`;
      return {
        zoneId: w.zoneId,
        path: "/api/import/route53",
        body: {
          origin,
          json: JSON.stringify({
            ResourceRecordSets: [
              { Name: `www.${origin}.`, Type: "A", TTL: 300, ResourceRecords: [{ Value: "192.0.2.1" }] },
            ],
          }),
        },
      };
    },
  },
  {
    name: "POST /api/import/zone-file",
    method: "POST",
    who: TENANT,
    tenantResource: false,
    success: 201,
    target: async (w) => {
      const origin = `${w.unique()}.imported.test`;
      return {
        zoneId: w.zoneId,
        path: "/api/import/zone-file",
        body: { origin, zone_file: "$TTL 300\nwww A 192.0.2.1\n" },
        async after(world, succeeded) {
          expect(await world.api.services.db.zone.count({ where: { origin } })).toBe(succeeded ? 1 : 0);
        },
      };
    },
  },
  {
    // The tenant's audit log: a caller sees its own tenant's entries and never another's.
    name: "GET /api/audit",
    method: "GET",
    who: TENANT,
    tenantResource: false,
    success: 200,
    target: async (w) => ({
      zoneId: w.zoneId,
      path: "/api/audit?limit=1000",
      async after(_world, succeeded, body) {
        if (!succeeded) return;
        const entries = (body as { entries: { tenant_id: string }[] }).entries;
        expect(new Set(entries.map((entry) => entry.tenant_id)).size).toBe(1);
      },
    }),
  },
  {
    name: "GET /api/audit/verify",
    method: "GET",
    who: TENANT,
    tenantResource: false,
    success: 200,
    target: async (w) => ({
      zoneId: w.zoneId,
      path: "/api/audit/verify",
      async after(_world, succeeded, body) {
        if (succeeded) expect(body).toMatchObject({ ok: true, entries: expect.any(Number) });
      },
    }),
  },
];

// ---------------------------------------------------------------------------------------------
// The contract's answer for one (endpoint, credential)
// ---------------------------------------------------------------------------------------------

function expected(endpoint: Endpoint, credential: Credential): { status: number; code?: string } {
  const role = credential.role;
  const ok = { status: endpoint.success };
  const forbidden = { status: 403, code: "FORBIDDEN" };
  switch (role) {
    case "unauthenticated":
      return { status: 401, code: "UNAUTHENTICATED" };
    case "session":
    case "tenant-admin":
      return endpoint.who.includes(role) ? ok : forbidden;
    case "other tenant":
      // Another tenant's zone or token is 404, never 403; tenant-wide calls act on its own tenant.
      if (endpoint.tenantResource) return { status: 404, code: "NOT_FOUND" };
      // Session-only calls (sign-out) refuse machine tokens, whoever's they are.
      return credential.token && !endpoint.who.includes("tenant-admin") ? forbidden : ok;
    case "zone-admin (own zone)":
      return endpoint.who.includes("zone-admin") ? ok : forbidden;
    case "acme-dns01 (own zone)":
      return endpoint.who.includes("acme-dns01") ? ok : forbidden;
    case "zone-admin (other zone)":
    case "acme-dns01 (other zone)":
      // Bound to another zone: never allowed here, whatever the scope would allow on its own zone.
      return forbidden;
  }
}

/** The route an endpoint's cases call, as `METHOD /api/path/{param}` (its name up to any remark). */
function routeOf(endpoint: Endpoint): string {
  return endpoint.name.replace(/ \(.*\)$/, "");
}

const CASES = ENDPOINTS.flatMap((endpoint) =>
  CREDENTIALS.map((credential) => {
    const want = expected(endpoint, credential);
    return {
      label: `${endpoint.name} with ${credential.name} -> ${want.status}`,
      endpoint,
      credential,
      want,
    };
  }),
);

/**
 * `GET /metrics` (issue 17) is outside /api, the routes table and so the completeness check above:
 * Prometheus's text format for scrapers, behind DNSCOVE_METRICS_TOKEN (docs/guides/metrics.md,
 * decisions.md 2026-12-03). Its rows: with the token set, every API credential above is refused,
 * since a session or an API token is no metrics credential, and only the metrics token is let in.
 */
const METRICS_TOKEN = hex(16);
const METRICS_CASES: { label: string; header(world: World): Promise<string | undefined>; status: number }[] =
  [
    ...CREDENTIALS.map((credential) => ({
      label: `GET /metrics with ${credential.name} -> 401`,
      header: (world: World) => credential.header(world, world.zoneId),
      status: 401,
    })),
    {
      label: "GET /metrics with a wrong bearer (the metrics token plus one character) -> 401",
      header: async () => `Bearer ${METRICS_TOKEN}0`,
      status: 401,
    },
    {
      label: "GET /metrics with the metrics token in the Basic scheme -> 401",
      header: async () => `Basic ${METRICS_TOKEN}`,
      status: 401,
    },
    {
      label: "GET /metrics with the metrics token -> 200",
      header: async () => `Bearer ${METRICS_TOKEN}`,
      status: 200,
    },
  ];

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

async function mint(
  w: World,
  session: string,
  path: string,
  body: unknown,
): Promise<{ id: string; token: string }> {
  const response = await rawRequest(w.api, "POST", path, { token: session, body: JSON.stringify(body) });
  if (response.status !== 201)
    throw new Error(`minting failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as { id: string; token: string };
}

async function createZone(w: World | { api: TestApi; session: string }, origin: string): Promise<string> {
  const response = await rawRequest(w.api, "POST", "/api/zones", {
    token: w.session,
    body: JSON.stringify({ origin }),
  });
  if (response.status !== 201)
    throw new Error(`zone creation failed: ${response.status} ${JSON.stringify(response.body)}`);
  return (response.body as { id: string }).id;
}

/** Everything a refused call must leave alone. */
async function fingerprint(api: TestApi, zoneId: string): Promise<unknown> {
  const db = api.services.db;
  const zone = await db.zone.findUnique({
    where: { id: zoneId },
    select: { serial: true, publishedSerial: true },
  });
  return {
    zone,
    zones: await db.zone.count(),
    rrsets: await db.rRset.count(),
    snapshots: await db.snapshot.count(),
    changes: await db.zoneChange.count(),
    publishes: await db.zonePublish.count(),
    tokens: await db.token.count(),
    dnssecKeys: await db.dnssecKey.count(),
    dnssecStates: (await db.zone.findMany({ select: { dnssecState: true } }))
      .map((z) => z.dnssecState)
      .sort(),
    revoked: await db.token.count({ where: { revokedAt: { not: null } } }),
    tenants: await db.tenant.count(),
    sessions: await db.session.count(),
    // A refused request leaves no audit entry either (issue 15).
    audit: await db.auditEntry.count(),
  };
}

// ---------------------------------------------------------------------------------------------
// The matrix
// ---------------------------------------------------------------------------------------------

describe.each(PROVIDERS)("authorization matrix (%s)", (provider) => {
  let world: World;

  beforeAll(async () => {
    const api = await startTestApi(provider, { metricsToken: METRICS_TOKEN });
    const session = await api.signIn();
    const otherSession = await api.signIn();
    const zoneId = await createZone({ api, session }, "target.test");
    const otherZoneId = await createZone({ api, session }, "sibling.test");
    await createZone({ api, session: otherSession }, "elsewhere.test");
    const tenantId = (await api.services.db.zone.findUniqueOrThrow({ where: { id: zoneId } })).tenantId;
    let counter = 0;
    const zoneTokens = new Map<string, Promise<string>>();
    const partial = { api, session, tenantId, zoneId, otherZoneId } as World;

    const tenantAdmin = (await mint(partial, session, "/api/tokens", { scope: "tenant-admin" })).token;
    const revoked = await mint(partial, session, "/api/tokens", { scope: "tenant-admin", name: "revoked" });
    const revocation = await rawRequest(api, "DELETE", `/api/tokens/${revoked.id}`, { token: session });
    expect(revocation.status).toBe(200);
    const expired = await mint(partial, session, "/api/tokens", {
      scope: "tenant-admin",
      name: "expired",
      expires_in_days: 1,
    });
    await api.services.db.token.update({
      where: { id: expired.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const otherTenantAdmin = (await mint(partial, otherSession, "/api/tokens", { scope: "tenant-admin" }))
      .token;

    world = Object.assign(partial, {
      tenantAdmin,
      revoked: revoked.token,
      expired: expired.token,
      otherSession,
      otherTenantAdmin,
      unique: () => `c${++counter}`,
      zoneToken(scope: "zone-admin" | "acme-dns01", zone: string) {
        const key = `${scope} ${zone}`;
        let token = zoneTokens.get(key);
        if (!token) {
          token = mint(partial, session, `/api/zones/${zone}/tokens`, { scope }).then((m) => m.token);
          zoneTokens.set(key, token);
        }
        return token;
      },
    });
  });
  afterAll(() => world?.api.close());

  it("has cases for every route that takes a credential, and none for a route that is gone", () => {
    const key = (route: Route) =>
      `${route.method.toUpperCase()} /api${route.path.replace(/:(\w+)/g, "{$1}")}`;
    const covered = new Set(ENDPOINTS.map(routeOf));
    // Routes with `auth: "none"` read no credential (sign-in, health): there is nothing to vary.
    const uncovered = routes.filter((route) => route.auth !== "none" && !covered.has(key(route))).map(key);
    expect(uncovered).toEqual([]);
    const known = new Set(routes.map(key));
    expect([...covered].filter((endpoint) => !known.has(endpoint))).toEqual([]);
  });

  it.each(CASES)("$label", async ({ endpoint, credential, want }) => {
    const target = await endpoint.target(world);
    const authorization = await credential.header(world, target.zoneId);
    const before = await fingerprint(world.api, target.zoneId);

    const response = await rawRequest(world.api, endpoint.method, target.path, {
      headers: authorization ? { Authorization: authorization } : {},
      ...(target.body !== undefined ? { body: JSON.stringify(target.body) } : {}),
    });

    expect({ status: response.status, body: response.body }).toMatchObject({ status: want.status });
    const succeeded = response.status < 300;
    if (succeeded) {
      if (want.status === 204) expect(response.body).toBeUndefined();
      else
        expect(response.headers.get("content-type")?.split(";")[0]).toBe(
          endpoint.mediaType ?? "application/json",
        );
    } else {
      expect(response.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({
        status: want.status,
        code: want.code,
        type: expect.any(String),
        title: expect.any(String),
      });
      // A refusal writes nothing.
      expect(await fingerprint(world.api, target.zoneId)).toEqual(before);
    }
    await target.after?.(world, succeeded, response.body);
  });

  it.each(METRICS_CASES)("$label", async ({ header, status }) => {
    const authorization = await header(world);
    const before = await fingerprint(world.api, world.zoneId);
    const response = await rawRequest(world.api, "GET", "/metrics", {
      headers: authorization ? { Authorization: authorization } : {},
    });
    expect(response.status).toBe(status);
    if (status === 200) {
      expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(String(response.body)).toContain("dnscove_api_http_requests_total");
      return;
    }
    expect(response.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(response.headers.get("www-authenticate")).toBe('Bearer realm="metrics"');
    expect(response.body).toMatchObject({ status: 401, code: "UNAUTHENTICATED" });
    expect(await fingerprint(world.api, world.zoneId)).toEqual(before);
  });
});
