/**
 * Terraform provider start-up (first-hour friction #5): the provider's time from launch to the
 * go-plugin handshake line (with AutoMTLS, as Terraform runs it) and the wall time of a no-op
 * `terraform plan` of examples/terraform (1 zone, 3 rrsets, 1 token, 2 data sources; Terraform
 * starts the provider 3 times per plan). With BASELINE_LAUNCHER=<executable> another build (e.g.
 * an older checkout's `node …/dist/main.js` launcher) is measured in the same run, the two
 * interleaved round by round so machine load hits both alike.
 *
 * Usage: pnpm --filter @dnscove/bench bench:terraform-launch
 *   env: TERRAFORM_BIN (default terraform on PATH), BENCH_ROUNDS (5), BASELINE_LAUNCHER (none)
 */
import { spawnSync } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { freePort, signIn } from "@dnscove/testkit";
import { median, post, startBenchApi } from "./lib.js";
import { clientCertificate, startOnce } from "./provider-launch.js";

const TERRAFORM = process.env.TERRAFORM_BIN ?? "terraform";
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const BASELINE = process.env.BASELINE_LAUNCHER;

const repoRoot = fileURLToPath(new URL("../", import.meta.url));
const providerDir = path.join(repoRoot, "packages/iac/terraform-provider");

function timePlan(dir: string, env: NodeJS.ProcessEnv): number {
  const started = performance.now();
  const run = spawnSync(TERRAFORM, ["plan", "-detailed-exitcode", "-no-color", "-input=false"], {
    cwd: dir,
    env,
    encoding: "utf8",
  });
  const ms = performance.now() - started;
  if (run.status !== 0) throw new Error(`no-op plan exited ${run.status}:\n${run.stdout}${run.stderr}`);
  return ms;
}

interface Subject {
  label: string;
  launcher: string;
  cliConfig: string;
  dir: string;
  token: string;
  starts: number[];
  plans: number[];
}

/** A filesystem mirror whose provider entry is `launcher`, plus its CLI config. */
function mirrorOf(root: string, launcher: string): string {
  const platform = `${process.platform}_${process.arch === "x64" ? "amd64" : process.arch}`;
  const dir = path.join(root, "providers/registry.terraform.io/dnscove/dnscove/0.1.0", platform);
  mkdirSync(dir, { recursive: true });
  copyFileSync(launcher, path.join(dir, "terraform-provider-dnscove_v0.1.0"));
  chmodSync(path.join(dir, "terraform-provider-dnscove_v0.1.0"), 0o755);
  const config = path.join(root, "terraformrc");
  writeFileSync(
    config,
    `provider_installation {\n  filesystem_mirror {\n    path = ${JSON.stringify(path.join(root, "providers"))}\n    include = ["registry.terraform.io/dnscove/*"]\n  }\n  direct { exclude = ["registry.terraform.io/dnscove/*"] }\n}\n`,
  );
  return config;
}

async function main(): Promise<void> {
  const work = mkdtempSync(path.join(os.tmpdir(), "dnscove-bench-tf-launch-"));
  let stopApi: (() => Promise<void>) | undefined;
  try {
    const { makeMirror } = (await import(path.join(providerDir, "scripts/make-mirror.mjs"))) as {
      makeMirror: (out: string) => Promise<{ mirrorDir: string; cliConfig: string }>;
    };
    const { mirrorDir } = await makeMirror(path.join(work, "mirror"));
    const platform = `${process.platform}_${process.arch === "x64" ? "amd64" : process.arch}`;
    const current = path.join(
      mirrorDir,
      "registry.terraform.io/dnscove/dnscove/0.1.0",
      platform,
      "terraform-provider-dnscove_v0.1.0",
    );
    const api = await startBenchApi({
      PORT: String(await freePort()),
      DNS_PORT: String(await freePort()),
      DNSCOVE_DATA_DIR: path.join(work, "data"),
      LOG_LEVEL: "warn",
    });
    stopApi = api.stop;
    // One tenant per subject: examples/terraform lists the tenant's zones (data.dnscove_zones).
    const tenantToken = async () => {
      const session = await signIn(api.url);
      return String(
        (await post(`${api.url}/api/tokens`, { scope: "tenant-admin", name: "bench" }, session)).token,
      );
    };

    const clientCert = clientCertificate(work);

    const subjects: Subject[] = [];
    for (const [label, launcher] of [
      ["this checkout", current],
      ...(BASELINE ? [["baseline", BASELINE]] : []),
    ] as [string, string][]) {
      const root = path.join(work, label.replace(/\W+/g, "-"));
      const dir = path.join(root, "ws");
      mkdirSync(dir, { recursive: true });
      copyFileSync(path.join(repoRoot, "examples/terraform/main.tf"), path.join(dir, "main.tf"));
      subjects.push({
        label,
        launcher,
        cliConfig: mirrorOf(root, launcher),
        dir,
        token: await tenantToken(),
        starts: [],
        plans: [],
      });
    }
    const envOf = (s: Subject): NodeJS.ProcessEnv => ({
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? os.tmpdir(),
      TF_CLI_CONFIG_FILE: s.cliConfig,
      CHECKPOINT_DISABLE: "1",
      TF_IN_AUTOMATION: "1",
      DNSCOVE_API: api.url,
      DNSCOVE_TOKEN: s.token,
    });
    // One zone per subject: examples/terraform's origin, renamed so the two states do not collide.
    for (const [i, s] of subjects.entries()) {
      const file = path.join(s.dir, "main.tf");
      writeFileSync(file, readFileSync(file, "utf8").replaceAll("example.org", `launch${i}.example.org`));
      for (const args of [["init"], ["apply", "-auto-approve"]]) {
        const run = spawnSync(TERRAFORM, [...args, "-no-color", "-input=false"], {
          cwd: s.dir,
          env: envOf(s),
          encoding: "utf8",
        });
        if (run.status !== 0)
          throw new Error(`${s.label}: terraform ${args[0]} failed:\n${run.stdout}${run.stderr}`);
      }
      await startOnce(s.launcher, clientCert); // warm the file-system cache
    }
    for (let round = 0; round < ROUNDS; round++) {
      for (const s of subjects) {
        s.starts.push(await startOnce(s.launcher, clientCert));
        s.plans.push(timePlan(s.dir, envOf(s)));
      }
    }
    for (const s of subjects) {
      spawnSync(TERRAFORM, ["destroy", "-auto-approve", "-no-color", "-input=false"], {
        cwd: s.dir,
        env: envOf(s),
      });
    }

    const version = spawnSync(TERRAFORM, ["version"], { encoding: "utf8" }).stdout.split("\n")[0];
    const load = os.loadavg()[0]?.toFixed(1);
    const fmt = (values: number[]) =>
      `${median(values).toFixed(0)} ms (${values.map((v) => (v / 1000).toFixed(2)).join(", ")} s)`;
    process.stdout.write(
      `\n${version}, Node ${process.version}, ${os.cpus().length} cores, load average ${load}, ${ROUNDS} interleaved rounds\n\n` +
        "| provider | start-up to handshake (AutoMTLS), median | no-op plan of examples/terraform, median |\n|---|---|---|\n" +
        subjects.map((s) => `| ${s.label} | ${fmt(s.starts)} | ${fmt(s.plans)} |`).join("\n") +
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
