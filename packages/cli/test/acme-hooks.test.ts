import { createHash, randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { ok, run, runAs, signIn, uniqueEmail, uniqueOrigin } from "./helpers.js";

/** What lego and certbot pass: a 43-character base64url digest. */
function challengeValue(): string {
  return createHash("sha256").update(randomBytes(16)).digest("base64url");
}

describe("ACME DNS-01 hooks with an acme-dns01 token", () => {
  let session: string;
  let acmeToken: string;
  let zoneId: string;
  const origin = uniqueOrigin("cli-acme");

  /** The TXT values at _acme-challenge.<name>, read with the session through the CLI. */
  async function txtValues(fqdn: string): Promise<string[]> {
    const list = JSON.parse(ok(await runAs(session, ["rrsets", "list", zoneId, "--json"])).stdout) as {
      rrsets: { name: string; type: string; records: string[] }[];
    };
    const rrset = list.rrsets.find((r) => r.name === fqdn && r.type === "TXT");
    return (rrset?.records ?? []).map((record) => record.replace(/^"|"$/g, ""));
  }

  beforeAll(async () => {
    session = await signIn(uniqueEmail("acme"));
    zoneId = JSON.parse(ok(await runAs(session, ["zones", "create", origin, "--json"])).stdout).id;
    acmeToken = ok(
      await runAs(session, ["tokens", "mint", "--scope", "acme-dns01", "--zone", zoneId, "-q"]),
    ).stdout.trim();
    expect(acmeToken).toMatch(/^dnsc_/);
  });

  it("lego exec default mode: present <fqdn> <value> then cleanup <fqdn> <value>", async () => {
    const fqdn = `_acme-challenge.${origin}.`;
    const value = challengeValue();
    const presented = ok(await runAs(acmeToken, ["present", fqdn, value]));
    expect(presented.stdout).toBe("");
    expect(presented.stderr).toMatch(
      new RegExp(`^presented ${fqdn.replace(/\./g, "\\.")} \\(serial \\d+, published\\)\n$`),
    );
    expect(await txtValues(fqdn)).toContain(value);

    // Presenting again is harmless.
    const again = ok(await runAs(acmeToken, ["present", fqdn, value]));
    expect(again.stderr).toContain("already present");

    const cleaned = ok(await runAs(acmeToken, ["cleanup", fqdn, value]));
    expect(cleaned.stderr).toMatch(/^cleaned up .+ \(serial \d+, published\)\n$/);
    expect(await txtValues(fqdn)).not.toContain(value);
  });

  it("takes a value that begins with '-' as the value, not an option", async () => {
    const fqdn = `_acme-challenge.dash.${origin}.`;
    const value = `-${challengeValue().slice(1)}`;
    ok(await runAs(acmeToken, ["present", fqdn, value]));
    expect(await txtValues(fqdn)).toEqual([value]);
    ok(await runAs(acmeToken, ["cleanup", fqdn, value]));
    expect(await txtValues(fqdn)).toEqual([]);
  });

  it("lego EXEC_MODE=RAW: present -- <domain> <token> <keyAuth>, wildcard included", async () => {
    const keyAuth = `${randomBytes(16).toString("base64url")}.${randomBytes(32).toString("base64url")}`;
    const expected = createHash("sha256").update(keyAuth).digest("base64url");
    expect(expected).toHaveLength(43);
    const fqdn = `_acme-challenge.www.${origin}.`;

    const other = challengeValue();
    ok(await runAs(acmeToken, ["present", fqdn, other]));
    ok(await runAs(acmeToken, ["present", "--", `*.www.${origin}`, "tok", keyAuth]));
    // Values merge: the apex challenge and the wildcard one coexist.
    expect(await txtValues(fqdn)).toEqual(expect.arrayContaining([expected, other]));

    ok(await runAs(acmeToken, ["cleanup", "--", `www.${origin}`, "tok", keyAuth]));
    expect(await txtValues(fqdn)).toEqual([other]);
    ok(await runAs(acmeToken, ["cleanup", fqdn, other]));
    expect(await txtValues(fqdn)).toEqual([]);
  });

  it("certbot manual hooks: CERTBOT_DOMAIN and CERTBOT_VALIDATION from the environment", async () => {
    const value = challengeValue();
    const env = { CERTBOT_DOMAIN: `*.${origin}`, CERTBOT_VALIDATION: value };
    const fqdn = `_acme-challenge.${origin}.`;
    const auth = ok(await runAs(acmeToken, ["certbot-auth"], { env }));
    // On stdout: certbot reports a hook's stderr as "ran with error output".
    expect(auth.stdout).toMatch(
      new RegExp(`^presented ${fqdn.replace(/\./g, "\\.")} \\(serial \\d+, published\\)\n$`),
    );
    expect(auth.stderr).toBe("");
    expect(await txtValues(fqdn)).toContain(value);
    ok(await runAs(acmeToken, ["certbot-cleanup"], { env }));
    expect(await txtValues(fqdn)).not.toContain(value);

    const missing = await runAs(acmeToken, ["certbot-auth"], { env: { CERTBOT_DOMAIN: origin } });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("CERTBOT_VALIDATION");
  });

  it("fails (non-zero) for a name outside the token's zone, and without a token", async () => {
    const outside = await runAs(acmeToken, [
      "present",
      "_acme-challenge.elsewhere-zone.com.",
      challengeValue(),
    ]);
    expect(outside.code).toBe(1);
    expect(outside.stderr).toMatch(/^error: \d{3} [A-Z_]+: /);
    const noToken = await run(["present", `_acme-challenge.${origin}.`, challengeValue()]);
    expect(noToken.code).toBe(2);
  });

  it("the acme-dns01 token may do nothing else", async () => {
    const zones = await runAs(acmeToken, ["zones", "list"]);
    expect(zones.code).toBe(1);
    expect(zones.stderr).toMatch(/^error: 403 FORBIDDEN: /);
  });
});
