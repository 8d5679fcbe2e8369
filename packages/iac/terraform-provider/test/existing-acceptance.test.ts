import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { signIn } from "./api.js";
import { header, ok, terraform } from "./terraform.js";

/**
 * Objects that already exist when Terraform is asked to create them (the README quick start's
 * zone, a record made in the console): the create refuses and names `terraform import`, unless
 * `allow_overwrite = true` says to take the rrset over (the AWS provider's behaviour).
 */
const apiUrl = inject("apiUrl");

interface RRset {
  name: string;
  type: string;
  ttl: number;
  records: string[];
}

/** Terraform wraps diagnostics in a box: compare text with the wrapping and box drawing removed. */
function flat(text: string): string {
  return text.replace(/[\s│╷╵]+/g, " ");
}

describe("creating what already exists (real terraform, real API)", () => {
  let token: string;
  let zoneId: string;
  const dir = mkdtempSync(path.join(tmpdir(), "dnscove-tf-existing-"));
  const write = (text: string) => writeFileSync(path.join(dir, "main.tf"), text);
  const tf = (args: string[]) => terraform(dir, args, { token });

  async function api<T>(method: string, urlPath: string, body?: unknown): Promise<T> {
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
    if (!answer.ok) throw new Error(`${method} ${urlPath} answered ${answer.status}: ${text}`);
    return (text ? JSON.parse(text) : {}) as T;
  }
  const stored = async (name: string, type: string) =>
    (await api<{ rrsets: RRset[] }>("GET", `/api/zones/${zoneId}/rrsets`)).rrsets.find(
      (r) => r.name === name && r.type === type,
    );

  function rrsetModule(allowOverwrite: boolean | undefined): string {
    const flag = allowOverwrite === undefined ? "" : `  allow_overwrite = ${allowOverwrite}\n`;
    return `${header}
resource "dnscove_rrset" "www" {
  zone_id = "${zoneId}"
  name    = "www"
  type    = "A"
  records = ["192.0.2.10", "192.0.2.11"]
${flag}}
`;
  }

  beforeAll(async () => {
    token = await signIn(apiUrl, "tf-existing");
    // As after the README quick start: the zone and a www record exist before Terraform runs.
    zoneId = (await api<{ id: string }>("POST", "/api/zones", { origin: "existing.example" })).id;
    await api("POST", `/api/zones/${zoneId}/rrsets`, {
      action: "UPSERT",
      name: "www.existing.example.",
      type: "A",
      ttl: 600,
      records: ["192.0.2.1"],
    });
    write(rrsetModule(undefined));
    await ok(tf(["init"]), "terraform init");
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("refuses to create an rrset that exists, naming the import command, and leaves it alone", async () => {
    const apply = await tf(["apply", "-auto-approve"]);
    expect(apply.code, apply.out).toBe(1);
    const text = flat(apply.out);
    expect(text).toContain("RRset www.existing.example. A already exists");
    expect(text).toContain(`terraform import dnscove_rrset.<name> ${zoneId}/www.existing.example./A`);
    expect(text).toContain("allow_overwrite = true");
    expect(await stored("www.existing.example.", "A")).toMatchObject({ ttl: 600, records: ["192.0.2.1"] });
    // Nothing was recorded: the next plan still wants to create it.
    const plan = await tf(["plan", "-detailed-exitcode"]);
    expect(plan.code, plan.out).toBe(2);
    expect(plan.out).toMatch(/dnscove_rrset\.www will be created/);
  });

  it("refuses the same with allow_overwrite = false", async () => {
    write(rrsetModule(false));
    const apply = await tf(["apply", "-auto-approve"]);
    expect(apply.code, apply.out).toBe(1);
    expect(flat(apply.out)).toContain("already exists");
    expect((await stored("www.existing.example.", "A"))?.records).toEqual(["192.0.2.1"]);
  });

  it("takes the rrset over with allow_overwrite = true, and state holds what the API stored", async () => {
    write(rrsetModule(true));
    const apply = await ok(tf(["apply", "-auto-approve"]), "apply with allow_overwrite");
    expect(apply).toMatch(/Resources: 1 added, 0 changed, 0 destroyed/);
    expect(await stored("www.existing.example.", "A")).toMatchObject({
      ttl: 300,
      records: ["192.0.2.10", "192.0.2.11"],
    });
    const state = JSON.parse(await ok(tf(["show", "-json"]), "show")) as {
      values: { root_module: { resources: Array<{ values: Record<string, unknown> }> } };
    };
    expect(state.values.root_module.resources[0]?.values).toMatchObject({
      id: `${zoneId}/www.existing.example./A`,
      fqdn: "www.existing.example.",
      ttl: 300,
      allow_overwrite: true,
    });
    const plan = await tf(["plan", "-detailed-exitcode"]);
    expect(plan.code, plan.out).toBe(0);
  });

  it("refreshes an rrset deleted behind Terraform's back as gone, and plans its re-creation", async () => {
    await api("POST", `/api/zones/${zoneId}/rrsets`, {
      action: "DELETE",
      name: "www.existing.example.",
      type: "A",
    });
    const refresh = await ok(tf(["apply", "-refresh-only", "-auto-approve"]), "refresh-only");
    expect(refresh).toMatch(/dnscove_rrset\.www has been deleted/);
    expect(await ok(tf(["state", "list"]), "state list")).not.toMatch(/dnscove_rrset\.www/);
    const plan = await tf(["plan", "-detailed-exitcode"]);
    expect(plan.code, plan.out).toBe(2);
    expect(plan.out).toMatch(/dnscove_rrset\.www will be created/);
    await ok(tf(["apply", "-auto-approve"]), "re-create");
    expect((await stored("www.existing.example.", "A"))?.records).toEqual(["192.0.2.10", "192.0.2.11"]);
  });

  it("imports an rrset with `terraform import` by a relative name, then plans no changes", async () => {
    await ok(tf(["state", "rm", "dnscove_rrset.www"]), "state rm");
    write(rrsetModule(undefined));
    await ok(tf(["import", `dnscove_rrset.www`, `${zoneId}/WWW/a`]), "terraform import");
    const show = flat(await ok(tf(["state", "show", "dnscove_rrset.www"]), "state show"));
    expect(show).toContain('fqdn = "www.existing.example."');
    expect(show).toContain('name = "www"');
    const plan = await tf(["plan", "-detailed-exitcode"]);
    expect(plan.code, plan.out).toBe(0);
    const missing = await tf(["import", "dnscove_rrset.www", `${zoneId}/nothing-here/A`]);
    expect(missing.code).toBe(1);
  });

  it("answers ZONE_EXISTS with the zone's id and the import command", async () => {
    write(`${rrsetModule(undefined)}
resource "dnscove_zone" "mine" {
  origin = "Existing.Example."
}
`);
    const apply = await tf(["apply", "-auto-approve"]);
    expect(apply.code, apply.out).toBe(1);
    const text = flat(apply.out);
    expect(text).toContain(`Zone existing.example already exists (id ${zoneId})`);
    expect(text).toContain("ZONE_EXISTS");
    expect(text).toContain(`terraform import dnscove_zone.<name> ${zoneId}`);
    // The hint works: import, then the plan is clean.
    await ok(tf(["import", "dnscove_zone.mine", zoneId]), "import zone");
    const plan = await tf(["plan", "-detailed-exitcode"]);
    expect(plan.code, plan.out).toBe(0);
  });
});
