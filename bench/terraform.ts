/**
 * Terraform provider timings (dnscove/dnscove, TypeScript, tfplugin6): for each size in
 * BENCH_RRSETS, wall time of `terraform apply` creating one zone with that many rrsets, of the
 * following no-op plans (median of BENCH_PLAN_ROUNDS) and of the destroy; then how no-op plan time
 * grows with the size (issue 14: 400/100 ≤ 5, i.e. linear; 2,000 rrsets in ≤ 15 s), plus the
 * provider's start-up time per process (Terraform starts several per command).
 * Targets: apply of 200 < 30 s, no-op plan of 200 < 10 s, no-op plan of 2,000 ≤ 15 s.
 *
 * Every no-op plan is also split into CPU seconds: Terraform itself, the provider processes it
 * started (each launcher records its node's CPU time with the shell's `times`) and the API process
 * (/proc/<pid>/stat). CPU seconds hold up on a shared machine where wall time does not.
 * With BASELINE_PROVIDER_BUNDLE (a dist/bundle/provider.cjs of another build) every round plans
 * once with that provider and once with this build's, alternating, on the same state and API.
 * Unless BENCH_TF_CORE=0, the same module with Terraform's built-in `terraform_data` in place of
 * the dnscove resources (no plugin process, no API) is applied and planned too: what Terraform's
 * own core costs for that many resource instances, which no provider can go below.
 *
 * Usage: pnpm --filter @dnscove/bench bench:terraform
 *   env: TERRAFORM_BIN (default terraform on PATH), BENCH_RRSETS (comma list, "100,400,2000"),
 *        BENCH_PLAN_ROUNDS (3), BENCH_STARTUP_ROUNDS (10), BASELINE_PROVIDER_BUNDLE, BENCH_TF_CORE (1),
 *        BENCH_TF_FORM ("for_each", default, or "blocks": one resource block per rrset)
 */
import { execFileSync, spawnSync } from "node:child_process";
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { freePort, signIn } from "@dnscove/testkit";
import { median, post, startBenchApi } from "./lib.js";
import { clientCertificate, startOnce } from "./provider-launch.js";

const TERRAFORM = process.env.TERRAFORM_BIN ?? "terraform";
const SIZES = (process.env.BENCH_RRSETS ?? "100,400,2000").split(",").map((n) => Number(n.trim()));
const PLAN_ROUNDS = Number(process.env.BENCH_PLAN_ROUNDS ?? 3);
const STARTUP_ROUNDS = Number(process.env.BENCH_STARTUP_ROUNDS ?? 10);
const BASELINE_BUNDLE = process.env.BASELINE_PROVIDER_BUNDLE;
const CORE = process.env.BENCH_TF_CORE !== "0";

const providerDir = fileURLToPath(new URL("../packages/iac/terraform-provider/", import.meta.url));

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

/**
 * How the rrsets are written (BENCH_TF_FORM). `for_each`: one resource with an instance per rrset.
 * `blocks`: one resource block per rrset, the form `terraform import` blocks and config generators
 * write for an existing zone. Terraform 1.11 costs far more per instance in a big `for_each` than
 * per block (docs/benchmarks.md), so the bench says which form it measured.
 */
const FORM = process.env.BENCH_TF_FORM === "blocks" ? "blocks" : "for_each";

/** Host i's attributes: a third each AAAA, A (two records) and TXT. */
function host(i: number): { name: string; type: string; records: string[] } {
  const name = `host${String(i).padStart(4, "0")}`;
  if (i % 3 === 0) return { name, type: "AAAA", records: [`2001:db8::${(i + 1).toString(16)}`] };
  if (i % 3 === 1)
    return { name, type: "A", records: [`192.0.2.${(i % 250) + 1}`, `198.51.100.${(i % 250) + 1}`] };
  return { name, type: "TXT", records: [`bench record ${i}`] };
}

