import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { App, LocalBackend } from "cdktf";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { buildExampleStack } from "../../../../examples/cdktf/stack.js";
// The provider package's helpers: its global setup (see vitest.config.mts) built the provider,
// laid out the mirror and started the API; signIn mints a token in a fresh tenant.
import { signIn } from "../../terraform-provider/test/api.js";
import { ok, terraform } from "../../terraform-provider/test/terraform.js";

const apiUrl = inject("apiUrl");
const origin = "cdktf-example.com";
let outdir: string;
let stackDir: string;
let token: string;

async function api<T>(urlPath: string): Promise<T> {
  const answer = await fetch(`${apiUrl}${urlPath}`, { headers: { authorization: `Bearer ${token}` } });
  const text = await answer.text();
  if (!answer.ok) throw new Error(`GET ${urlPath} answered ${answer.status}: ${text}`);
  return JSON.parse(text) as T;
}

beforeAll(async () => {
  token = await signIn(apiUrl, "cdktf");
  outdir = mkdtempSync(path.join(tmpdir(), "dnscove-cdktf-out-"));
  const app = new App({ outdir });
  const stack = buildExampleStack(app, "example", { origin });
  stackDir = path.join(outdir, "stacks", "example");
  // cdktf's default local backend writes terraform.<stack>.tfstate into the process's cwd.
  new LocalBackend(stack, { path: path.join(outdir, "terraform.tfstate") });
  app.synth();
});

afterAll(() => {
  if (outdir) rmSync(outdir, { recursive: true, force: true });
});

it("terraform applies the synthesized example against the real API, plans no change and destroys it", async () => {
  const file = path.join(stackDir, "cdk.tf.json");
  expect(existsSync(file), `${file} was not synthesized`).toBe(true);
  expect(JSON.parse(readFileSync(file, "utf8")).resource.dnscove_zone.zone.origin).toBe(origin);

  // Endpoint and token through the stack's variables…
  const vars = ["-var", `dnscove_endpoint=${apiUrl}`, "-var", `dnscove_token=${token}`];
  await ok(terraform(stackDir, ["init"], { token }), "terraform init");
  await ok(
    terraform(stackDir, ["apply", "-auto-approve", ...vars], { token, timeoutMs: 120_000 }),
    "terraform apply",
  );

  const zoneId = (await ok(terraform(stackDir, ["output", "-raw", "zone_id"], { token }), "terraform output"))
    .trim()
    .split("\n")[0];
  expect(zoneId).toMatch(/^Z/);
  const ns = JSON.parse(
    await ok(terraform(stackDir, ["output", "-json", "name_servers"], { token }), "output ns"),
  );
  expect(Array.isArray(ns) && ns.length > 0).toBe(true);

  const zones = await api<{ zones: Array<{ id: string; origin: string }> }>("/api/zones");
  expect(zones.zones.map((z) => z.id)).toEqual([zoneId]);
  const { rrsets } = await api<{
    rrsets: Array<{ name: string; type: string; ttl: number; records: string[] }>;
  }>(`/api/zones/${zoneId}/rrsets`);
  const mine = rrsets
    .filter((r) => r.type === "A" || r.type === "TXT")
    .map((r) => [r.type, r.ttl, [...r.records].sort()]);
  expect(mine).toEqual(
    expect.arrayContaining([
      ["A", 300, ["192.0.2.10", "192.0.2.11"]],
      ["TXT", 3600, ['"v=spf1 -all"']],
    ]),
  );

  // …and with the variables left null, through $DNSCOVE_API / $DNSCOVE_TOKEN: still no change.
  const plan = await terraform(stackDir, ["plan", "-detailed-exitcode"], { token });
  expect(plan.code, plan.out).toBe(0);

  await ok(
    terraform(stackDir, ["destroy", "-auto-approve", ...vars], { token, timeoutMs: 120_000 }),
    "terraform destroy",
  );
  const after = await api<{ zones: unknown[] }>("/api/zones");
  expect(after.zones).toEqual([]);
});
