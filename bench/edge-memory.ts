/**
 * Edge zone load time and memory per zone size. Usage: pnpm --filter @dnscove/bench bench:edge-memory
 * (needs apps/edge/dist: `pnpm --filter @dnscove/edge build`).
 *
 * Every measurement runs in its own child Node process started with --expose-gc, so heap and RSS
 * start from the same place and one size cannot leave garbage or RSS behind for the next.
 *
 *  (a) Load time, EDGE_MEM_LOAD_RRSETS rrsets (default 100,000), the same zone as edge-qps.ts:
 *      - cold load: `new ZoneSet().put(...)` on a freshly JSON.parse'd snapshot, EDGE_MEM_LOADS
 *        times (default 5, a new ZoneSet each time; gc before each). JSON.parse is timed apart.
 *      - reload: `put` of the same zone id with serial + 1 and one rrset changed, into a ZoneSet
 *        that holds the previous serial (a full re-index: one-rrset changes go through ZoneSet.apply). Alternates
 *        between two snapshots that differ in one rrset, EDGE_MEM_LOADS times.
 *  (b) Memory and cold load, for each size in EDGE_MEM_SIZES (default "10000,100000,1000000";
 *      EDGE_MEM_SKIP_1M=1 drops sizes of 1,000,000 and more), EDGE_MEM_REPEAT fresh children per
 *      size (default 3; medians): one cold load (wall and CPU time), and after gc the heap,
 *      external and RSS growth of
 *      - the decoded snapshot alone (JSON.parse of its text; the text stays alive throughout and is
 *        part of the baseline),
 *      - the snapshot plus the loaded zone,
 *      - the loaded zone alone once the snapshot is dropped (what a serving edge keeps; it shares
 *        the record strings and arrays with the snapshot),
 *      per record, plus the child's peak RSS.
 * Default run time: several minutes (three 1,000,000-rrset children).
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { type BenchSnapshot, buildSnapshot, median, recordCount } from "./edge-zone.js";

const edgeDist = fileURLToPath(new URL("../apps/edge/dist/src/index.js", import.meta.url));
const self = fileURLToPath(import.meta.url);
const MB = 1024 * 1024;

const LOAD_RRSETS = Number(process.env.EDGE_MEM_LOAD_RRSETS ?? 100_000);
const LOADS = Number(process.env.EDGE_MEM_LOADS ?? 5);
/** Fresh child processes per zone size for the memory and cold-load table (medians are shown). */
const REPEAT = Number(process.env.EDGE_MEM_REPEAT ?? 3);
const SIZES = (process.env.EDGE_MEM_SIZES ?? "10000,100000,1000000")
  .split(",")
  .map(Number)
  .filter((n) => n > 0 && !(process.env.EDGE_MEM_SKIP_1M === "1" && n >= 1_000_000));

interface LoadResult {
  rrsets: number;
  records: number;
  textMB: number;
  parseMs: number[];
  coldMs: number[];
  reloadParseMs: number[];
  reloadMs: number[];
}

interface MemSample {
  heapUsed: number;
  rss: number;
  external: number;
  arrayBuffers: number;
}

interface MemResult {
  rrsets: number;
  records: number;
  textMB: number;
  parseMs: number;
  loadMs: number;
  /** CPU time (user + system) of the load: less sensitive than wall time to other processes. */
  loadCpuMs: number;
  base: MemSample;
  snapshot: MemSample;
  both: MemSample;
  zone: MemSample;
  peakRssMB: number;
}

// ---------------------------------------------------------------- child side

function gcFully(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error("run with --expose-gc");
  for (let i = 0; i < 4; i++) gc();
}

function memNow(): MemSample {
  gcFully();
  const m = process.memoryUsage();
  return { heapUsed: m.heapUsed, rss: m.rss, external: m.external, arrayBuffers: m.arrayBuffers };
}

