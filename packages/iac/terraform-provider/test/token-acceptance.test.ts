import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { signIn } from "./api.js";
import { header, ok, terraform } from "./terraform.js";

const apiUrl = inject("apiUrl");

/** Calls the API with `token`; answers the status and the parsed body (or null). */
async function call(
  token: string,
  method: string,
  urlPath: string,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown> | null }> {
  const send = () =>
    fetch(`${apiUrl}${urlPath}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body ? { "content-type": "application/json" } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
  const answer = await send().catch(send);
  const text = await answer.text();
  return { status: answer.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : null };
}

async function must(token: string, method: string, urlPath: string, body?: unknown) {
  const answer = await call(token, method, urlPath, body);
  if (answer.status >= 300)
    throw new Error(`${method} ${urlPath} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body ?? {};
}

/** Terraform wraps diagnostics in a box: compare text with the wrapping and box drawing removed. */
function flat(text: string): string {
  return text.replace(/[\s│╷╵]+/g, " ");
}

function workspace(prefix: string) {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, write: (text: string) => writeFileSync(path.join(dir, "main.tf"), text) };
}

function tokenModule(name: string): string {
  return `${header}
resource "dnscove_zone" "z" {
  origin = "token-acceptance.example"
}
resource "dnscove_token" "admin" {
  scope           = "tenant-admin"
  name            = ${JSON.stringify(name)}
  expires_in_days = 30
}
resource "dnscove_token" "acme" {
  scope   = "acme-dns01"
  zone_id = dnscove_zone.z.id
}
data "dnscove_zones" "all" {
  depends_on = [dnscove_zone.z]
}
output "token" {
  value     = dnscove_token.admin.token
  sensitive = true
}
output "token_id" { value = dnscove_token.admin.id }
output "acme_name" { value = dnscove_token.acme.name }
output "zones" { value = data.dnscove_zones.all.zones }
`;
}