const FOR_EACH_HOSTS = (count: number) => `locals {
  # range() stops at 1,024 values: number the hosts in blocks of 1,000.
  hosts = merge([for hi in range(${Math.ceil(count / 1000)}) : {
    for lo in range(1000) : format("host%04d", hi * 1000 + lo) => hi * 1000 + lo if hi * 1000 + lo < ${count}
  }]...)
}
`;

/** The same attributes host() gives, as HCL expressions of `each.key` / `each.value`. */
const FOR_EACH_ATTRIBUTES = `name    = each.key
  type    = each.value % 3 == 0 ? "AAAA" : (each.value % 3 == 1 ? "A" : "TXT")
  ttl     = 300
  records = (each.value % 3 == 0 ? [format("2001:db8::%x", each.value + 1)]
    : each.value % 3 == 1 ? [format("192.0.2.%d", each.value % 250 + 1), format("198.51.100.%d", each.value % 250 + 1)]
  : [format("bench record %d", each.value)])`;

function blockAttributes(i: number): string {
  const { name, type, records } = host(i);
  return `name    = "${name}"
  type    = "${type}"
  ttl     = 300
  records = ${JSON.stringify(records)}`;
}

function moduleText(origin: string, count: number): string {
  const head = `terraform {
  required_providers {
    dnscove = { source = "dnscove/dnscove", version = "0.1.0" }
  }
}
provider "dnscove" {}
resource "dnscove_zone" "bench" {
  origin = "${origin}"
}
`;
  if (FORM === "for_each") {
    return `${head}${FOR_EACH_HOSTS(count)}resource "dnscove_rrset" "host" {
  for_each = local.hosts
  zone_id  = dnscove_zone.bench.id
  ${FOR_EACH_ATTRIBUTES}
}
`;
  }
  const blocks = Array.from(
    { length: count },
    (_, i) => `resource "dnscove_rrset" "host${i}" {
  zone_id = dnscove_zone.bench.id
  ${blockAttributes(i)}
}
`,
  );
  return head + blocks.join("");
}

/** The same shape with Terraform's built-in terraform_data: Terraform core alone, no plugin. */
function coreModuleText(origin: string, count: number): string {
  const head = `resource "terraform_data" "zone" {
  input = "${origin}"
}
`;
  if (FORM === "for_each") {
    return `${head}${FOR_EACH_HOSTS(count)}resource "terraform_data" "host" {
  for_each = local.hosts
  input = {
    zone_id = terraform_data.zone.id
    ${FOR_EACH_ATTRIBUTES}
  }
}
`;
  }
  const blocks = Array.from(
    { length: count },
    (_, i) => `resource "terraform_data" "host${i}" {
  input = {
    zone_id = terraform_data.zone.id
    ${blockAttributes(i)}
  }
}
`,
  );
  return head + blocks.join("");
}

/** One no-op plan: wall time and CPU seconds of Terraform, its provider processes and the API. */
interface PlanRun {
  ms: number;
  terraformCpu: number;
  providerCpu: number;
  apiCpu: number;
}

interface SizeResult {
  count: number;
  init: number;
  apply: number;
  plans: PlanRun[];
  /** Plans with BASELINE_PROVIDER_BUNDLE, interleaved with `plans`. */
  baseline: PlanRun[];
  destroy: number;
  /** terraform_data: apply and no-op plans (Terraform core alone). */
  core?: { apply: number; plans: PlanRun[] };
}

function medianMs(runs: PlanRun[]): number {
  return median(runs.map((r) => r.ms));
}

function cpuSplit(runs: PlanRun[]): string {
  const of = (key: "terraformCpu" | "providerCpu" | "apiCpu") => median(runs.map((r) => r[key])).toFixed(1);
  return `${of("terraformCpu")} / ${of("providerCpu")} / ${of("apiCpu")} s`;
}

