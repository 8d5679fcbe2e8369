import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROVIDERS, rawRequest, startTestApi, type TestApi } from "./harness.js";

describe.each(PROVIDERS)("logs never contain credentials (%s)", (provider) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi(provider);
  });
  afterAll(() => api.close());

  it("keeps sessions, magic-link tokens and token secrets out of every log line", async () => {
    const secrets: string[] = [];
    const link = await rawRequest(api, "POST", "/api/auth/magic-link", {
      body: JSON.stringify({ email: "logs@example.test" }),
    });
    const devToken = (link.body as { dev_token: string }).dev_token;
    secrets.push(devToken);
    const exchanged = await rawRequest(api, "POST", "/api/auth/exchange", {
      body: JSON.stringify({ token: devToken }),
    });
    const session = (exchanged.body as { token: string }).token;
    secrets.push(session, session.split(".")[1] ?? "");
    // A reused link and a bad bearer are failure paths that are tempting to log.
    await rawRequest(api, "POST", "/api/auth/exchange", { body: JSON.stringify({ token: devToken }) });
    await rawRequest(api, "GET", "/api/zones", { token: `${session}x` });

    const zone = await rawRequest(api, "POST", "/api/zones", {
      token: session,
      body: JSON.stringify({ origin: `logs-${provider}.example` }),
    });
    const zoneId = (zone.body as { id: string }).id;
    const minted = await rawRequest(api, "POST", "/api/tokens", {
      token: session,
      body: JSON.stringify({ scope: "zone-admin", zone_id: zoneId }),
    });
    const machine = (minted.body as { token: string }).token;
    secrets.push(machine, machine.split("_")[2] ?? "");
    await rawRequest(api, "GET", `/api/zones/${zoneId}`, { token: machine });
    await rawRequest(api, "GET", "/api/zones", { token: machine });
    await rawRequest(api, "DELETE", `/api/tokens/${(minted.body as { id: string }).id}`, { token: session });
    await rawRequest(api, "GET", `/api/zones/${zoneId}`, { token: machine });
    await rawRequest(api, "GET", "/api/zones", { token: `${machine.slice(0, -1)}0` });

    const log = api.logs.join("");
    // The test is only meaningful if requests were logged at all.
    expect(api.logs.length).toBeGreaterThan(10);
    expect(log).toContain('"status":401');
    for (const secret of secrets) {
      expect(secret.length).toBeGreaterThan(20);
      expect(log).not.toContain(secret);
    }
  });
});
