import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { signIn } from "./api.js";
import { header, ok, terraform } from "./terraform.js";

/**
 * `dnssec` and `ds` on dnscove_zone (issue 16): signed and unsigned through the API's
 * PUT /zones/{id}/dnssec, the DS read back from GET …/dnssec on every refresh (so a KSK rollover
 * started elsewhere shows up without a diff), and import reading the signing state.
 */
const apiUrl = inject("apiUrl");

interface Dnssec {
  enabled: boolean;
  algorithm: string | null;
  status: string;
  keys: { key_tag: number; role: string; state: string }[];
  ds: string[];
}

describe("dnscove_zone dnssec (real terraform, real API)", () => {
  let token: string;
  let zoneId: string;
  const dir = mkdtempSync(path.join(tmpdir(), "dnscove-tf-dnssec-"));
  const importDir = mkdtempSync(path.join(tmpdir(), "dnscove-tf-dnssec-import-"));
  const write = (where: string, text: string) => writeFileSync(path.join(where, "main.tf"), text);
  const tf = (args: string[], where = dir) => terraform(where, args, { token, timeoutMs: 120_000 });
  const plan = (where = dir) => tf(["plan", "-detailed-exitcode"], where);
  const output = async (name: string, where = dir) =>
    JSON.parse(await ok(tf(["output", "-json", name], where), "terraform output")) as unknown;

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
  const dnssecOf = (id: string) => api<Dnssec>("GET", `/api/zones/${id}/dnssec`);

  function zoneModule(origin: string, dnssec: boolean | undefined): string {
    const flag = dnssec === undefined ? "" : `  dnssec = ${dnssec}\n`;
    return `${header}
resource "dnscove_zone" "z" {
  origin = "${origin}"
${flag}}
output "zone_id" { value = dnscove_zone.z.id }
output "dnssec" { value = dnscove_zone.z.dnssec }
output "ds" { value = dnscove_zone.z.ds }
output "serial" { value = dnscove_zone.z.serial }
`;
  }

  beforeAll(async () => {
    token = await signIn(apiUrl, "tf-dnssec");
    write(dir, zoneModule("tf-dnssec.example", undefined));
    await ok(tf(["init"]), "terraform init");
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(importDir, { recursive: true, force: true });
  });

  it("creates an unsigned zone by default: dnssec false, no DS", async () => {
    await ok(tf(["apply", "-auto-approve"]), "terraform apply");
    zoneId = (await output("zone_id")) as string;
    expect(await output("dnssec")).toBe(false);
    expect(await output("ds")).toEqual([]);
    expect(await dnssecOf(zoneId)).toMatchObject({ enabled: false, status: "unsigned", keys: [] });
    const again = await plan();
    expect(again.code, again.out).toBe(0);
  });

  it("signs the zone in place when dnssec turns true, and shows the DS the API gives", async () => {
    write(dir, zoneModule("tf-dnssec.example", true));
    const p = await plan();
    expect(p.code, p.out).toBe(2);
    expect(p.out).toMatch(/dnscove_zone\.z will be updated in-place/);
    expect(p.out).toMatch(/~ dnssec\s+= false -> true/);
    expect(p.out).toMatch(/Plan: 0 to add, 1 to change, 0 to destroy/);
    const serialBefore = (await output("serial")) as number;
    await ok(tf(["apply", "-auto-approve"]), "terraform apply");
    const state = await dnssecOf(zoneId);
    expect(state).toMatchObject({ enabled: true, algorithm: "ECDSAP256SHA256", status: "signed" });
    expect(state.ds).toHaveLength(1);
    expect(state.ds[0]).toMatch(/^tf-dnssec\.example\.\s+IN\s+DS\s+\d+ 13 2 [0-9A-Fa-f]{64}$/);
    expect(await output("ds")).toEqual(state.ds);
    expect(await output("serial")).toBeGreaterThan(serialBefore);
    const after = await plan();
    expect(after.code, after.out).toBe(0);
  });

  it("reads a KSK rollover started outside Terraform on refresh, planning nothing", async () => {
    const before = await dnssecOf(zoneId);
    const rolled = await api<Dnssec>("POST", `/api/zones/${zoneId}/dnssec/ksk-rollover`);
    expect(rolled.ds).not.toEqual(before.ds);
    // The refresh sees the new DS (and serial); the only changes are to outputs, none to the zone.
    const p = await plan();
    expect(p.out).toMatch(/dnscove_zone\.z has changed/);
    expect(p.out).not.toMatch(/dnscove_zone\.z (will|must) be/);
    await ok(tf(["apply", "-refresh-only", "-auto-approve"]), "terraform apply -refresh-only");
    expect(await output("ds")).toEqual(rolled.ds);
    const after = await plan();
    expect(after.code, after.out).toBe(0);
  });

  it("imports a signed zone with its dnssec and ds", async () => {
    write(importDir, zoneModule("tf-dnssec.example", true));
    await ok(tf(["init"], importDir), "terraform init");
    await ok(tf(["import", "dnscove_zone.z", zoneId], importDir), "terraform import");
    const p = await plan(importDir);
    expect(p.code, p.out).toBe(0);
    await ok(tf(["apply", "-refresh-only", "-auto-approve"], importDir), "terraform apply -refresh-only");
    expect(await output("dnssec", importDir)).toBe(true);
    expect(await output("ds", importDir)).toEqual((await dnssecOf(zoneId)).ds);
  });

  it("turns dnssec off through the insecure transition, then plans nothing", async () => {
    write(dir, zoneModule("tf-dnssec.example", false));
    const p = await plan();
    expect(p.code, p.out).toBe(2);
    expect(p.out).toMatch(/~ dnssec\s+= true -> false/);
    await ok(tf(["apply", "-auto-approve"]), "terraform apply");
    // Still signed until the parent drops the DS (RFC 8078): the API says going-insecure, keys kept.
    const state = await dnssecOf(zoneId);
    expect(state).toMatchObject({ enabled: false, status: "going-insecure", ds: [] });
    expect(state.keys.length).toBeGreaterThan(0);
    expect(await output("dnssec")).toBe(false);
    expect(await output("ds")).toEqual([]);
    const after = await plan();
    expect(after.code, after.out).toBe(0);
    // Leaving dnssec out means false too: nothing to do.
    write(dir, zoneModule("tf-dnssec.example", undefined));
    const unset = await plan();
    expect(unset.code, unset.out).toBe(0);
  });

  it("creates a zone signed from the start, and destroys it", async () => {
    write(dir, zoneModule("tf-dnssec-new.example", true));
    const p = await ok(tf(["apply", "-auto-approve"]), "terraform apply");
    expect(p).toMatch(/Resources: 1 added, 0 changed, 1 destroyed/);
    const id = (await output("zone_id")) as string;
    expect(id).not.toBe(zoneId);
    const state = await dnssecOf(id);
    expect(state).toMatchObject({ enabled: true, status: "signed" });
    expect(await output("ds")).toEqual(state.ds);
    const after = await plan();
    expect(after.code, after.out).toBe(0);
    await ok(tf(["destroy", "-auto-approve"]), "terraform destroy");
    const zones = await api<{ zones: { id: string }[] }>("GET", "/api/zones");
    expect(zones.zones.map((z) => z.id)).not.toContain(id);
  });
});
