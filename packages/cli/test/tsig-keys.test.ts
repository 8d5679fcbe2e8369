import { beforeAll, describe, expect, it } from "vitest";
import { ok, runAs, signIn, uniqueEmail, uniqueOrigin } from "./helpers.js";

describe("tsig-keys", () => {
  let session: string;
  const origin = uniqueOrigin("cli-tsig");

  beforeAll(async () => {
    session = await signIn(uniqueEmail("tsig"));
    ok(await runAs(session, ["zones", "create", origin]));
  });

  it("creates (the -y line of nsupdate), lists without secrets and revokes", async () => {
    const created = ok(
      await runAs(session, [
        "tsig-keys",
        "create",
        "--zone",
        origin,
        "--scope",
        "zone-admin",
        "--name",
        "ci",
      ]),
    );
    const match = /^hmac-sha256:(ci\.[0-9a-f]{8}\.tsig\.):(\S+)\n$/.exec(created.stdout);
    expect(match).not.toBeNull();
    const [, name, secret] = match ?? [];
    expect(Buffer.from(secret ?? "", "base64")).toHaveLength(32);
    expect(created.stderr).toMatch(/created zone-admin key [0-9a-f]{16}/);
    const keyId = /key ([0-9a-f]{16})/.exec(created.stderr)?.[1] ?? "";

    const list = ok(await runAs(session, ["tsig-keys", "list", "--zone", origin]));
    expect(list.stdout).toMatch(new RegExp(`${keyId}\\s+${name?.replace(/\./g, "\\.")}\\s+zone-admin\\s`));
    expect(list.stdout).not.toContain(secret);

    const revoked = ok(await runAs(session, ["tsig-keys", "revoke", "--zone", origin, keyId]));
    expect(revoked.stdout).toContain(`revoked TSIG key ${keyId}`);
    const json = JSON.parse(
      ok(await runAs(session, ["tsig-keys", "list", "--zone", origin, "--json"])).stdout,
    );
    expect(json.tsig_keys).toEqual([expect.objectContaining({ id: keyId, revoked: true })]);

    const bad = await runAs(session, ["tsig-keys", "create", "--zone", origin, "--name", "two.labels"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/400 .*name/);
  });
});