describe("dnscove_token and dnscove_zones (real terraform, real API)", () => {
  let tenantToken: string;
  const ws = workspace("dnscove-tf-token-");
  const plan = (token = tenantToken) => terraform(ws.dir, ["plan", "-detailed-exitcode"], { token });
  let secret: string;

  beforeAll(async () => {
    // A tenant of its own: the other acceptance file checks that its tenant ends with no zones.
    tenantToken = await signIn(apiUrl, "tf-token");
  });
  afterAll(() => rmSync(ws.dir, { recursive: true, force: true }));

  it("creates a token whose sensitive secret works, and lists zones", async () => {
    ws.write(tokenModule("ci"));
    await ok(terraform(ws.dir, ["init"], { token: tenantToken }), "init");
    const apply = await ok(terraform(ws.dir, ["apply", "-auto-approve"], { token: tenantToken }), "apply");
    expect(apply).toMatch(/Resources: 3 added, 0 changed, 0 destroyed/);
    expect(apply).toMatch(/token = <sensitive>/);
    secret = JSON.parse(
      await ok(terraform(ws.dir, ["output", "-json", "token"], { token: tenantToken }), "output"),
    );
    expect(secret).toMatch(/^dnsc_[0-9a-f]{16}_/);
    expect(apply).not.toContain(secret);
    const zones = await call(secret, "GET", "/api/zones");
    expect(zones.status).toBe(200);
    expect(((zones.body?.zones ?? []) as Array<{ origin: string }>).map((z) => z.origin)).toEqual([
      "token-acceptance.example",
    ]);
    const listed = JSON.parse(
      await ok(terraform(ws.dir, ["output", "-json", "zones"], { token: tenantToken }), "output"),
    );
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ origin: "token-acceptance.example", status: "PENDING_VERIFICATION" });
    expect(listed[0].id).toMatch(/^Z[0-9a-f]{14}$/);
    expect(listed[0].ns.length).toBeGreaterThan(0);
    expect(typeof listed[0].serial).toBe("number");
    // name is optional + computed: the API's default name for the acme token lands in state.
    const acmeName = JSON.parse(
      await ok(terraform(ws.dir, ["output", "-json", "acme_name"], { token: tenantToken }), "output"),
    );
    expect(typeof acmeName).toBe("string");
  });

  it("plans no changes after apply, and keeps the secret across refreshes", async () => {
    const p = await plan();
    expect(p.code, p.out).toBe(0);
    await ok(
      terraform(ws.dir, ["apply", "-refresh-only", "-auto-approve"], { token: tenantToken }),
      "refresh",
    );
    const again = JSON.parse(
      await ok(terraform(ws.dir, ["output", "-json", "token"], { token: tenantToken }), "output"),
    );
    expect(again).toBe(secret);
  });

  it("replaces the token when an argument changes, revoking the old one", async () => {
    ws.write(tokenModule("ci-2"));
    const p = await plan();
    expect(p.code, p.out).toBe(2);
    expect(p.out).toMatch(/dnscove_token\.admin must be replaced/);
    expect(p.out).toMatch(/forces replacement/);
    await ok(terraform(ws.dir, ["apply", "-auto-approve"], { token: tenantToken }), "apply replacement");
    const next = JSON.parse(
      await ok(terraform(ws.dir, ["output", "-json", "token"], { token: tenantToken }), "output"),
    );
    expect(next).not.toBe(secret);
    expect((await call(secret, "GET", "/api/zones")).status).toBe(401);
    expect((await call(next, "GET", "/api/zones")).status).toBe(200);
    secret = next;
    const after = await plan();
    expect(after.code, after.out).toBe(0);
  });

  it("re-creates a token revoked outside terraform", async () => {
    const id = JSON.parse(
      await ok(terraform(ws.dir, ["output", "-json", "token_id"], { token: tenantToken }), "output"),
    );
    await must(tenantToken, "DELETE", `/api/tokens/${id}`);
    const p = await plan();
    expect(p.code, p.out).toBe(2);
    expect(p.out).toMatch(/dnscove_token\.admin will be created/);
    await ok(terraform(ws.dir, ["apply", "-auto-approve"], { token: tenantToken }), "apply re-create");
    secret = JSON.parse(
      await ok(terraform(ws.dir, ["output", "-json", "token"], { token: tenantToken }), "output"),
    );
    expect((await call(secret, "GET", "/api/zones")).status).toBe(200);
  });

  it("rejects a zone-bound scope without zone_id at plan, and refuses to import tokens", async () => {
    const bad = workspace("dnscove-tf-token-bad-");
    try {
      bad.write(`${header}
resource "dnscove_token" "z" {
  scope = "zone-admin"
}
resource "dnscove_token" "s" {
  scope = "root"
}
`);
      await ok(terraform(bad.dir, ["init"], { token: tenantToken }), "init (bad)");
      const p = await terraform(bad.dir, ["plan"], { token: tenantToken });
      expect(p.code, p.out).toBe(1);
      expect(p.out).toMatch(/Missing zone_id/);
      expect(p.out).toMatch(/Invalid token scope/);

      bad.write(`${header}
resource "dnscove_token" "t" {
  scope = "tenant-admin"
}
`);
      const imp = await terraform(bad.dir, ["import", "dnscove_token.t", "0123456789abcdef"], {
        token: tenantToken,
      });
      expect(imp.code, imp.out).toBe(1);
      expect(imp.out).toMatch(/Import of dnscove_token is not supported/);
    } finally {
      rmSync(bad.dir, { recursive: true, force: true });
    }
  });

  it("destroys the tokens, which the API then rejects with 401", async () => {
    const destroy = await ok(
      terraform(ws.dir, ["destroy", "-auto-approve"], { token: tenantToken }),
      "destroy",
    );
    expect(destroy).toMatch(/Destroy complete! Resources: 3 destroyed/);
    expect((await call(secret, "GET", "/api/zones")).status).toBe(401);
    const tokens = (await must(tenantToken, "GET", "/api/tokens")).tokens as Array<{
      name: string;
      revoked: boolean;
    }>;
    expect(tokens.filter((t) => !t.revoked).map((t) => t.name)).toEqual(["terraform"]);
  });
});

