/**
 * Console sessions end on the server: `POST /api/auth/sign-out` deletes the session's row, so the
 * token answers 401 from then on, on every API process sharing the database, while the user's other
 * sessions keep working. A session is accepted only in its one canonical spelling, and sign-in
 * links go only to addresses within RFC 5321's lengths.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type ApiProcess, startApiProcess } from "@dnscove/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshPostgresDatabase, PROVIDERS, rawRequest, startTestApi, type TestApi } from "./harness.js";

const apiMain = fileURLToPath(new URL("../dist/src/main.js", import.meta.url));
const BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/** The same token with its last character spelled differently but decoding to the same bytes. */
function respell(token: string): string {
  const last = token.at(-1) ?? "";
  // A 32-octet signature is 43 characters: the last one carries 4 bits and 2 unused bits.
  const variant = BASE64URL[BASE64URL.indexOf(last) ^ 1] ?? "";
  return token.slice(0, -1) + variant;
}

describe.each(PROVIDERS)("sessions (%s)", (provider) => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi(provider);
  });
  afterAll(() => api?.close());

  const zones = (token: string) => rawRequest(api, "GET", "/api/zones", { token });
  const signOut = (token: string) => rawRequest(api, "POST", "/api/auth/sign-out", { token });

  it("signs out one session on the server; the user's other sessions keep working", async () => {
    const email = `owner-${randomBytes(3).toString("hex")}@example.test`;
    const first = await api.signIn(email);
    const second = await api.signIn(email);
    const stranger = await api.signIn();
    for (const token of [first, second, stranger]) expect((await zones(token)).status).toBe(200);
    const rows = await api.services.db.session.count();

    const out = await signOut(first);
    expect(out.status).toBe(204);
    expect(out.body).toBeUndefined();
    expect(await api.services.db.session.count()).toBe(rows - 1);

    const after = await zones(first);
    expect({ status: after.status, body: after.body }).toMatchObject({
      status: 401,
      body: { code: "UNAUTHENTICATED" },
    });
    expect((await signOut(first)).status).toBe(401);
    expect((await zones(second)).status).toBe(200);
    expect((await zones(stranger)).status).toBe(200);
  });

  it("refuses sign-out with a machine token (they are revoked, not signed out)", async () => {
    const session = await api.signIn();
    const minted = await rawRequest(api, "POST", "/api/tokens", {
      token: session,
      body: JSON.stringify({ scope: "tenant-admin" }),
    });
    const token = (minted.body as { token: string }).token;
    const r = await signOut(token);
    expect({ status: r.status, body: r.body }).toMatchObject({ status: 403, body: { code: "FORBIDDEN" } });
    expect((await zones(token)).status).toBe(200);
    expect((await zones(session)).status).toBe(200);
  });

  it("removes expired session rows", async () => {
    const session = await api.signIn();
    const user = await api.services.db.user.findFirstOrThrow({ orderBy: { createdAt: "desc" } });
    const stale = `ses_stale_${randomBytes(4).toString("hex")}`;
    await api.services.db.session.create({
      data: { id: stale, userId: user.id, expiresAt: new Date(Date.now() - 1000) },
    });
    expect((await signOut(session)).status).toBe(204);
    expect(await api.services.db.session.findUnique({ where: { id: stale } })).toBeNull();
  });

  it("accepts a session only in its canonical spelling", async () => {
    const session = await api.signIn();
    const variant = respell(session);
    const signature = (s: string) => Buffer.from(s.slice(s.indexOf(".") + 1), "base64url");
    expect(variant).not.toBe(session);
    expect(signature(variant).equals(signature(session))).toBe(true);
    for (const spelling of [variant, `${session}=`, `${session}==`]) {
      const r = await zones(spelling);
      expect({ spelling, status: r.status }).toEqual({ spelling, status: 401 });
    }
    expect((await zones(session)).status).toBe(200);
  });

  it("sends sign-in links only to addresses within RFC 5321's lengths", async () => {
    const request = (email: string) =>
      rawRequest(api, "POST", "/api/auth/magic-link", { body: JSON.stringify({ email }) });
    // 245 + "@e.io" is 250 octets: only the local-part rule refuses it.
    for (const local of [65, 245]) {
      const before = await api.services.db.magicLink.count();
      const r = await request(`${"u".repeat(local)}@e.io`);
      expect({ status: r.status, body: r.body }).toMatchObject({
        status: 400,
        body: {
          code: "VALIDATION_FAILED",
          errors: [{ path: "email", message: expect.stringMatching(/64/) }],
        },
      });
      expect(await api.services.db.magicLink.count()).toBe(before);
    }
    expect((await request(`${"u".repeat(64)}@example.test`)).status).toBe(200);
    // The whole address: at most 254 octets.
    const domain = `${"d".repeat(63)}.${"d".repeat(63)}.${"d".repeat(63)}.test`;
    expect((await request(`${"u".repeat(254 - domain.length - 1)}@${domain}`)).status).toBe(200);
    expect((await request(`${"u".repeat(255 - domain.length - 1)}@${domain}`)).status).toBe(400);
  });
});

describe.each(PROVIDERS)("sign-out across API processes (%s)", (provider) => {
  let dir: string;
  let first: ApiProcess;
  let second: ApiProcess;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "dnscove-sessions-"));
    const env = {
      DATABASE_URL:
        provider === "sqlite" ? `file:${path.join(dir, "shared.db")}` : await freshPostgresDatabase(),
      DNSCOVE_SECRET: randomBytes(32).toString("hex"),
      DNSCOVE_EMBEDDED_EDGE: "false",
    };
    // One after the other, so the second finds the migrations applied.
    first = await startApiProcess(apiMain, env);
    second = await startApiProcess(apiMain, env);
  }, 90_000);
  afterAll(async () => {
    await first?.stop();
    await second?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("a session signed out on one process answers 401 on the other", async () => {
    const call = (url: string, method: string, p: string, token?: string, body?: unknown) =>
      fetch(`${url}${p}`, {
        method,
        headers: token ? { Authorization: `Bearer ${token}` } : {},
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
    const link = (await (
      await call(first.url, "POST", "/api/auth/magic-link", undefined, { email: "multi@example.test" })
    ).json()) as { dev_token: string };
    const session = (await (
      await call(first.url, "POST", "/api/auth/exchange", undefined, { token: link.dev_token })
    ).json()) as { token: string };
    expect((await call(second.url, "GET", "/api/zones", session.token)).status).toBe(200);
    expect((await call(first.url, "POST", "/api/auth/sign-out", session.token)).status).toBe(204);
    expect((await call(second.url, "GET", "/api/zones", session.token)).status).toBe(401);
    expect((await call(first.url, "GET", "/api/zones", session.token)).status).toBe(401);
  });
});
