import { chmodSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCertbot, runLego } from "./helpers/acme-clients.js";
import { EDGE_PORT } from "./helpers/api-process.js";
import { expectIssued, expectNoLeftovers } from "./helpers/assertions.js";
import { type AcmeEnvironment, type TestZone, useAcmeEnvironment } from "./helpers/environment.js";

/**
 * RFC 2136 with an acme-dns01 TSIG key (issue 17): lego `--dns rfc2136` and certbot with Debian's
 * `python3-certbot-dns-rfc2136` each get an apex + wildcard certificate from pebble, updating the
 * zone through the embedded default's DNS port (the edge forwards UPDATE to the API's listener).
 */
describe("ACME DNS-01 end to end: RFC 2136 with a TSIG key", () => {
  const environment = useAcmeEnvironment("rfc2136");

  async function acmeKey(env: AcmeEnvironment, zone: TestZone): Promise<{ name: string; secret: string }> {
    const created = await env.api.call("POST", `/api/zones/${zone.id}/tsig-keys`, {
      bearer: env.session,
      body: { name: "acme", scope: "acme-dns01" },
    });
    expect(created.status).toBe(201);
    return created.body as { name: string; secret: string };
  }

  it("issues an apex + wildcard certificate with lego --dns rfc2136", async () => {
    const env = environment();
    const zone = await env.createZone("lego-rfc2136.acme-e2e.test");
    const key = await acmeKey(env, zone);
    const run = await runLego(
      env,
      zone,
      "rfc2136",
      {
        RFC2136_NAMESERVER: `127.0.0.1:${EDGE_PORT}`,
        RFC2136_TSIG_ALGORITHM: "hmac-sha256.",
        RFC2136_TSIG_KEY: key.name,
        RFC2136_TSIG_SECRET: key.secret,
        RFC2136_PROPAGATION_TIMEOUT: "60",
        RFC2136_POLLING_INTERVAL: "1",
      },
      "rfc2136",
    );
    await expectIssued(env, zone, run);
    await expectNoLeftovers(env, zone);
  }, 240_000);

  it("issues an apex + wildcard certificate with certbot's dns-rfc2136 plugin", async () => {
    const env = environment();
    const zone = await env.createZone("certbot-rfc2136.acme-e2e.test");
    const key = await acmeKey(env, zone);
    const credentials = path.join(env.dir("certbot-rfc2136-credentials"), "rfc2136.ini");
    writeFileSync(
      credentials,
      [
        "dns_rfc2136_server = 127.0.0.1",
        `dns_rfc2136_port = ${EDGE_PORT}`,
        `dns_rfc2136_name = ${key.name}`,
        `dns_rfc2136_secret = ${key.secret}`,
        "dns_rfc2136_algorithm = HMAC-SHA256",
        "",
      ].join("\n"),
    );
    chmodSync(credentials, 0o600);
    const run = await runCertbot(env, zone, "", "rfc2136", credentials);
    await expectIssued(env, zone, run);
    await expectNoLeftovers(env, zone);
  }, 240_000);
});
