import { type SmtpReceiver, startSmtpReceiver } from "@dnscove/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSmtpMailer } from "../src/mail/smtp-mailer.js";
import { PROVIDERS, rawRequest, startTestApi, type TestApi } from "./harness.js";

/** The link the mail carries, and the token in its fragment. */
function linkIn(text: string): { link: string; token: string } {
  const match = /(http:\/\/console\.test\/sign-in#token=([0-9a-f]{64}))/.exec(text);
  if (!match?.[1] || !match[2]) throw new Error(`no sign-in link in mail:\n${text}`);
  return { link: match[1], token: match[2] };
}

describe.each(PROVIDERS)("magic-link sign-in through a real SMTP server (%s)", (provider) => {
  let smtp: SmtpReceiver;
  let api: TestApi;

  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    api = await startTestApi(provider, {
      mailer: createSmtpMailer(smtp.url, "DNSCove <no-reply@dnscove.test>"),
      magicLinksPerClient: 1000,
    });
  });
  afterAll(async () => {
    await api.close();
    await smtp.stop();
  });

  it("mails a single-use link whose token signs in and creates the tenant", async () => {
    const email = `Alice.${provider}@Example.test`;
    const sent = await rawRequest(api, "POST", "/api/auth/magic-link", { body: JSON.stringify({ email }) });
    expect(sent.status).toBe(200);
    expect(sent.body).toEqual({ sent: true });

    const mail = await smtp.waitFor(email.toLowerCase());
    expect(mail.subject).toMatch(/sign-in/i);
    const { token } = linkIn(mail.text);

    const exchanged = await rawRequest(api, "POST", "/api/auth/exchange", {
      body: JSON.stringify({ token }),
    });
    expect(exchanged.status).toBe(200);
    const session = (exchanged.body as { token: string; expires_at: string }).token;
    expect(new Date((exchanged.body as { expires_at: string }).expires_at).getTime()).toBeGreaterThan(
      Date.now(),
    );
    const zones = await rawRequest(api, "GET", "/api/zones", { token: session });
    expect(zones).toMatchObject({ status: 200, body: { zones: [] } });
    expect(await api.services.db.user.count({ where: { email: email.toLowerCase() } })).toBe(1);

    const reused = await rawRequest(api, "POST", "/api/auth/exchange", { body: JSON.stringify({ token }) });
    expect(reused.status).toBe(401);
    expect(reused.body).toMatchObject({ code: "INVALID_MAGIC_LINK" });
  });

  it("signs a returning user into the same tenant", async () => {
    const email = `bob.${provider}@example.test`;
    const tenants: string[] = [];
    for (let i = 0; i < 2; i++) {
      smtp.messages.length = 0;
      await rawRequest(api, "POST", "/api/auth/magic-link", { body: JSON.stringify({ email }) });
      const { token } = linkIn((await smtp.waitFor(email)).text);
      const session = (
        (await rawRequest(api, "POST", "/api/auth/exchange", { body: JSON.stringify({ token }) })).body as {
          token: string;
        }
      ).token;
      const zone = await rawRequest(api, "POST", "/api/zones", {
        token: session,
        body: JSON.stringify({ origin: `bob${i}-${provider}.example` }),
      });
      tenants.push((zone.body as { tenant_id: string }).tenant_id);
    }
    expect(tenants[0]).toBe(tenants[1]);
  });

  it("answers the same for known and unknown addresses", async () => {
    const known = await rawRequest(api, "POST", "/api/auth/magic-link", {
      body: JSON.stringify({ email: `alice.${provider}@example.test` }),
    });
    const unknown = await rawRequest(api, "POST", "/api/auth/magic-link", {
      body: JSON.stringify({ email: `nobody-${Date.now()}@example.test` }),
    });
    expect(known.status).toBe(unknown.status);
    expect(known.body).toEqual(unknown.body);
  });

  it("refuses an expired link", async () => {
    const email = `late.${provider}@example.test`;
    await rawRequest(api, "POST", "/api/auth/magic-link", { body: JSON.stringify({ email }) });
    const { token } = linkIn((await smtp.waitFor(email)).text);
    await api.services.db.magicLink.updateMany({
      where: { email },
      data: { expiresAt: new Date(Date.now() - 1) },
    });
    const late = await rawRequest(api, "POST", "/api/auth/exchange", { body: JSON.stringify({ token }) });
    expect(late.status).toBe(401);
  });

  it("rate-limits links per address with 429 and Retry-After", async () => {
    const email = `flood.${provider}@example.test`;
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 7; i++) {
      const answer = await rawRequest(api, "POST", "/api/auth/magic-link", {
        body: JSON.stringify({ email }),
      });
      statuses.push(answer.status);
      if (answer.status === 429) retryAfter = answer.headers.get("retry-after");
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });
});

describe("magic-link rate limit per client", () => {
  it("answers 429 once one client asks too often, whatever the addresses", async () => {
    const api = await startTestApi("sqlite", { magicLinksPerClient: 3 });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        const answer = await rawRequest(api, "POST", "/api/auth/magic-link", {
          body: JSON.stringify({ email: `client${i}@example.test` }),
        });
        statuses.push(answer.status);
      }
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
    } finally {
      await api.close();
    }
  });
});
