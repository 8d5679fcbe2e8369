import { describe, expect, it } from "vitest";
import { requireCli, runCertbot, writeCliWrapper } from "./helpers/acme-clients.js";
import {
  expectCoexisted,
  expectIssued,
  expectNoLeftovers,
  expectTokenConfined,
} from "./helpers/assertions.js";
import { useAcmeEnvironment } from "./helpers/environment.js";

/**
 * certbot `--manual` with `dnscove certbot-auth` / `dnscove certbot-cleanup` as hooks (reading
 * CERTBOT_DOMAIN / CERTBOT_VALIDATION), holding only an acme-dns01 token. certbot runs every auth
 * hook before asking for validation, so apex and wildcard values coexist.
 */
describe("ACME DNS-01 end to end: certbot --manual with the dnscove CLI hooks", () => {
  let wrapper = "";
  const environment = useAcmeEnvironment("certbot", (env) => {
    requireCli();
    wrapper = writeCliWrapper(env.dir("hooks"));
  });

  it("has the dnscove CLI built (fails, never skips)", () => {
    expect(requireCli()).toMatch(/packages\/cli\/dist\/main\.js$/);
  });

  it("issues an apex + wildcard certificate", async () => {
    const env = environment();
    const zone = await env.createZone("certbot.acme-e2e.test");
    const mark = env.logMark();
    const watcher = env.watchChallenge(zone);
    const run = await runCertbot(env, zone, wrapper, "apex-wildcard");
    const watched = await watcher.stop();
    console.info(`certbot: exit ${run.code} in ${run.ms} ms`);

    await expectIssued(env, zone, run);
    expectCoexisted(watched, {
      log: env.requestLog(mark),
      presentPath: /^\/api\/acme\/httpreq\/present$/,
      cleanupPath: /^\/api\/acme\/httpreq\/cleanup$/,
    });
    await expectNoLeftovers(env, zone);
    await expectTokenConfined(env, zone);
  }, 120_000);
});
