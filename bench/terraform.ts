/**
 * Terraform provider timings (dnscove/dnscove, TypeScript, tfplugin6): for each size in
 * BENCH_RRSETS, wall time of `terraform apply` creating one zone with that many rrsets, of the
 * following no-op plans (median of BENCH_PLAN_ROUNDS) and of the destroy; then how no-op plan time
 * grows with the size (issue 14: 400/100 ≤ 5, i.e. linear; 2,000 rrsets in ≤ 15 s), plus the
 * provider's start-up time per process (Terraform starts several per command).
 * Targets: apply of 200 < 30 s, no-op plan of 200 < 10 s, no-op plan of 2,000 ≤ 15 s.
 *
 * Usage: pnpm --filter @dnscove/bench bench:terraform
 *   env: TERRAFORM_BIN (default terraform on PATH), BENCH_RRSETS (comma list, "100,400,2000"),
 *        BENCH_PLAN_ROUNDS (3), BENCH_STARTUP_ROUNDS (10)
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
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

const providerDir = fileURLToPath(new URL("../packages/iac/terraform-provider/", import.meta.url));

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

function moduleText(origin: string, count: number): string {
  const lines = [
    `terraform {
  required_providers {
    dnscove = { source = "dnscove/dnscove", version = "0.1.0" }
  }
}
provider "dnscove" {}
resource "dnscove_zone" "bench" {
  origin = "${origin}"
}
locals {
  # range() stops at 1,024 values: number the hosts in blocks of 1,000.
  hosts = merge([for hi in range(${Math.ceil(count / 1000)}) : {
    for lo in range(1000) : format("host%04d", hi * 1000 + lo) => hi * 1000 + lo if hi * 1000 + lo < ${count}
  }]...)
}
resource "dnscove_rrset" "host" {
  for_each = local.hosts
  zone_id  = dnscove_zone.bench.id
  name     = each.key
  type     = each.value % 3 == 0 ? "AAAA" : (each.value % 3 == 1 ? "A" : "TXT")
  ttl      = 300
  records = (each.value % 3 == 0 ? [format("2001:db8::%x", each.value + 1)]
    : each.value % 3 == 1 ? [format("192.0.2.%d", each.value % 250 + 1), format("198.51.100.%d", each.value % 250 + 1)]
  : [format("bench record %d", each.value)])
}
`,
  ];
  return lines.join("\n");
}

interface SizeResult {
  count: number;
  init: number;
  apply: number;
  plans: number[];
  destroy: number;
}

function target(ms: number, limit: number): string {
  return ms < limit ? `< ${limit / 1000} s ✓` : `< ${limit / 1000} s ✗`;
}

interface Timed {
  ms: number;
  code: number | null;
  out: string;
}

function timeTerraform(dir: string, args: string[], env: NodeJS.ProcessEnv): Timed {
  const started = performance.now();
  const result = spawnSync(TERRAFORM, [...args, "-no-color", "-input=false"], {
    cwd: dir,
    env,
    encoding: "utf8",
    maxBuffer: 64 << 20,
    timeout: 600_000,
  });
  const ms = performance.now() - started;
  if (result.error) throw result.error;
  return { ms, code: result.status, out: `${result.stdout}\n${result.stderr}` };
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
    const { makeMirror } = (await import(path.join(providerDir, "scripts/make-mirror.mjs"))) as {
      makeMirror: (out: string) => Promise<{ mirrorDir: string; cliConfig: string }>;
    };
    const { mirrorDir, cliConfig } = await makeMirror(path.join(work, "mirror"));
    const platform = `${process.platform}_${process.arch === "x64" ? "amd64" : process.arch}`;
    const launcher = path.join(
      mirrorDir,
      "registry.terraform.io/dnscove/dnscove/0.1.0",
      platform,
      "terraform-provider-dnscove_v0.1.0",
    );

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
      const plans: number[] = [];
      for (let i = 0; i < PLAN_ROUNDS; i++) {
        const plan = must(timeTerraform(dir, ["plan", "-detailed-exitcode"], env), "no-op plan");
        // -detailed-exitcode: 0 = no changes; anything else means the refresh saw drift.
        plans.push(plan.ms);
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
      sized.push({ count, init: init.ms, apply: apply.ms, plans, destroy: destroy.ms });
      process.stderr.write(
        `${count} rrsets: apply ${seconds(apply.ms)}, plans ${plans.map(seconds).join(", ")}, destroy ${seconds(destroy.ms)}\n`,
      );
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
      const plan = median(size.plans);
      rows.push(
        [`terraform init (filesystem mirror), ${size.count} rrsets`, seconds(size.init), ""],
        [
          `terraform apply: 1 zone + ${size.count} rrsets`,
          seconds(size.apply),
          size.count <= 200 ? target(size.apply, 30_000) : "",
        ],
        [
          `no-op terraform plan, ${size.count} rrsets (median of ${PLAN_ROUNDS}: ${size.plans.map((p) => (p / 1000).toFixed(2)).join(", ")})`,
          seconds(plan),
          size.count >= 2000 ? target(plan, 15_000) : size.count <= 200 ? target(plan, 10_000) : "",
        ],
        [`terraform destroy (${size.count + 1} resources)`, seconds(size.destroy), ""],
      );
    }
    // Growth: issue 14 wants no-op plan time linear in the number of rrsets (400/100 ≤ 5).
    const base = sized[0];
    if (base) {
      for (const size of sized.slice(1)) {
        const ratio = median(size.plans) / median(base.plans);
        const limit = (size.count / base.count) * 1.25;
        rows.push([
          `no-op plan ratio ${size.count}/${base.count} (rrsets ×${size.count / base.count})`,
          `${ratio.toFixed(2)}`,
          `≤ ${limit} ${ratio <= limit ? "✓" : "✗"}`,
        ]);
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
      `\n${version}, Node ${process.version}, ${os.cpus()[0]?.model ?? "cpu"} × ${os.cpus().length}\n\n` +
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
