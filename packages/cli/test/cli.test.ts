import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiUrl, freeUnusedPort, ok, run, runAs, signIn, uniqueEmail, uniqueOrigin } from "./helpers.js";

const ZONE_ID = /^Z[0-9a-f]{14}$/;
const work = mkdtempSync(path.join(tmpdir(), "dnscove-cli-files-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("login", () => {
  // --no-save throughout: a stored session would be used by the other tests of this file.
  it("signs in with the development mailer and prints an export line for the session", async () => {
    const email = uniqueEmail("login");
    const result = ok(await run(["login", email, "--print-export", "--no-save"]));
    const match = /^export DNSCOVE_TOKEN=(\S+)\n$/.exec(result.stdout);
    expect(match).not.toBeNull();
    expect(result.stderr).toContain(`signed in as ${email}`);
    // The session works.
    ok(await runAs(match?.[1] ?? "", ["zones", "list"]));
  });

  it("prints the bare session with --quiet, and exchanges a --link-token (or link) without a new mail", async () => {
    const quiet = ok(await run(["login", uniqueEmail("quiet"), "--quiet", "--no-save"]));
    expect(quiet.stdout.trim()).toMatch(/^\S+$/);
    ok(await runAs(quiet.stdout.trim(), ["tokens", "list"]));

    const email = uniqueEmail("link");
    const answer = await fetch(`${apiUrl()}/api/auth/magic-link`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email }),
    });
    const { dev_link } = (await answer.json()) as { dev_link: string };
    const viaLink = ok(await run(["login", email, "--link-token", dev_link, "--json", "--no-save"]));
    const session = JSON.parse(viaLink.stdout) as { token: string; expires_at: string };
    expect(session.expires_at).toBeTruthy();
    ok(await runAs(session.token, ["zones", "list"]));
    // The link token is single use.
    const again = await run(["login", email, "--link-token", dev_link]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^error: 401 INVALID_MAGIC_LINK: /);
  });
});

