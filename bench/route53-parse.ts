/**
 * Route53 export parse alone (issue 14), in this process: `parseRoute53Export` of the built API on
 * testkit's `route53Export`, wall and CPU time (`process.cpuUsage`, less sensitive to a loaded
 * machine than wall time). With BENCH_BASELINE_PARSER (another build's
 * `apps/api/dist/src/domain/imports/parse-route53-export.js`) both run interleaved round by round and
 * their outputs must be identical.
 * Usage: BENCH_RRSETS=100000 BENCH_ROUNDS=5 pnpm --filter @dnscove/bench bench:import-parse
 */
import os from "node:os";
import { route53Export } from "@dnscove/testkit";
import { median } from "./lib.js";

type Parse = (text: string) => unknown;
const RRSETS = Number(process.env.BENCH_RRSETS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const BASELINE = process.env.BENCH_BASELINE_PARSER;

const load = async (file: string) =>
  ((await import(file)) as { parseRoute53Export: Parse }).parseRoute53Export;
const parsers: { label: string; parse: Parse; wall: number[]; cpu: number[] }[] = [
  ...(BASELINE ? [{ label: `baseline (${BASELINE})`, parse: await load(BASELINE) }] : []),
  {
    label: "this checkout",
    parse: await load(
      new URL("../apps/api/dist/src/domain/imports/parse-route53-export.js", import.meta.url).href,
    ),
  },
].map((p) => ({ ...p, wall: [], cpu: [] }));

const json = route53Export("import.example", RRSETS);
const outputs = new Set(parsers.map((p) => JSON.stringify(p.parse(json))));
if (outputs.size !== 1) throw new Error("the parsers' outputs differ");
for (let round = 0; round < ROUNDS; round++) {
  for (const p of parsers) {
    const cpu = process.cpuUsage();
    const started = performance.now();
    p.parse(json);
    p.wall.push(performance.now() - started);
    const used = process.cpuUsage(cpu);
    p.cpu.push((used.user + used.system) / 1000);
  }
}
const [load1] = os.loadavg();
console.log(
  `\nRoute53 parse, ${RRSETS.toLocaleString("en")} rrsets (${(json.length / 1e6).toFixed(1)} MB), ${ROUNDS} rounds, load average ${load1?.toFixed(1)}\n`,
);
console.log("| code | wall median ms | CPU median ms | records/s (CPU) | wall rounds ms |");
console.log("|---|---|---|---|---|");
for (const p of parsers) {
  const cpu = median(p.cpu);
  console.log(
    `| ${p.label} | ${median(p.wall).toFixed(0)} | ${cpu.toFixed(0)} | ${Math.round(RRSETS / (cpu / 1000)).toLocaleString("en")} | ${p.wall.map((t) => t.toFixed(0)).join(" / ")} |`,
  );
}
const [base, current] = parsers;
if (BASELINE && base && current) {
  console.log(
    `\nmedian baseline / this checkout: wall ${(median(base.wall) / median(current.wall)).toFixed(2)}, CPU ${(median(base.cpu) / median(current.cpu)).toFixed(2)}`,
  );
}