function describePlan(run: PlanRun): string {
  return `${seconds(run.ms)} (CPU ${run.terraformCpu.toFixed(1)} / ${run.providerCpu.toFixed(1)} / ${run.apiCpu.toFixed(1)} s)`;
}

function target(ms: number, limit: number): string {
  return ms < limit ? `< ${limit / 1000} s ✓` : `< ${limit / 1000} s ✗`;
}

interface Timed {
  ms: number;
  code: number | null;
  out: string;
  /** CPU seconds of Terraform and every process it started and waited for (its providers). */
  cpu: number;
}

/** user + system seconds of one `times` line ("0m1.230000s 0m0.040000s"). */
function lineSeconds(line: string): number {
  return [...line.matchAll(/(\d+)m([\d.]+)s/g)].reduce((sum, m) => sum + Number(m[1]) * 60 + Number(m[2]), 0);
}

/** The children's user + system seconds from the shell's `times` (its second line). */
function childSeconds(times: string): number {
  return lineSeconds(times.trim().split("\n")[1] ?? "");
}

function timeTerraform(dir: string, args: string[], env: NodeJS.ProcessEnv): Timed {
  const timesFile = path.join(dir, ".terraform-times");
  const started = performance.now();
  // Through sh, whose `times` then reports Terraform's CPU including its reaped provider processes.
  const result = spawnSync(
    "sh",
    [
      "-c",
      '"$0" "$@"; rc=$?; times > "$BENCH_TIMES"; exit $rc',
      TERRAFORM,
      ...args,
      "-no-color",
      "-input=false",
    ],
    {
      cwd: dir,
      env: { ...env, BENCH_TIMES: timesFile },
      encoding: "utf8",
      maxBuffer: 64 << 20,
      timeout: 600_000,
    },
  );
  const ms = performance.now() - started;
  if (result.error) throw result.error;
  const cpu = existsSync(timesFile) ? childSeconds(readFileSync(timesFile, "utf8")) : Number.NaN;
  return { ms, code: result.status, out: `${result.stdout}\n${result.stderr}`, cpu };
}

