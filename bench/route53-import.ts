/**
 * Route53 import time (issues 5 and 14): a synthetic `aws route53 list-resource-record-sets` export
 * (testkit's `route53Export`, A/AAAA/TXT/MX) imported through the API of the embedded default
 * (SQLite), published before the answer (the edge serves serial 1).
 * Usage: pnpm --filter @dnscove/bench bench:import
 *   BENCH_RRSETS (default 10,000), BENCH_ROUNDS (default 5);
 *   BENCH_BODY=json|export|both (default both): the export as text in `json` (parsed twice: the
 *   body, then the text) or as the object itself in `export` (parsed once); both: each round, each;
 *   BENCH_BASELINE_MAIN=<another build's apps/api/dist/src/main.js>: that API is measured in the
 *   same run, round by round alternating with this checkout's, for a side-by-side ratio (with the
 *   `json` body only when that build predates `export`: BENCH_BASELINE_BODY=json|export|both,
 *   default json).
 * Besides the wall time of each import, the API process's own CPU time (user + system, not the
 * edge workers) during it: on a shared, loaded machine it moves much less than the wall time.
 * The import route's body limit is DNSCOVE_MAX_IMPORT_BYTES (default 64 MiB): a 100,000-rrset export
 * (11 MB compact, 27 MB as the aws CLI pretty-prints it) fits the default; nothing is raised here.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { type ApiProcess, freePort, route53Export, signIn, startApiProcess } from "@dnscove/testkit";
import { apiMain, median, processCpuMs } from "./lib.js";

type Body = "json" | "export";

const RRSETS = Number(process.env.BENCH_RRSETS ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const BASELINE = process.env.BENCH_BASELINE_MAIN;

function bodies(setting: string | undefined, fallback: string): Body[] {
  const value = setting ?? fallback;
  if (value === "both") return ["json", "export"];
  if (value === "json" || value === "export") return [value];
  throw new Error(`BENCH_BODY / BENCH_BASELINE_BODY: json, export or both, not ${value}`);
}

interface Target {
  label: string;
  main: string;
  body: Body;
  dir: string;
  api?: ApiProcess;
  session?: string;
  times: number[];
  cpu: number[];
}

const targets: Target[] = [
  ...(BASELINE
    ? bodies(process.env.BENCH_BASELINE_BODY, "json").map((body) => ({
        label: `baseline, ${body}`,
        main: BASELINE,
        body,
      }))
    : []),
  ...bodies(process.env.BENCH_BODY, "both").map((body) => ({
    label: `this checkout, ${body}`,
    main: apiMain,
    body,
  })),
].map((t) => ({
  ...t,
  dir: mkdtempSync(path.join(os.tmpdir(), "dnscove-bench-import-")),
  times: [],
  cpu: [],
}));

/** The request body, serialised before the clock starts: the client's work is not the API's. */
function requestBody(body: Body, json: string): string {
  return body === "json" ? JSON.stringify({ json }) : `{"export":${json}}`;
}

async function importOnce(target: Target, text: string): Promise<void> {
  const pid = target.api?.pid;
  if (pid === undefined) throw new Error(`${target.label}: no process id`);
  const cpuBefore = processCpuMs(pid);
  const started = performance.now();
  const response = await fetch(`${target.api?.url}/api/import/route53`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${target.session}` },
    body: text,
  });
  const result = (await response.json()) as Record<string, unknown>;
  target.times.push(performance.now() - started);
  target.cpu.push(processCpuMs(pid) - cpuBefore);
  if (response.status !== 201 || result.imported !== RRSETS || result.published !== true)
    throw new Error(
      `${target.label}: unexpected ${response.status}: ${JSON.stringify(result).slice(0, 300)}`,
    );
}

let size = 0;
try {
  for (const target of targets) {
    target.api = await startApiProcess(
      target.main,
      { PORT: String(await freePort()), DNS_PORT: String(await freePort()), DNSCOVE_DATA_DIR: target.dir },
      { inheritEnv: true },
    );
    target.session = await signIn(target.api.url, { label: "bench" });
  }
  for (let round = 0; round < ROUNDS; round++) {
    const json = route53Export(`import${round}.example`, RRSETS);
    size = json.length;
    for (const target of targets) await importOnce(target, requestBody(target.body, json));
  }
} finally {
  for (const target of targets) {
    await target.api?.stop();
    rmSync(target.dir, { recursive: true, force: true });
  }
}
const [load1, load5] = os.loadavg();
console.log(
  `\nRoute53 import, embedded default (SQLite), ${os.cpus().length} cores, load average ${load1?.toFixed(1)} (1 min) / ${load5?.toFixed(1)} (5 min) at the end\n`,
);
console.log(
  "| code, body | rrsets | export size | rounds | median s | min s | max s | API CPU median s | rounds s |",
);
console.log("|---|---|---|---|---|---|---|---|---|");
const s = (ms: number) => (ms / 1000).toFixed(2);
for (const { label, times, cpu } of targets) {
  console.log(
    `| ${label} | ${RRSETS.toLocaleString("en")} | ${(size / 1e6).toFixed(1)} MB | ${ROUNDS} | ${s(median(times))} | ${s(Math.min(...times))} | ${s(Math.max(...times))} | ${s(median(cpu))} | ${times.map(s).join(" / ")} |`,
  );
}
const baseline = targets.find((t) => t.main === BASELINE);
if (BASELINE && baseline) {
  console.log("");
  for (const current of targets.filter((t) => t.main !== BASELINE)) {
    console.log(
      `median ${baseline.label} / ${current.label}: wall ${(median(baseline.times) / median(current.times)).toFixed(2)}, API CPU ${(median(baseline.cpu) / median(current.cpu)).toFixed(2)}`,
    );
  }
}
