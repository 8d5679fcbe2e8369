import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { header, ok, terraform } from "./terraform.js";

const apiUrl = inject("apiUrl");
const apiToken = inject("apiToken");

async function api<T = Record<string, unknown>>(method: string, urlPath: string, body?: unknown): Promise<T> {
  const send = () =>
    fetch(`${apiUrl}${urlPath}`, {
      method,
      headers: {
        authorization: `Bearer ${apiToken}`,
        ...(body ? { "content-type": "application/json" } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
  // A pooled keep-alive socket may have been closed by the server meanwhile: retry once.
  const answer = await send().catch(send);
  const text = await answer.text();
  if (!answer.ok) throw new Error(`${method} ${urlPath} answered ${answer.status}: ${text}`);
  return (text ? JSON.parse(text) : {}) as T;
}

interface RRset {
  name: string;
  type: string;
  ttl: number;
  records: string[];
}

async function rrsets(zoneId: string): Promise<RRset[]> {
  return (await api<{ rrsets: RRset[] }>("GET", `/api/zones/${zoneId}/rrsets`)).rrsets;
}

interface Variant {
  origin?: string;
  wwwName?: string;
  wwwTtl?: number | null;
  wwwRecords?: string[];
  v6Name?: string;
  v6Records?: string[];
  txtName?: string;
  txtRecords?: string[];
}

function module(v: Variant = {}): string {
  const list = (items: string[]) => `[${items.map((r) => JSON.stringify(r)).join(", ")}]`;
  const ttl = v.wwwTtl === undefined || v.wwwTtl === null ? "" : `  ttl     = ${v.wwwTtl}\n`;
  return `${header}
resource "dnscove_zone" "z" {
  origin = ${JSON.stringify(v.origin ?? "Acceptance-Example.COM.")}
}
resource "dnscove_rrset" "www" {
  zone_id = dnscove_zone.z.id
  name    = ${JSON.stringify(v.wwwName ?? "WWW")}
  type    = "A"
${ttl}  records = ${list(v.wwwRecords ?? ["192.0.2.2", "192.0.2.1"])}
}
resource "dnscove_rrset" "v6" {
  zone_id = dnscove_zone.z.id
  name    = ${JSON.stringify(v.v6Name ?? "v6.acceptance-example.com.")}
  type    = "AAAA"
  ttl     = 600
  records = ${list(v.v6Records ?? ["2001:DB8:0:0::1"])}
}
resource "dnscove_rrset" "txt" {
  zone_id = dnscove_zone.z.id
  name    = ${JSON.stringify(v.txtName ?? "@")}
  type    = "TXT"
  records = ${list(v.txtRecords ?? ["v=spf1 -all"])}
}
data "dnscove_zone" "by_origin" {
  origin = dnscove_zone.z.origin
}
output "zone_id" { value = dnscove_zone.z.id }
output "ns" { value = data.dnscove_zone.by_origin.ns }
`;
}

describe("terraform acceptance (real terraform, real API, filesystem mirror)", () => {
  let dir: string;
  let zoneId: string;
  const write = (text: string) => writeFileSync(path.join(dir, "main.tf"), text);
  const plan = () => terraform(dir, ["plan", "-detailed-exitcode"]);

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), "dnscove-tf-ws-"));
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("inits offline from the mirror and applies non-canonical spellings", async () => {
    write(module());
    const init = await ok(terraform(dir, ["init"]), "terraform init");
    expect(init).toMatch(/Installed dnscove\/dnscove v0\.1\.0/);
    const apply = await ok(terraform(dir, ["apply", "-auto-approve"]), "terraform apply");
    expect(apply).toMatch(/Resources: 4 added, 0 changed, 0 destroyed/);
    zoneId = JSON.parse(await ok(terraform(dir, ["output", "-json", "zone_id"]), "output")) as string;
    expect(zoneId).toMatch(/^Z/);
    const ns = JSON.parse(await ok(terraform(dir, ["output", "-json", "ns"]), "output")) as string[];
    expect(ns.length).toBeGreaterThan(0);
    const stored = await rrsets(zoneId);
    expect(stored.find((r) => r.type === "A")).toMatchObject({
      name: "www.acceptance-example.com.",
      ttl: 300,
      records: ["192.0.2.1", "192.0.2.2"],
    });
    expect(stored.find((r) => r.type === "AAAA")).toMatchObject({ ttl: 600, records: ["2001:db8::1"] });
    expect(stored.find((r) => r.type === "TXT")?.records).toEqual(['"v=spf1 -all"']);
  });

  it("plans no changes right after apply, and none for equivalent spellings", async () => {
    const first = await plan();
    expect(first.code, first.out).toBe(0);
    expect(first.out).toMatch(/No changes/);
    write(
      module({
        origin: "acceptance-example.com",
        wwwName: "www.ACCEPTANCE-example.com.",
        wwwTtl: 300,
        wwwRecords: ["192.0.2.1", "192.0.2.2"],
        v6Name: "V6",
        v6Records: ["2001:db8::1"],
        txtName: "acceptance-example.com.",
        txtRecords: ['"v=spf1 -all"'],
      }),
    );
    const second = await plan();
    expect(second.code, second.out).toBe(0);
  });

  it("updates ttl and records in place", async () => {
    write(module({ wwwTtl: 900, wwwRecords: ["192.0.2.1", "192.0.2.3"] }));
    const p = await plan();
    expect(p.code, p.out).toBe(2);
    expect(p.out).toMatch(/dnscove_rrset\.www will be updated in-place/);
    expect(p.out).toMatch(/0 to add, 1 to change, 0 to destroy/);
    await ok(terraform(dir, ["apply", "-auto-approve"]), "apply update");
    const www = (await rrsets(zoneId)).find((r) => r.type === "A");
    expect(www).toMatchObject({ ttl: 900, records: ["192.0.2.1", "192.0.2.3"] });
    const after = await plan();
    expect(after.code, after.out).toBe(0);
  });

  it("replaces an rrset whose name changes", async () => {
    write(module({ wwwTtl: 900, wwwRecords: ["192.0.2.1", "192.0.2.3"], txtName: "Info" }));
    const p = await plan();
    expect(p.code, p.out).toBe(2);
    expect(p.out).toMatch(/dnscove_rrset\.txt must be replaced/);
    expect(p.out).toMatch(/forces replacement/);
    await ok(terraform(dir, ["apply", "-auto-approve"]), "apply replacement");
    const txt = (await rrsets(zoneId)).filter((r) => r.type === "TXT");
    expect(txt.map((r) => r.name)).toEqual(["info.acceptance-example.com."]);
    const after = await plan();
    expect(after.code, after.out).toBe(0);
  });

  it("detects drift and re-creates an rrset deleted outside terraform", async () => {
    await api("POST", `/api/zones/${zoneId}/rrsets`, {
      action: "UPSERT",
      name: "www.acceptance-example.com.",
      type: "A",
      ttl: 900,
      records: ["198.51.100.7"],
    });
    const drifted = await plan();
    expect(drifted.code, drifted.out).toBe(2);
    expect(drifted.out).toMatch(/198\.51\.100\.7/);
    expect(drifted.out).toMatch(/dnscove_rrset\.www will be updated in-place/);

    await api("POST", `/api/zones/${zoneId}/rrsets`, {
      action: "DELETE",
      name: "v6.acceptance-example.com.",
      type: "AAAA",
    });
    const gone = await plan();
    expect(gone.code, gone.out).toBe(2);
    expect(gone.out).toMatch(/dnscove_rrset\.v6 will be created/);

    await ok(terraform(dir, ["apply", "-auto-approve"]), "apply to repair drift");
    const stored = await rrsets(zoneId);
    expect(stored.find((r) => r.type === "A")?.records).toEqual(["192.0.2.1", "192.0.2.3"]);
    expect(stored.find((r) => r.type === "AAAA")?.records).toEqual(["2001:db8::1"]);
    const after = await plan();
    expect(after.code, after.out).toBe(0);
  });

  it("imports an existing rrset by zone_id/name/type", async () => {
    await api("POST", `/api/zones/${zoneId}/rrsets`, {
      action: "UPSERT",
      name: "mail.acceptance-example.com.",
      type: "MX",
      ttl: 3600,
      records: ["10 mx1.example.net."],
    });
    write(
      `${module({ wwwTtl: 900, wwwRecords: ["192.0.2.1", "192.0.2.3"], txtName: "Info" })}
import {
  to = dnscove_rrset.mx
  id = "${zoneId}/MAIL/mx"
}
resource "dnscove_rrset" "mx" {
  zone_id = dnscove_zone.z.id
  name    = "mail"
  type    = "MX"
  ttl     = 3600
  records = ["10 MX1.example.net"]
}
`,
    );
    const p = await plan();
    expect(p.code, p.out).toBe(2);
    expect(p.out).toMatch(/1 to import, 0 to add, 0 to change, 0 to destroy/);
    await ok(terraform(dir, ["apply", "-auto-approve"]), "apply import");
    const after = await plan();
    expect(after.code, after.out).toBe(0);
  });

  it("imports an existing zone by id with an import block, then manages and destroys it", async () => {
    const zone = await api<{ id: string }>("POST", "/api/zones", { origin: "imported-zone.example" });
    const other = mkdtempSync(path.join(tmpdir(), "dnscove-tf-import-"));
    try {
      writeFileSync(
        path.join(other, "main.tf"),
        `${header}
import {
  to = dnscove_zone.imported
  id = "${zone.id}"
}
resource "dnscove_zone" "imported" {
  origin = "Imported-Zone.example."
}
`,
      );
      await ok(terraform(other, ["init"]), "init (zone import)");
      const p = await terraform(other, ["plan", "-detailed-exitcode"]);
      expect(p.out).toMatch(/1 to import, 0 to add, 0 to change, 0 to destroy/);
      await ok(terraform(other, ["apply", "-auto-approve"]), "apply zone import");
      const again = await terraform(other, ["plan", "-detailed-exitcode"]);
      expect(again.code, again.out).toBe(0);
      await ok(terraform(other, ["destroy", "-auto-approve"]), "destroy imported zone");
      const zones = await api<{ zones: { id: string }[] }>("GET", "/api/zones");
      expect(zones.zones.map((z) => z.id)).not.toContain(zone.id);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it("rejects invalid records at plan time with a clear diagnostic", async () => {
    const bad = mkdtempSync(path.join(tmpdir(), "dnscove-tf-bad-"));
    try {
      writeFileSync(
        path.join(bad, "main.tf"),
        `${header}
resource "dnscove_rrset" "bad" {
  zone_id = "Z0000000000000f"
  name    = "x"
  type    = "AAAA"
  records = ["192.0.2.1"]
}
resource "dnscove_rrset" "badtype" {
  zone_id = "Z0000000000000f"
  name    = "y"
  type    = "a"
  records = ["192.0.2.1"]
}
`,
      );
      await ok(terraform(bad, ["init"]), "init (bad module)");
      const p = await terraform(bad, ["plan", "-detailed-exitcode"]);
      expect(p.code, p.out).toBe(1);
      expect(p.out).toMatch(/Invalid AAAA records/);
      expect(p.out).toMatch(/records\[0\]/);
      expect(p.out).toMatch(/Invalid record type/);
    } finally {
      rmSync(bad, { recursive: true, force: true });
    }
  });

  it("destroys everything it created", async () => {
    const destroy = await ok(terraform(dir, ["destroy", "-auto-approve"]), "terraform destroy");
    expect(destroy).toMatch(/Destroy complete! Resources: 5 destroyed/);
    const zones = await api<{ zones: unknown[] }>("GET", "/api/zones");
    expect(zones.zones).toEqual([]);
  });
});
