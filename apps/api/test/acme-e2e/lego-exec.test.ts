import { describe, expect, it } from "vitest";
import { requireCli, runLegoWatched, writeCliWrapper } from "./helpers/acme-clients.js";
import { expectIssued, expectNoLeftovers, expectTokenConfined } from "./helpers/assertions.js";
import { useAcmeEnvironment } from "./helpers/environment.js";

/**
 * lego's `exec` DNS provider with the dnscove CLI as EXEC_PATH (through a one-line wrapper), holding
 * only an acme-dns01 token in DNSCOVE_TOKEN. lego solves exec challenges one after another
 * (present → validate → cleanup, then the next), so apex and wildcard values do not coexist here.
 */
describe("ACME DNS-01 end to end: lego --dns exec with the dnscove CLI", () => {
  let wrapper = "";
  const environment = useAcmeEnvironment("exec", (env) => {
    requireCli();
    wrapper = writeCliWrapper(env.dir("hooks"));
  });

  it("has the dnscove CLI built (fails, never skips)", () => {
    expect(requireCli()).toMatch(/packages\/cli\/dist\/main\.js$/);
  });

  for (const mode of ["default", "RAW"] as const) {
    it(`issues an apex + wildcard certificate in ${mode} mode`, async () => {
      const env = environment();
      const zone = await env.createZone(`exec-${mode.toLowerCase()}.acme-e2e.test`);
      const { run, watched, requests } = await runLegoWatched(
        env,
        zone,
        "exec",
        {
          EXEC_PATH: wrapper,
          EXEC_PROPAGATION_TIMEOUT: "60",
          EXEC_POLLING_INTERVAL: "1",
          // Default 60 s between the sequential challenges.
          EXEC_SEQUENCE_INTERVAL: "1",
          ...(mode === "RAW" ? { EXEC_MODE: "RAW" } : {}),
          DNSCOVE_API: env.api.innerUrl,
          DNSCOVE_TOKEN: zone.acmeToken,
        },
        `exec-${mode}`,
      );
      console.info(`lego exec ${mode}: exit ${run.code} in ${run.ms} ms`);

      await expectIssued(env, zone, run);
      // Both challenge values were published (one at a time), each through the httpreq endpoints.
      expect(watched.everSeen).toHaveLength(2);
      for (const v of watched.everSeen) expect(v).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
      const hooks = requests.filter((l) => l.path.startsWith("/api/acme/"));
      expect(hooks.map((l) => `${l.path.replace("/api/acme/httpreq/", "")} ${l.status}`)).toEqual([
        "present 200",
        "cleanup 200",
        "present 200",
        "cleanup 200",
      ]);
      await expectNoLeftovers(env, zone);
      await expectTokenConfined(env, zone);
    }, 240_000);
  }
});