describe("zones, rrsets and tokens", () => {
  let session: string;
  const origin = uniqueOrigin("cli-zones");
  let zoneId: string;

  beforeAll(async () => {
    session = await signIn(uniqueEmail("zones"));
  });

  it("creates, lists and gets a zone by id and by origin", async () => {
    const created = ok(await runAs(session, ["zones", "create", `${origin}.`, "--json"]));
    const zone = JSON.parse(created.stdout) as { id: string; origin: string; serial: number };
    expect(zone.id).toMatch(ZONE_ID);
    expect(zone.origin).toBe(origin);
    zoneId = zone.id;

    const list = ok(await runAs(session, ["zones", "list"]));
    expect(list.stdout.split("\n")[0]).toMatch(/^ID\s+ORIGIN\s+STATUS\s+SERIAL/);
    expect(list.stdout).toMatch(
      new RegExp(`${zoneId}\\s+${origin.replace(/\./g, "\\.")}\\s+PENDING_VERIFICATION`),
    );
    const listJson = JSON.parse(ok(await runAs(session, ["zones", "list", "--json"])).stdout);
    expect(listJson.zones.map((z: { id: string }) => z.id)).toContain(zoneId);

    const byId = ok(await runAs(session, ["zones", "get", zoneId]));
    expect(byId.stdout).toMatch(new RegExp(`^origin:\\s+${origin.replace(/\./g, "\\.")}$`, "m"));
    const byOrigin = JSON.parse(
      ok(await runAs(session, ["zones", "get", origin.toUpperCase(), "--json"])).stdout,
    );
    expect(byOrigin.id).toBe(zoneId);

    const missing = await runAs(session, ["zones", "get", "no-such-zone.com"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("no zone with origin no-such-zone.com");
  });

  it("upserts, lists and deletes rrsets, and publishes", async () => {
    const upsert = ok(
      await runAs(session, [
        "rrsets",
        "upsert",
        origin,
        "www",
        "A",
        "192.0.2.2",
        "192.0.2.1",
        "--ttl",
        "120",
      ]),
    );
    expect(upsert.stdout).toMatch(/serial 2/);
    ok(await runAs(session, ["rrsets", "upsert", zoneId, `mail.${origin}.`, "MX", "10 mx.example.net."]));

    const json = JSON.parse(ok(await runAs(session, ["rrsets", "list", origin, "--json"])).stdout);
    expect(json.rrsets).toContainEqual({
      name: `www.${origin}.`,
      type: "A",
      ttl: 120,
      records: ["192.0.2.1", "192.0.2.2"],
    });
    const table = ok(await runAs(session, ["rrsets", "list", zoneId]));
    expect(table.stdout).toMatch(
      new RegExp(`www\\.${origin.replace(/\./g, "\\.")}\\.\\s+A\\s+120\\s+192\\.0\\.2\\.1`),
    );
    expect(table.stdout).toMatch(/^\s+192\.0\.2\.2$/m);

    const publish = ok(await runAs(session, ["zones", "publish", origin]));
    expect(publish.stdout).toMatch(new RegExp(`published ${origin.replace(/\./g, "\\.")} at serial 3`));
    const servers = JSON.parse(ok(await runAs(session, ["zones", "servers", origin, "--json"])).stdout);
    expect(servers.published_serial).toBe(3);
    ok(await runAs(session, ["zones", "servers", zoneId]));

    ok(await runAs(session, ["rrsets", "delete", origin, "www", "A"]));
    const after = JSON.parse(ok(await runAs(session, ["rrsets", "list", origin, "--json"])).stdout);
    expect(after.rrsets.find((r: { name: string }) => r.name === `www.${origin}.`)).toBeUndefined();
  });

  it("applies a change batch from a file, atomically", async () => {
    const file = path.join(work, "changes.json");
    writeFileSync(
      file,
      JSON.stringify({
        changes: [
          { action: "UPSERT", name: "a", type: "A", ttl: 60, records: ["198.51.100.1"] },
          { action: "UPSERT", name: "b", type: "TXT", records: ['"hello world"'] },
          { action: "DELETE", name: "mail", type: "MX" },
        ],
      }),
    );
    const applied = ok(await runAs(session, ["rrsets", "apply", origin, "--file", file]));
    expect(applied.stdout).toContain("3 changes applied");
    const list = JSON.parse(ok(await runAs(session, ["rrsets", "list", zoneId, "--json"])).stdout);
    const names = list.rrsets.map((r: { name: string; type: string }) => `${r.name} ${r.type}`);
    expect(names).toEqual(expect.arrayContaining([`a.${origin}. A`, `b.${origin}. TXT`]));
    expect(names).not.toContain(`mail.${origin}. MX`);

    // One bad change rejects the whole batch, naming the field.
    writeFileSync(
      file,
      JSON.stringify({
        changes: [
          { action: "UPSERT", name: "c", type: "A", records: ["198.51.100.3"] },
          { action: "UPSERT", name: "d", type: "A", records: ["not-an-address"] },
        ],
      }),
    );
    const rejected = await runAs(session, ["rrsets", "apply", origin, "-f", file]);
    expect(rejected.code).toBe(1);
    expect(rejected.stderr).toMatch(
      /^error: 400 VALIDATION_FAILED: .+ \(changes\[1\]\.records\[0\]: .+\)\n$/,
    );
    const unchanged = JSON.parse(ok(await runAs(session, ["rrsets", "list", zoneId, "--json"])).stdout);
    expect(unchanged.rrsets.map((r: { name: string }) => r.name)).not.toContain(`c.${origin}.`);

    writeFileSync(file, "{ not json");
    const invalid = await runAs(session, ["rrsets", "apply", origin, "-f", file]);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain("not valid JSON");
  });

  it("mints (quiet), lists and revokes tokens", async () => {
    const minted = ok(
      await runAs(session, [
        "tokens",
        "mint",
        "--scope",
        "zone-admin",
        "--zone",
        origin,
        "--name",
        "ci",
        "--quiet",
      ]),
    );
    const token = minted.stdout.trim();
    expect(minted.stdout).toMatch(/^dnsc_[0-9a-f]{16}_\S+\n$/);
    const tokenId = token.split("_")[1] ?? "";

    // The zone-admin token works on its zone by id, and says to pass the id for an origin.
    ok(await runAs(token, ["rrsets", "list", zoneId]));
    const byOrigin = await runAs(token, ["rrsets", "list", origin]);
    expect(byOrigin.code).toBe(2);
    expect(byOrigin.stderr).toMatch(/cannot list zones.*pass the zone id/);

    const list = ok(await runAs(session, ["tokens", "list"]));
    expect(list.stdout).toMatch(new RegExp(`${tokenId}\\s+zone-admin\\s+${zoneId}\\s+ci\\s`));
    expect(list.stdout).not.toContain(token);
    const zoneList = JSON.parse(
      ok(await runAs(session, ["tokens", "list", "--zone", origin, "--json"])).stdout,
    );
    expect(zoneList.tokens.map((t: { id: string }) => t.id)).toContain(tokenId);

    const tenantAdmin = ok(
      await runAs(session, ["tokens", "mint", "--scope", "tenant-admin", "--expires-in-days", "1"]),
    );
    expect(tenantAdmin.stdout).toMatch(/^dnsc_/);
    expect(tenantAdmin.stderr).toMatch(/minted tenant-admin token [0-9a-f]{16}/);

    const revoked = ok(await runAs(session, ["tokens", "revoke", tokenId]));
    expect(revoked.stdout).toContain(`revoked token ${tokenId}`);
    const refused = await runAs(token, ["rrsets", "list", zoneId]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^error: 401 UNAUTHENTICATED: /);

    const noZone = await runAs(session, ["tokens", "mint", "--scope", "acme-dns01"]);
    expect(noZone.code).toBe(2);
    expect(noZone.stderr).toContain("needs --zone");
  });

  it("shows the route53 import answer, whatever it is", async () => {
    const file = path.join(work, "route53.json");
    writeFileSync(
      file,
      JSON.stringify({
        ResourceRecordSets: [
          { Name: "r53-import.com.", Type: "A", TTL: 300, ResourceRecords: [{ Value: "192.0.2.53" }] },
        ],
      }),
    );
    const result = await runAs(session, ["route53", "import", file, "--origin", "r53-import.com"]);
    if (result.code === 0) {
      expect(result.stdout).toMatch(/imported \d+ rrsets? into r53-import\.com/);
    } else {
      // The server may not implement it yet: the problem is shown as any other API error.
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^error: \d{3} [A-Z_]+: .+/);
    }
    const missing = await runAs(session, ["route53", "import", path.join(work, "nope.json")]);
    expect(missing.code).toBe(2);
  });

  it("deletes a zone only with --yes (no terminal to ask on)", async () => {
    const refused = await runAs(session, ["zones", "delete", origin]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("--yes");
    ok(await runAs(session, ["zones", "delete", origin, "--yes"]));
    const gone = await runAs(session, ["zones", "get", zoneId]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/^error: 404 NOT_FOUND: /);
  });
});

describe("errors and exit codes", () => {
  let session: string;
  let zoneId: string;

  beforeAll(async () => {
    session = await signIn(uniqueEmail("errors"));
    zoneId = JSON.parse(
      ok(await runAs(session, ["zones", "create", uniqueOrigin("cli-errors"), "--json"])).stdout,
    ).id;
  });

  it("exits 1 on a bad record, printing the field path", async () => {
    const result = await runAs(session, ["rrsets", "upsert", zoneId, "www", "A", "300.1.2.3"]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(
      /^error: 400 VALIDATION_FAILED: .+ \(records\[0\]: invalid IPv4 address\)\n$/,
    );
  });

  it("exits 2 when no token is configured, and never prints a token", async () => {
    const result = await run(["zones", "list"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /no API token: run `dnscove login <email>`, set DNSCOVE_TOKEN or pass --token/,
    );

    const bad = await run(["zones", "list", "--token", "dnsc_0123456789abcdef_secretsecret"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).not.toContain("secretsecret");
  });

  it("exits 3 when the API is unreachable, naming its URL", async () => {
    const port = await freeUnusedPort();
    const url = `http://127.0.0.1:${port}`;
    const result = await runAs(session, ["zones", "list"], { env: { DNSCOVE_API: url } });
    expect(result.code).toBe(3);
    expect(result.stderr).toBe(`error: cannot reach the DNSCove API at ${url} (ECONNREFUSED)\n`);
    const viaOption = await runAs(session, ["--api", url, "present", "_acme-challenge.x.com.", "v"]);
    expect(viaOption.code).toBe(3);
    expect(`${viaOption.stdout}${viaOption.stderr}`).not.toContain(session);
  });

  it("exits 2 on usage errors", async () => {
    for (const args of [
      ["zones"],
      ["zones", "nope"],
      ["nope"],
      ["zones", "get"],
      ["tokens", "mint", "--scope", "root"],
      ["rrsets", "upsert", zoneId, "www", "A", "192.0.2.1", "--ttl", "soon"],
      ["present", "only-one-argument"],
      ["--api", "not a url", "zones", "list"],
    ]) {
      const result = await runAs(session, args);
      expect({ args, code: result.code }).toEqual({ args, code: 2 });
    }
  });
});