async function childLoad(): Promise<LoadResult> {
  const { ZoneSet } = await import("../apps/edge/dist/src/index.js");
  const base = buildSnapshot(LOAD_RRSETS, 1);
  const text = JSON.stringify(base);
  // Two more serials, each differing from the other in exactly one rrset (and the SOA serial).
  const changed = base.rrsets.findIndex((rs) => rs.type === "A" && rs.name.startsWith("h"));
  const variant = (serial: number, address: string): string => {
    const copy: BenchSnapshot = { ...base, serial, rrsets: [...base.rrsets] };
    const rs = copy.rrsets[changed];
    if (rs) copy.rrsets[changed] = { ...rs, records: [address] };
    return JSON.stringify(copy);
  };
  const variants = [variant(2, "192.0.2.201"), variant(3, "192.0.2.202")];

  const result: LoadResult = {
    rrsets: base.rrsets.length,
    records: recordCount(base),
    textMB: text.length / MB,
    parseMs: [],
    coldMs: [],
    reloadParseMs: [],
    reloadMs: [],
  };
  for (let i = 0; i < LOADS; i++) {
    gcFully();
    let t0 = performance.now();
    const snapshot = JSON.parse(text);
    result.parseMs.push(performance.now() - t0);
    const zones = new ZoneSet();
    t0 = performance.now();
    zones.put("bench", snapshot);
    result.coldMs.push(performance.now() - t0);
  }
  const zones = new ZoneSet();
  zones.put("bench", JSON.parse(text));
  for (let i = 0; i < LOADS; i++) {
    gcFully();
    let t0 = performance.now();
    const snapshot = JSON.parse(variants[i % 2] as string);
    result.reloadParseMs.push(performance.now() - t0);
    t0 = performance.now();
    const zone = zones.put("bench", snapshot);
    result.reloadMs.push(performance.now() - t0);
    if (zone.serial !== 2 + (i % 2)) throw new Error(`reload gave serial ${zone.serial}`);
  }
  return result;
}

async function childMemory(rrsets: number): Promise<MemResult> {
  const { ZoneSet } = await import("../apps/edge/dist/src/index.js");
  const built = buildSnapshot(rrsets, 1);
  const records = recordCount(built);
  const text = JSON.stringify(built);
  const rrsetCount = built.rrsets.length;
  built.rrsets.length = 0; // only the text stays, as in the edge's snapshot sync
  const base = memNow();
  let t0 = performance.now();
  let snapshot: BenchSnapshot | undefined = JSON.parse(text);
  const parseMs = performance.now() - t0;
  const afterParse = memNow();
  const zones = new ZoneSet();
  const cpu0 = process.cpuUsage();
  t0 = performance.now();
  zones.put("bench", snapshot as BenchSnapshot);
  const loadMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const loadCpuMs = (cpu.user + cpu.system) / 1000;
  const both = memNow();
  snapshot = undefined;
  const zoneOnly = memNow();
  if (zones.get("bench")?.rrsetCount !== rrsetCount) throw new Error("zone lost rrsets");
  if (text.length === 0) throw new Error("unreachable: keeps the text alive up to here");
  return {
    rrsets: rrsetCount,
    records,
    textMB: text.length / MB,
    parseMs,
    loadMs,
    loadCpuMs,
    base,
    snapshot: afterParse,
    both,
    zone: zoneOnly,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
  };
}

// ---------------------------------------------------------------- parent side

function heapLimitMB(): number {
  return Math.max(2048, Math.min(8192, Math.floor((os.totalmem() / MB) * 0.6)));
}

function runChild<T>(args: string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        "--expose-gc",
        `--max-old-space-size=${heapLimitMB()}`,
        "--import",
        import.meta.resolve("tsx"),
        self,
        ...args,
      ],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    let out = "";
    child.stdout.on("data", (c) => {
      out += String(c);
    });
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (code !== 0)
        return reject(new Error(`child ${args.join(" ")} failed: code ${code} signal ${signal}`));
      const last = out.trim().split("\n").pop() ?? "";
      resolve(JSON.parse(last) as T);
    });
  });
}