/** user + system seconds of a live process, from /proc/<pid>/stat (fields 14 and 15). */
function processSeconds(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * A no-op plan (exit 0 required) with its CPU split: each provider launcher appends its node's
 * `times` to BENCH_PROVIDER_TIMES; Terraform's own is the total less those.
 */
function noOpPlan(dir: string, env: NodeJS.ProcessEnv, apiPid: number | undefined, bundle?: string): PlanRun {
  const providerTimes = path.join(dir, ".provider-times");
  rmSync(providerTimes, { force: true });
  const apiBefore = processSeconds(apiPid);
  const plan = must(
    timeTerraform(dir, ["plan", "-detailed-exitcode"], {
      ...env,
      BENCH_PROVIDER_TIMES: providerTimes,
      ...(bundle ? { BENCH_PROVIDER_BUNDLE: bundle } : {}),
    }),
    "no-op plan",
  );
  const apiCpu = processSeconds(apiPid) - apiBefore;
  const providerCpu = existsSync(providerTimes) ? providerSeconds(readFileSync(providerTimes, "utf8")) : 0;
  const run = { ms: plan.ms, terraformCpu: plan.cpu - providerCpu, providerCpu, apiCpu };
  process.stderr.write(
    `  plan in ${path.basename(dir)}${bundle ? " (baseline provider)" : ""}: ${describePlan(run)}\n`,
  );
  return run;
}

/** The launchers append two `times` lines each (the shell's own, then node's): sum the second ones. */
function providerSeconds(log: string): number {
  const lines = log.trim().split("\n").filter(Boolean);
  let sum = 0;
  for (let i = 1; i < lines.length; i += 2) sum += lineSeconds(lines[i] ?? "");
  return sum;
}

/**
 * The mirror's launcher, replaced for the benchmark: it runs the bundle in BENCH_PROVIDER_BUNDLE
 * (default this build's) and appends node's CPU time to BENCH_PROVIDER_TIMES when that is set.
 */
function benchLauncher(bundle: string): string {
  // Without BENCH_PROVIDER_TIMES (the start-up rounds) node replaces the shell, so a signal to
  // the launcher reaches the provider itself.
  return `#!/bin/sh
bundle="\${BENCH_PROVIDER_BUNDLE:-${bundle}}"
if [ -z "$BENCH_PROVIDER_TIMES" ]; then exec "${process.execPath}" "$bundle" "$@"; fi
"${process.execPath}" "$bundle" "$@"
rc=$?
times >> "$BENCH_PROVIDER_TIMES"
exit $rc
`;
}

function must(run: Timed, what: string, codes = [0]): Timed {
  if (!codes.includes(run.code ?? -1))
    throw new Error(`${what} exited ${run.code}:\n${run.out.slice(-4000)}`);
  return run;
}

async function main(): Promise<void> {
  const loadAtStart = os.loadavg();
  const work = mkdtempSync(path.join(os.tmpdir(), "dnscove-bench-tf-"));
  let stopApi: (() => Promise<void>) | undefined;
  try {
    // 1. The provider as built from the current sources, laid out as a filesystem mirror.
    execFileSync(
      process.execPath,
      [path.join(providerDir, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.json"],
      {
        cwd: providerDir,
        stdio: "inherit",
      },
    );
    const { makeMirror, HOSTS } = (await import(path.join(providerDir, "scripts/make-mirror.mjs"))) as {
      makeMirror: (out: string) => Promise<{ mirrorDir: string; cliConfig: string }>;
      HOSTS: string[];
    };
    const { mirrorDir, cliConfig } = await makeMirror(path.join(work, "mirror"));
    const platform = `${process.platform}_${process.arch === "x64" ? "amd64" : process.arch}`;
    const launcherOf = (host: string) =>
      path.join(mirrorDir, host, "dnscove/dnscove/0.1.0", platform, "terraform-provider-dnscove_v0.1.0");
    const launcher = launcherOf("registry.terraform.io");
    const bundle = path.join(providerDir, "dist/bundle/provider.cjs");
    if (BASELINE_BUNDLE && !existsSync(BASELINE_BUNDLE)) throw new Error(`${BASELINE_BUNDLE} is missing`);
    for (const host of HOSTS) writeFileSync(launcherOf(host), benchLauncher(bundle));

    // 2. The real API with its embedded edge; a tenant-admin token.
    const dataDir = path.join(work, "data");
    const api = await startBenchApi({
      PORT: String(await freePort()),
      DNS_PORT: String(await freePort()),
      DNSCOVE_DATA_DIR: dataDir,
      LOG_LEVEL: "warn",
    });
    stopApi = api.stop;
    const session = await signIn(api.url, { label: "bench" });
    const minted = await post(`${api.url}/api/tokens`, { scope: "tenant-admin", name: "bench" }, session);
    const token = String(minted.token);

    // 3. Per size: init / apply / no-op plans / destroy, each size in its own workspace and zone.
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? os.tmpdir(),
      TF_CLI_CONFIG_FILE: cliConfig,
      CHECKPOINT_DISABLE: "1",
      TF_IN_AUTOMATION: "1",
      DNSCOVE_API: api.url,
      DNSCOVE_TOKEN: token,
    };
    const version = spawnSync(TERRAFORM, ["version"], { encoding: "utf8", env }).stdout.split("\n")[0];
    const sized: SizeResult[] = [];
    let starts = 0;
    for (const [index, count] of SIZES.entries()) {
      const dir = path.join(work, `ws-${count}`);
      execFileSync("mkdir", ["-p", dir]);
      writeFileSync(path.join(dir, "main.tf"), moduleText(`tf-bench-${count}.example`, count));
      const init = must(timeTerraform(dir, ["init"], env), "terraform init");
      const apply = must(timeTerraform(dir, ["apply", "-auto-approve"], env), "terraform apply");
      const added = /Resources: (\d+) added/.exec(apply.out)?.[1];
      if (Number(added) !== count + 1)
        throw new Error(`apply added ${added} resources:\n${apply.out.slice(-2000)}`);
      const plans: PlanRun[] = [];
      const baseline: PlanRun[] = [];
      for (let i = 0; i < PLAN_ROUNDS; i++) {
        // -detailed-exitcode: 0 = no changes; anything else means the refresh saw drift.
        if (BASELINE_BUNDLE) baseline.push(noOpPlan(dir, env, api.pid, BASELINE_BUNDLE));
        plans.push(noOpPlan(dir, env, api.pid));
      }
      if (index === 0) {
        // How many provider processes one plan starts (counted from Terraform's own debug log).
        const logPath = path.join(work, "tf-plan.log");
        must(
          timeTerraform(dir, ["plan", "-detailed-exitcode"], {
            ...env,
            TF_LOG: "debug",
            TF_LOG_PATH: logPath,
          }),
          "plan (log)",
        );
        starts = (
          readFileSync(logPath, "utf8").match(/plugin started: path=\S*terraform-provider-dnscove/g) ?? []
        ).length;
      }
      const destroy = must(timeTerraform(dir, ["destroy", "-auto-approve"], env), "terraform destroy");
      const result: SizeResult = {
        count,
        init: init.ms,
        apply: apply.ms,
        plans,
        baseline,
        destroy: destroy.ms,
      };
      process.stderr.write(
        `${count} rrsets: apply ${seconds(apply.ms)}, plans ${plans.map(describePlan).join("; ")}${
          baseline.length ? `, baseline plans ${baseline.map(describePlan).join("; ")}` : ""
        }, destroy ${seconds(destroy.ms)}\n`,
      );
      if (CORE) {
        const coreDir = path.join(work, `core-${count}`);
        execFileSync("mkdir", ["-p", coreDir]);
        writeFileSync(path.join(coreDir, "main.tf"), coreModuleText(`tf-bench-${count}.example`, count));
        must(timeTerraform(coreDir, ["init"], env), "terraform init (terraform_data)");
        const coreApply = must(
          timeTerraform(coreDir, ["apply", "-auto-approve"], env),
          "apply (terraform_data)",
        );
        const corePlans: PlanRun[] = [];
        for (let i = 0; i < PLAN_ROUNDS; i++) corePlans.push(noOpPlan(coreDir, env, undefined));
        result.core = { apply: coreApply.ms, plans: corePlans };
        process.stderr.write(
          `${count} terraform_data: apply ${seconds(coreApply.ms)}, plans ${corePlans.map(describePlan).join("; ")}\n`,
        );
      }
      sized.push(result);
      appendFileSync(path.join(os.tmpdir(), "dnscove-bench-terraform.log"), `${JSON.stringify(result)}\n`);
    }

    // 4. Provider start-up: launcher → handshake line, with AutoMTLS (as Terraform runs it) and without.
    const clientCert = clientCertificate(work);
    await startOnce(launcher, clientCert); // warm the file-system cache
    const mtls: number[] = [];
    const plain: number[] = [];
    for (let i = 0; i < STARTUP_ROUNDS; i++) {
      mtls.push(await startOnce(launcher, clientCert));
      plain.push(await startOnce(launcher, undefined));
    }

    const rows: string[][] = [];
    for (const size of sized) {
      const plan = medianMs(size.plans);
      rows.push(
        [`terraform init (filesystem mirror), ${size.count} rrsets`, seconds(size.init), ""],
        [
          `terraform apply: 1 zone + ${size.count} rrsets`,
          seconds(size.apply),
          size.count <= 200 ? target(size.apply, 30_000) : "",
        ],
        [
          `no-op terraform plan, ${size.count} rrsets (median of ${PLAN_ROUNDS}: ${size.plans.map((p) => (p.ms / 1000).toFixed(2)).join(", ")})`,
          seconds(plan),
          size.count >= 2000 ? target(plan, 15_000) : size.count <= 200 ? target(plan, 10_000) : "",
        ],
        [`… its CPU: Terraform / provider processes / API (medians)`, cpuSplit(size.plans), ""],
      );
      if (size.baseline.length > 0) {
        rows.push(
          [
            `no-op plan, ${size.count} rrsets, baseline provider (interleaved; ${size.baseline.map((p) => (p.ms / 1000).toFixed(2)).join(", ")})`,
            seconds(medianMs(size.baseline)),
            "",
          ],
          [`… its CPU: Terraform / provider processes / API (medians)`, cpuSplit(size.baseline), ""],
        );
      }
      if (size.core) {
        rows.push(
          [`terraform_data (Terraform core alone): apply 1 + ${size.count}`, seconds(size.core.apply), ""],
          [
            `terraform_data no-op plan, ${size.count} instances (${size.core.plans.map((p) => (p.ms / 1000).toFixed(2)).join(", ")})`,
            seconds(medianMs(size.core.plans)),
            "",
          ],
          [`… its CPU: Terraform`, `${median(size.core.plans.map((p) => p.terraformCpu)).toFixed(1)} s`, ""],
        );
      }
      rows.push([`terraform destroy (${size.count + 1} resources)`, seconds(size.destroy), ""]);
    }
    // Growth: issue 14 wants no-op plan time linear in the number of rrsets (400/100 ≤ 5).
    const base = sized[0];
    if (base) {
      for (const size of sized.slice(1)) {
        const ratio = medianMs(size.plans) / medianMs(base.plans);
        const limit = (size.count / base.count) * 1.25;
        rows.push([
          `no-op plan ratio ${size.count}/${base.count} (rrsets ×${size.count / base.count})`,
          `${ratio.toFixed(2)}`,
          `≤ ${limit} ${ratio <= limit ? "✓" : "✗"}`,
        ]);
        if (size.core && base.core) {
          // The same ratio for Terraform core alone: how much of the growth is Terraform's own.
          const cpu = (runs: PlanRun[]) => median(runs.map((r) => r.terraformCpu));
          rows.push([
            `terraform_data no-op plan ratio ${size.count}/${base.count}: wall, Terraform CPU`,
            `${(medianMs(size.core.plans) / medianMs(base.core.plans)).toFixed(2)}, ${(cpu(size.core.plans) / cpu(base.core.plans)).toFixed(2)}`,
            "",
          ]);
        }
      }
    }
    rows.push(
      [
        `provider start-up to handshake, AutoMTLS (median of ${STARTUP_ROUNDS}; min ${Math.min(...mtls).toFixed(0)} / max ${Math.max(...mtls).toFixed(0)} ms)`,
        `${median(mtls).toFixed(0)} ms`,
        "",
      ],
      [
        `provider start-up to handshake, no TLS (median of ${STARTUP_ROUNDS})`,
        `${median(plain).toFixed(0)} ms`,
        "",
      ],
      ["provider processes started by one plan", String(starts), ""],
    );
    process.stdout.write(
      `\n${version}, rrsets written as ${FORM}, Node ${process.version}, ${os.cpus()[0]?.model ?? "cpu"} × ${os.cpus().length}\n\n` +
        `load average (1 / 5 / 15 min) at start ${loadAtStart.map((l) => l.toFixed(1)).join(" / ")}, at the end ${os
          .loadavg()
          .map((l) => l.toFixed(1))
          .join(" / ")}\n\n` +
        "| measurement | time | target |\n|---|---|---|\n" +
        rows.map((r) => `| ${r.join(" | ")} |`).join("\n") +
        "\n",
    );
  } finally {
    await stopApi?.();
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
