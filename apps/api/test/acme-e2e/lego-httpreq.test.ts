import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runLego, runLegoWatched } from "./helpers/acme-clients.js";
import {
  expectCoexisted,
  expectIssued,
  expectNoLeftovers,
  expectTokenConfined,
} from "./helpers/assertions.js";
import { useAcmeEnvironment } from "./helpers/environment.js";
import { REQUIRED_TOOLS, requireTools } from "./helpers/tools.js";

/**
 * lego's `httpreq` DNS provider against the real embedded default (API + edge), with pebble as the
 * CA validating against the edge, all inside a network namespace of our own. The client holds only
 * an acme-dns01 token (as the HTTP Basic password). Apex and wildcard go in one order: lego
 * presents both values in parallel, so they must coexist in one TXT rrset.
 */
describe("ACME DNS-01 end to end: lego --dns httpreq", () => {
  const environment = useAcmeEnvironment("httpreq");

  it("has pebble, lego, certbot, openssl, curl, dig and ip installed (fails, never skips)", () => {
    expect(Object.keys(requireTools())).toEqual([...REQUIRED_TOOLS]);
  });

  for (const mode of ["default", "RAW"] as const) {
    it(`issues an apex + wildcard certificate in ${mode} mode`, async () => {
      const env = environment();
      const zone = await env.createZone(`httpreq-${mode.toLowerCase()}.acme-e2e.test`);
      const started = Date.now();
      const { run, watched, requests } = await runLegoWatched(
        env,
        zone,
        "httpreq",
        {
          HTTPREQ_ENDPOINT: `${env.api.innerUrl}/api/acme/httpreq`,
          HTTPREQ_USERNAME: "lego",
          HTTPREQ_PASSWORD: zone.acmeToken,
          HTTPREQ_PROPAGATION_TIMEOUT: "60",
          HTTPREQ_POLLING_INTERVAL: "1",
          ...(mode === "RAW" ? { HTTPREQ_MODE: "RAW" } : {}),
        },
        `httpreq-${mode}`,
      );
      console.info(
        `lego httpreq ${mode}: exit ${run.code} in ${run.ms} ms (test ${Date.now() - started} ms)`,
      );

      await expectIssued(env, zone, run);
      expectCoexisted(watched, {
        log: requests,
        presentPath: /^\/api\/acme\/httpreq\/present$/,
        cleanupPath: /^\/api\/acme\/httpreq\/cleanup$/,
      });
      await expectNoLeftovers(env, zone);
      await expectTokenConfined(env, zone);
    }, 240_000);
  }

  it("gets no certificate with another zone's acme-dns01 token, and leaves nothing behind", async () => {
    const env = environment();
    const zone = await env.createZone("httpreq-wrong-token.acme-e2e.test");
    const mark = env.logMark();
    const run = await runLego(
      env,
      zone,
      "httpreq",
      {
        HTTPREQ_ENDPOINT: `${env.api.innerUrl}/api/acme/httpreq`,
        HTTPREQ_USERNAME: "lego",
        // Bound to the bystander zone of the same tenant: refused for this zone's names.
        HTTPREQ_PASSWORD: env.bystander.acmeToken,
        HTTPREQ_PROPAGATION_TIMEOUT: "10",
        HTTPREQ_POLLING_INTERVAL: "1",
      },
      "httpreq-wrong-token",
    );
    expect(run.code, run.log).not.toBe(0);
    expect(existsSync(run.leafFile)).toBe(false);
    const presents = env.requestLog(mark).filter((l) => l.path === "/api/acme/httpreq/present");
    expect(presents.length).toBeGreaterThan(0);
    for (const l of presents) expect(l.status).toBe(403);
    await expectNoLeftovers(env, zone);
    expect((await env.rrsets(env.bystander)).filter((r) => r.name.startsWith("_acme-challenge."))).toEqual(
      [],
    );
  }, 120_000);
});