function fmt(n: number, digits = 0): string {
  if (!Number.isFinite(n)) return "n/a";
  return n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

const ms = (values: number[]): string =>
  `${fmt(median(values))} | ${fmt(Math.min(...values))}–${fmt(Math.max(...values))}`;

async function parent(): Promise<void> {
  if (!existsSync(edgeDist)) throw new Error(`${edgeDist} is missing: run pnpm --filter @dnscove/edge build`);
  const started = performance.now();
  console.error(`load times: ${fmt(LOAD_RRSETS)} rrsets, ${LOADS} loads ...`);
  const load = await runChild<LoadResult>(["load"]);
  const mem: MemResult[][] = [];
  for (const size of SIZES) {
    const runs: MemResult[] = [];
    for (let i = 0; i < REPEAT; i++) {
      console.error(`memory and cold load: ${fmt(size)} rrsets, child ${i + 1} of ${REPEAT} ...`);
      runs.push(await runChild<MemResult>(["memory", String(size)]));
    }
    mem.push(runs);
  }

  console.log(
    `\n## Edge zone load time, ${fmt(load.rrsets)} rrsets (${fmt(load.records)} records, snapshot JSON ${fmt(load.textMB, 1)} MB)\n`,
  );
  console.log(
    `Node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? "?"}). ${LOADS} runs each, one child process, gc before each run.\n`,
  );
  console.log("| step | median ms | min–max ms |");
  console.log("|---|---:|---|");
  console.log(`| JSON.parse of the snapshot text | ${ms(load.parseMs)} |`);
  console.log(`| cold load: new ZoneSet().put | ${ms(load.coldMs)} |`);
  console.log(`| JSON.parse of the next serial | ${ms(load.reloadParseMs)} |`);
  console.log(`| reload: put, serial + 1, one rrset changed (a full re-index) | ${ms(load.reloadMs)} |`);
  console.log(
    `\nReload / cold load (medians): ${fmt(median(load.reloadMs) / median(load.coldMs), 2)}. ` +
      `Cold load rate: ${fmt(load.rrsets / (median(load.coldMs) / 1000))} rrsets/s.`,
  );

  console.log(
    `\n## Edge memory and cold load per zone size (${REPEAT} fresh child processes per size, medians, after gc)\n`,
  );
  console.log(
    "Heap = process.memoryUsage().heapUsed growth over a baseline taken with the snapshot's JSON text alive; " +
      "external = the same for memory outside the V8 heap (the zone's typed-array columns and RDATA buffer live there), " +
      "so heap + external is what the zone costs. RSS growth is an upper bound (RSS does not shrink after gc). " +
      "Load CPU ms = user + system CPU time of the load, less sensitive than wall time to other processes.\n",
  );
  console.log(
    "| rrsets | records | JSON MB | parse ms | cold load ms | cold load CPU ms | heap: zone MB | external: zone MB | heap bytes/record | heap + external bytes/record | RSS bytes/record | peak RSS MB |",
  );
  console.log("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
  for (const runs of mem) {
    const r = runs[0] as MemResult;
    const med = (f: (x: MemResult) => number): number => median(runs.map(f));
    const d = (x: MemResult, k: keyof MemSample) => x.zone[k] - x.base[k];
    console.log(
      `| ${fmt(r.rrsets)} | ${fmt(r.records)} | ${fmt(r.textMB, 1)} | ${fmt(med((x) => x.parseMs))} | ` +
        `${fmt(med((x) => x.loadMs))} | ${fmt(med((x) => x.loadCpuMs))} | ` +
        `${fmt(med((x) => d(x, "heapUsed")) / MB, 1)} | ${fmt(med((x) => d(x, "external")) / MB, 1)} | ` +
        `${fmt(med((x) => d(x, "heapUsed") / x.records))} | ` +
        `${fmt(med((x) => (d(x, "heapUsed") + d(x, "external")) / x.records))} | ` +
        `${fmt(med((x) => d(x, "rss") / x.records))} | ${fmt(med((x) => x.peakRssMB))} |`,
    );
  }
  console.error(`total ${fmt((performance.now() - started) / 1000)} s`);
}

const [mode, arg] = process.argv.slice(2);
if (mode === "load") {
  process.stdout.write(`${JSON.stringify(await childLoad())}\n`);
} else if (mode === "memory") {
  process.stdout.write(`${JSON.stringify(await childMemory(Number(arg)))}\n`);
} else {
  await parent();
}