describe("a zone-admin token managing its zone's rrsets", () => {
  let tenantToken: string;
  let zoneAdmin: string;
  let zoneId: string;
  const ws = workspace("dnscove-tf-zone-admin-");

  beforeAll(async () => {
    tenantToken = await signIn(apiUrl, "tf-zone-admin");
    const zone = await must(tenantToken, "POST", "/api/zones", { origin: "zone-admin-acceptance.example" });
    zoneId = String(zone.id);
    const minted = await must(tenantToken, "POST", "/api/tokens", {
      scope: "zone-admin",
      zone_id: zoneId,
      name: "terraform zone-admin",
    });
    zoneAdmin = String(minted.token);
  });
  afterAll(async () => {
    rmSync(ws.dir, { recursive: true, force: true });
    if (zoneId) await call(tenantToken, "DELETE", `/api/zones/${zoneId}`);
  });

  it("applies, plans clean and destroys rrsets of its zone", async () => {
    ws.write(`${header}
data "dnscove_zone" "z" {
  id = ${JSON.stringify(zoneId)}
}
resource "dnscove_rrset" "www" {
  zone_id = data.dnscove_zone.z.id
  name    = "www"
  type    = "A"
  records = ["192.0.2.10"]
}
resource "dnscove_rrset" "txt" {
  zone_id = ${JSON.stringify(zoneId)}
  name    = "@"
  type    = "TXT"
  records = ["managed by a zone-admin token"]
}
`);
    await ok(terraform(ws.dir, ["init"], { token: zoneAdmin }), "init");
    const apply = await ok(terraform(ws.dir, ["apply", "-auto-approve"], { token: zoneAdmin }), "apply");
    expect(apply).toMatch(/Resources: 2 added/);
    const rrsets = (await must(tenantToken, "GET", `/api/zones/${zoneId}/rrsets`)).rrsets as Array<{
      name: string;
      type: string;
      records: string[];
    }>;
    expect(rrsets.find((r) => r.type === "A")).toMatchObject({
      name: "www.zone-admin-acceptance.example.",
      records: ["192.0.2.10"],
    });
    const p = await terraform(ws.dir, ["plan", "-detailed-exitcode"], { token: zoneAdmin });
    expect(p.code, p.out).toBe(0);
    const destroy = await ok(
      terraform(ws.dir, ["destroy", "-auto-approve"], { token: zoneAdmin }),
      "destroy",
    );
    expect(destroy).toMatch(/Resources: 2 destroyed/);
    const left = (await must(tenantToken, "GET", `/api/zones/${zoneId}/rrsets`)).rrsets as Array<{
      type: string;
    }>;
    expect(left.filter((r) => r.type === "A" || r.type === "TXT")).toEqual([]);
    // Four terraform runs (init, apply, plan, destroy): 42 s alone on a 2-core machine at load 17,
    // past the 60 s default when the file's other tests run beside it.
  }, 180_000);

  it("fails with the API's 403 when the module tries to create a zone", async () => {
    const direct = await call(zoneAdmin, "POST", "/api/zones", { origin: "not-allowed.example" });
    expect(direct.status).toBe(403);
    const detail = String(direct.body?.detail);
    const code = String(direct.body?.code);
    const bad = workspace("dnscove-tf-zone-admin-bad-");
    try {
      bad.write(`${header}
resource "dnscove_zone" "nope" {
  origin = "not-allowed-tf.example"
}
`);
      await ok(terraform(bad.dir, ["init"], { token: zoneAdmin }), "init");
      const apply = await terraform(bad.dir, ["apply", "-auto-approve"], { token: zoneAdmin });
      expect(apply.code, apply.out).toBe(1);
      expect(apply.out).toMatch(/403/);
      expect(code).toMatch(/FORBIDDEN/);
      expect(apply.out).toContain(code);
      expect(flat(apply.out)).toContain(flat(detail));
      expect(apply.out).not.toMatch(/dnscove_zone\.nope: Creation complete/);
    } finally {
      rmSync(bad.dir, { recursive: true, force: true });
    }
  });
});
