/**
 * Edge UDP query throughput and latency against Knot DNS serving the same zone, measured side by
 * side in one run. Usage: pnpm --filter @dnscove/bench bench:edge-qps
 * (needs apps/edge/dist: `pnpm --filter @dnscove/edge build`; Debian's dnsperf, knotd and dig).
 *
 *  1. Builds one zone (EDGE_QPS_RRSETS rrsets, default 10,000: A/AAAA/MX/TXT/CNAME plus a
 *     wildcard) and writes it as an edge snapshot (JSON) and as a zone file for knotd.
 *  2. Starts the edge in a child Node process (edge-server.ts) and knotd, all on 127.0.0.1:
 *     `knot` with Knot's default worker count (one UDP worker per core) and `knot-1w` with
 *     `udp-workers: 1`, which matches the edge's single JavaScript thread.
 *  3. Checks that every server gives the same answer (rcode, AA, answer/authority/additional
 *     records, TTLs ignored) to a sample of queries, and stops if they differ.
 *  4. For BENCH_ROUNDS rounds (default 3), in a rotating order: dnsperf flat out for BENCH_SECONDS
 *     (default 10) against each server, then dnsperf at a fixed BENCH_LATENCY_QPS (default 2,000/s)
 *     with -v for BENCH_LATENCY_SECONDS (default 4) to get per-query latency percentiles.
 *  5. Prints medians over rounds and the edge/Knot ratios (ratio of medians, and the median of the
 *     per-round ratios).
 *
 * Query mix (shuffled, EDGE_QPS_QUERIES lines, dnsperf loops over it): 65% existing names with
 * their type (CNAMEs asked for A), 5% NODATA, 15% NXDOMAIN, 15% wildcard hits. No EDNS (dnsperf
 * default). Other knobs: BENCH_CLIENTS (dnsperf -c, default 4), BENCH_OUTSTANDING (-q, default
 * 100), BENCH_THREADS (-T, default 1), BENCH_KNOT_VARIANTS ("auto,1": udp-workers for each knotd;
 * "auto" = Knot's default), BENCH_EDGE_NODE_FLAGS (extra node flags for the edge child, e.g.
 * "--cpu-prof --cpu-prof-dir=/tmp/edge-prof"), BENCH_KEEP_TMP=1 (keep the work directory).
 * The edge child gets this process's environment plus EDGE_RRL_RATE=0: response rate limiting
 * would drop most of a flat-out run from one client address, and Knot runs without it too.
 * Edge settings pass through, e.g. EDGE_ANSWER_CACHE_ENTRIES=0 measures without the answer cache;
 * BENCH_EDGE_NOCACHE=1 adds a second edge, `edge-nocache`, with the cache off, to the same run.
 * BENCH_EDGE_WORKERS=N adds an edge of N cluster workers on one port, `edge-Nw`, to the same run
 * (its server CPU is the workers' sum), to measure how serving scales with EDGE_WORKERS.
 * BENCH_DNSSEC=1 (issue 16): the zone is signed by @dnscove/dnssec (ECDSA P-256, NSEC3 per RFC
 * 9276) and served pre-signed by both (Knot with `dnssec-signing: off`, the edge from a snapshot
 * holding the DNSSEC rrsets as the API publishes them); dnsperf sets DO (`-D`, EDNS 4096), so
 * every answer carries RRSIGs and the negative ones NSEC3 proofs; the answer check uses +dnssec.
 * Default run time: about 2 minutes.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import {
  generateKey,
  initialKeys,
  SignedZone,
  validityAt,
  type ZoneRecordInput,
  zoneFileLine,
} from "@dnscove/dnssec";
import { freePort } from "@dnscove/testkit";
import {
  type BenchQuery,
  type BenchSnapshot,
  buildQueries,
  buildSnapshot,
  median,
  ORIGIN,
  percentile,
  recordCount,
  toDnsperfFile,
  toZoneFile,
} from "./edge-zone.js";

const execFileAsync = promisify(execFile);

const RRSETS = Number(process.env.EDGE_QPS_RRSETS ?? 10_000);
const QUERIES = Number(process.env.EDGE_QPS_QUERIES ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const LAT_QPS = Number(process.env.BENCH_LATENCY_QPS ?? 2_000);
const LAT_SECONDS = Number(process.env.BENCH_LATENCY_SECONDS ?? 4);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 4);
const OUTSTANDING = Number(process.env.BENCH_OUTSTANDING ?? 100);
const THREADS = Number(process.env.BENCH_THREADS ?? 1);
const KNOT_VARIANTS = (process.env.BENCH_KNOT_VARIANTS ?? "auto,1")
  .split(",")
  .map((v) => v.trim())
  .filter(Boolean);
const EDGE_NOCACHE = process.env.BENCH_EDGE_NOCACHE === "1";
const EDGE_WORKERS = Number(process.env.BENCH_EDGE_WORKERS ?? 1);
const DNSSEC = process.env.BENCH_DNSSEC === "1";
const EDGE_NODE_FLAGS = (process.env.BENCH_EDGE_NODE_FLAGS ?? "").split(/\s+/).filter(Boolean);
const WARMUP_SECONDS = 3;

const edgeServerTs = fileURLToPath(new URL("./edge-server.ts", import.meta.url));
const edgeDist = fileURLToPath(new URL("../apps/edge/dist/src/index.js", import.meta.url));
const tsxLoader = import.meta.resolve("tsx");
const CLOCK_TICKS = 100; // USER_HZ on Linux

interface Target {
  label: string;
  port: number;
  pid: number;
  /** Serving worker processes of a clustered edge (BENCH_EDGE_WORKERS). */
  workerPids?: number[];
  child: ChildProcess;
  stop(): Promise<void>;
}

interface Throughput {
  qps: number;
  sent: number;
  completed: number;
  lost: number;
  rcodes: Record<string, number>;
  avgLatencyMs: number;
  /** CPU used by the server process during the run, in % of one core. */
  serverCpu: number;
  /** CPU used by dnsperf, in % of one core (sampled, so slightly low). */
  clientCpu: number;
}

interface Latency {
  qps: number;
  p50: number;
  p99: number;
  p999: number;
  max: number;
  lost: number;
  /** Server CPU time per answered query at the fixed rate, in microseconds. */
  cpuUsPerQuery: number;
}

const children: ChildProcess[] = [];
process.on("exit", () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
});

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
    setTimeout(() => child.kill("SIGKILL"), 5000).unref();
  });
}

/** utime + stime of a process, in seconds (/proc/PID/stat fields 14 and 15). */
function processCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

/** CPU seconds of a server: its process plus its serving workers, if it has any. */
function cpuSeconds(target: Pick<Target, "pid" | "workerPids">): number {
  return [target.pid, ...(target.workerPids ?? [])].reduce((sum, pid) => sum + processCpuSeconds(pid), 0);
}

async function digRaw(port: number, name: string, type: string): Promise<string> {
  const { stdout } = await execFileAsync("dig", [
    "@127.0.0.1",
    "-p",
    String(port),
    name,
    type,
    ...(DNSSEC ? ["+dnssec"] : []),
    "+norec",
    "+time=2",
    "+tries=1",
  ]);
  return stdout;
}

/** A comparable summary of a dig answer: rcode, AA, and each section's records without TTLs, sorted. */
function normaliseDig(out: string): string {
  const status = /status: (\w+)/.exec(out)?.[1] ?? "NO ANSWER";
  const flags = /;; flags: ([^;]*);/.exec(out)?.[1]?.trim().split(/\s+/) ?? [];
  const sections: string[] = [];
  let current: string | undefined;
  let rows: string[] = [];
  const flush = () => {
    if (current && current !== "QUESTION" && current !== "OPT PSEUDOSECTION") {
      sections.push(`${current}: ${rows.sort().join(" | ")}`);
    }
    rows = [];
  };
  for (const line of out.split("\n")) {
    const m = /^;; ([A-Z ]+?)( SECTION)?:$/.exec(line);
    if (m && (line.includes("SECTION") || line.includes("PSEUDOSECTION"))) {
      flush();
      current = m[1];
      continue;
    }
    if (line.trim() === "") {
      flush();
      current = undefined;
      continue;
    }
    if (current && !line.startsWith(";")) {
      const f = line.trim().split(/\s+/);
      f.splice(1, 1); // TTL
      rows.push(f.join(" ").toLowerCase());
    }
  }
  flush();
  return [`${status} aa=${flags.includes("aa")}`, ...sections].join("\n  ");
}

async function waitForDns(
  port: number,
  what: string,
  child: ChildProcess,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${what} exited with code ${child.exitCode}`);
    try {
      const out = await digRaw(port, ORIGIN, "SOA");
      if (/status: NOERROR/.test(out) && /ANSWER: [1-9]/.test(out)) return; // 2 with +dnssec (SOA and its RRSIG)
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} on port ${port}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function startEdge(snapshotFile: string, label = "edge", env: NodeJS.ProcessEnv = {}): Promise<Target> {
  const child = spawn(
    process.execPath,
    [...EDGE_NODE_FLAGS, "--import", tsxLoader, edgeServerTs, snapshotFile, "0"],
    {
      stdio: ["ignore", "pipe", "inherit"],
      env: { ...process.env, EDGE_RRL_RATE: "0", ...env },
    },
  );
  children.push(child);
  const info = await new Promise<{ port: number; loadMs: number; pids?: number[] }>((resolve, reject) => {
    let buf = "";
    child.once("exit", (code) => reject(new Error(`edge-server exited with code ${code}`)));
    child.stdout?.on("data", (chunk) => {
      buf += String(chunk);
      const nl = buf.indexOf("\n");
      if (nl >= 0) resolve(JSON.parse(buf.slice(0, nl)));
    });
  });
  child.removeAllListeners("exit");
  await waitForDns(info.port, label, child);
  console.error(`${label}: pid ${child.pid}, port ${info.port}, zone loaded in ${info.loadMs.toFixed(0)} ms`);
  return {
    label,
    port: info.port,
    pid: child.pid as number,
    ...(info.pids ? { workerPids: info.pids } : {}),
    child,
    stop: () => stopChild(child),
  };
}

async function startKnot(dir: string, zoneFile: string, workers: string): Promise<Target> {
  const label = workers === "auto" ? "knot" : `knot-${workers}w`;
  const home = path.join(dir, label);
  mkdirSync(path.join(home, "run"), { recursive: true });
  mkdirSync(path.join(home, "db"), { recursive: true });
  const port = await freePort();
  const conf = path.join(home, "knot.conf");
  writeFileSync(
    conf,
    [
      "server:",
      `    rundir: "${home}/run"`,
      `    listen: 127.0.0.1@${port}`,
      ...(workers === "auto"
        ? []
        : [`    udp-workers: ${workers}`, "    tcp-workers: 1", "    background-workers: 1"]),
      "log:",
      `  - target: "${home}/knot.log"`,
      "    any: warning",
      "database:",
      `    storage: "${home}/db"`,
      "template:",
      "  - id: default",
      `    storage: "${path.dirname(zoneFile)}"`,
      `    file: "${path.basename(zoneFile)}"`,
      "    zonefile-sync: -1",
      "    zonefile-load: whole",
      "    journal-content: none",
      "    semantic-checks: off",
      "zone:",
      `  - domain: ${ORIGIN}`,
      "",
    ].join("\n"),
  );
  const child = spawn("knotd", ["-c", conf], { stdio: ["ignore", "ignore", "inherit"] });
  children.push(child);
  await waitForDns(port, label, child);
  console.error(`${label}: pid ${child.pid}, port ${port}`);
  return { label, port, pid: child.pid as number, child, stop: () => stopChild(child) };
}

function dnsperfArgs(port: number, queryFile: string, seconds: number): string[] {
  const dnssec = DNSSEC ? ["-D"] : [];
  return [
    "-s",
    "127.0.0.1",
    "-p",
    String(port),
    "-d",
    queryFile,
    "-l",
    String(seconds),
    "-t",
    "2",
    ...dnssec,
  ];
}

/** Runs dnsperf; also returns its CPU time in seconds (sampled from /proc every 100 ms, so a bit low). */
function runDnsperf(args: string[]): Promise<{ out: string; cpu: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn("dnsperf", args, { stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    let err = "";
    let cpu = 0;
    const sample = () => {
      try {
        cpu = processCpuSeconds(child.pid as number);
      } catch {
        // already gone
      }
    };
    const timer = setInterval(sample, 100);
    child.stdout.on("data", (c: Buffer) => {
      out.push(c);
    });
    child.stderr.on("data", (c) => {
      err += String(c);
    });
    child.on("error", reject);
    child.on("exit", (code) => {
      clearInterval(timer);
      if (code === 0) resolve({ out: Buffer.concat(out).toString(), cpu });
      else reject(new Error(`dnsperf exited with code ${code}: ${err}`));
    });
  });
}

function num(out: string, re: RegExp): number {
  const m = re.exec(out);
  return m ? Number(m[1]) : Number.NaN;
}

async function throughput(t: Target, queryFile: string, seconds: number): Promise<Throughput> {
  const cpu0 = cpuSeconds(t);
  const t0 = performance.now();
  const { out, cpu: clientCpu } = await runDnsperf([
    ...dnsperfArgs(t.port, queryFile, seconds),
    "-c",
    String(CLIENTS),
    "-T",
    String(THREADS),
    "-q",
    String(OUTSTANDING),
  ]);
  const wall = (performance.now() - t0) / 1000;
  const cpu = cpuSeconds(t) - cpu0;
  const rcodes: Record<string, number> = {};
  const codes = /Response codes:\s+(.*)/.exec(out)?.[1] ?? "";
  for (const m of codes.matchAll(/([A-Z]+) (\d+) \(/g)) rcodes[m[1] as string] = Number(m[2]);
  return {
    qps: num(out, /Queries per second:\s+([\d.]+)/),
    sent: num(out, /Queries sent:\s+(\d+)/),
    completed: num(out, /Queries completed:\s+(\d+)/),
    lost: num(out, /Queries lost:\s+(\d+)/),
    rcodes,
    avgLatencyMs: num(out, /Average Latency \(s\):\s+([\d.]+)/) * 1000,
    serverCpu: (100 * cpu) / wall,
    clientCpu: (100 * clientCpu) / wall,
  };
}

async function latency(t: Target, queryFile: string): Promise<Latency> {
  const cpu0 = cpuSeconds(t);
  const { out } = await runDnsperf([
    ...dnsperfArgs(t.port, queryFile, LAT_SECONDS),
    "-Q",
    String(LAT_QPS),
    "-v",
  ]);
  const samples: number[] = [];
  for (const m of out.matchAll(/^> \S+ \S+ \S+ ([\d.]+)$/gm)) samples.push(Number(m[1]) * 1000);
  samples.sort((a, b) => a - b);
  return {
    qps: num(out, /Queries per second:\s+([\d.]+)/),
    p50: percentile(samples, 50),
    p99: percentile(samples, 99),
    p999: percentile(samples, 99.9),
    max: samples[samples.length - 1] ?? Number.NaN,
    lost: num(out, /Queries lost:\s+(\d+)/),
    cpuUsPerQuery: ((cpuSeconds(t) - cpu0) * 1e6) / num(out, /Queries completed:\s+(\d+)/),
  };
}

function sampleQueries(queries: BenchQuery[]): { name: string; type: string }[] {
  const out: { name: string; type: string }[] = [
    { name: ORIGIN, type: "SOA" },
    { name: ORIGIN, type: "NS" },
    { name: ORIGIN, type: "MX" },
    { name: ORIGIN, type: "AAAA" },
    { name: `h12.${ORIGIN}`, type: "MX" }, // additional-section A records of the target
    { name: `h17.${ORIGIN}`, type: "A" }, // CNAME out of the zone
    { name: `h18.${ORIGIN}`, type: "A" }, // CNAME inside the zone, followed
    { name: `h14.${ORIGIN}`, type: "TXT" },
    { name: `a.b.wild.${ORIGIN}`, type: "A" }, // wildcard two labels down
    { name: `wild.${ORIGIN}`, type: "A" }, // empty non-terminal: NODATA, not NXDOMAIN
    { name: `x.h1.${ORIGIN}`, type: "A" }, // below an existing name: NXDOMAIN
  ];
  for (const kind of ["existing", "nodata", "nxdomain", "wildcard"] as const) {
    out.push(...queries.filter((q) => q.kind === kind).slice(0, 4));
  }
  return out;
}

async function verifySameAnswers(
  targets: Target[],
  samples: { name: string; type: string }[],
): Promise<void> {
  const mismatches: string[] = [];
  for (const q of samples) {
    const answers = await Promise.all(
      targets.map(async (t) => normaliseDig(await digRaw(t.port, q.name, q.type))),
    );
    for (let i = 1; i < targets.length; i++) {
      if (answers[i] !== answers[0]) {
        mismatches.push(
          `${q.name} ${q.type}\n  ${targets[0]?.label}: ${answers[0]}\n  ${targets[i]?.label}: ${answers[i]}`,
        );
      }
    }
  }
  if (mismatches.length > 0) {
    throw new Error(`the servers answer differently:\n${mismatches.join("\n")}`);
  }
  console.error(`answers identical on all ${targets.length} servers for ${samples.length} sample queries`);
}

function fmt(n: number, digits = 0): string {
  if (!Number.isFinite(n)) return "n/a";
  return n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

async function toolVersion(cmd: string, args: string[], re: RegExp): Promise<string> {
  try {
    const { stdout, stderr } = await execFileAsync(cmd, args);
    return re.exec(stdout + stderr)?.[1] ?? "?";
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    return re.exec(`${err.stdout ?? ""}${err.stderr ?? ""}`)?.[1] ?? "?";
  }
}

async function checkZoneFile(zoneFile: string): Promise<void> {
  for (const [cmd, args] of [
    ["kzonecheck", ["-o", ORIGIN, zoneFile]],
    ["named-checkzone", ["-q", ORIGIN, zoneFile]],
  ] as const) {
    try {
      await execFileAsync(cmd, [...args]);
      console.error(`zone file checked with ${cmd}`);
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") continue;
      throw new Error(`${cmd} rejected the generated zone file: ${(e as { stdout?: string }).stdout ?? e}`);
    }
  }
  console.error("no zone checker found (kzonecheck, named-checkzone); skipping the zone file check");
}

/**
 * The zone signed (KSK + ZSK, algorithm 13), as the API publishes it: DNSSEC records as rrsets,
 * every RRSIG of an owner in one rrset (TTL = the least of its records'); the zone file gives each
 * RRSIG its original TTL.
 */
function signedSnapshot(unsigned: BenchSnapshot): { snapshot: BenchSnapshot; zoneFileText: string } {
  const data: ZoneRecordInput[] = unsigned.rrsets.flatMap((rs) =>
    rs.records.map((rdata) => ({
      name: rs.name,
      type: rs.type as ZoneRecordInput["type"],
      ttl: rs.ttl,
      rdata,
    })),
  );
  const t0 = performance.now();
  const keys = initialKeys(generateKey("ksk"), generateKey("zsk"));
  const zone = SignedZone.sign(unsigned.origin, data, keys, validityAt(Math.floor(Date.now() / 1000)));
  const dnssec = zone.records();
  console.error(
    `signed ${data.length} records in ${fmt(performance.now() - t0)} ms: ${dnssec.length} DNSSEC records`,
  );
  const byKey = new Map<string, BenchSnapshot["rrsets"][number]>();
  for (const r of dnssec) {
    const key = `${r.name} ${r.type}`;
    const rs = byKey.get(key);
    if (rs) {
      rs.records.push(r.rdata);
      rs.ttl = Math.min(rs.ttl, r.ttl);
    } else byKey.set(key, { name: r.name, type: r.type, ttl: r.ttl, records: [r.rdata] });
  }
  const snapshot = { ...unsigned, rrsets: [...unsigned.rrsets, ...byKey.values()] };
  const lines = [...data, ...dnssec].map(zoneFileLine);
  return { snapshot, zoneFileText: `${lines.join("\n")}\n` };
}

async function main(): Promise<void> {
  if (!existsSync(edgeDist)) throw new Error(`${edgeDist} is missing: run pnpm --filter @dnscove/edge build`);
  const dir = mkdtempSync(path.join(os.tmpdir(), "dnscove-edge-qps-"));
  const targets: Target[] = [];
  try {
    const unsigned = buildSnapshot(RRSETS);
    const queries = buildQueries(unsigned, QUERIES);
    const { snapshot, zoneFileText } = DNSSEC
      ? signedSnapshot(unsigned)
      : { snapshot: unsigned, zoneFileText: toZoneFile(unsigned) };
    const snapshotFile = path.join(dir, "snapshot.json");
    const zoneFile = path.join(dir, "bench.example.zone");
    const queryFile = path.join(dir, "queries.txt");
    writeFileSync(snapshotFile, JSON.stringify(snapshot));
    writeFileSync(zoneFile, zoneFileText);
    writeFileSync(queryFile, toDnsperfFile(queries));
    const distinct = new Set(queries.map((q) => `${q.name} ${q.type}`)).size;
    console.error(
      `zone ${ORIGIN}: ${snapshot.rrsets.length} rrsets, ${recordCount(snapshot)} records; ${queries.length} queries ` +
        `(${distinct} distinct questions) in ${dir}`,
    );
    await checkZoneFile(zoneFile);

    targets.push(await startEdge(snapshotFile));
    if (EDGE_NOCACHE) {
      targets.push(await startEdge(snapshotFile, "edge-nocache", { EDGE_ANSWER_CACHE_ENTRIES: "0" }));
    }
    if (EDGE_WORKERS > 1) {
      targets.push(
        await startEdge(snapshotFile, `edge-${EDGE_WORKERS}w`, { BENCH_EDGE_WORKERS: String(EDGE_WORKERS) }),
      );
    }
    for (const w of KNOT_VARIANTS) targets.push(await startKnot(dir, zoneFile, w));
    await verifySameAnswers(targets, sampleQueries(queries));

    // Warm-up: JIT for the edge, caches for everyone. Not recorded.
    for (const t of targets) await throughput(t, queryFile, WARMUP_SECONDS);

    const tp = new Map<string, Throughput[]>(targets.map((t) => [t.label, []]));
    const lat = new Map<string, Latency[]>(targets.map((t) => [t.label, []]));
    for (let round = 0; round < ROUNDS; round++) {
      const order = targets.map((_, i) => targets[(i + round) % targets.length] as Target);
      for (const t of order) {
        const r = await throughput(t, queryFile, SECONDS);
        tp.get(t.label)?.push(r);
        console.error(
          `round ${round + 1}/${ROUNDS} ${t.label}: ${fmt(r.qps)} q/s, lost ${r.lost}, server CPU ${fmt(r.serverCpu)}%, dnsperf CPU ${fmt(r.clientCpu)}%`,
        );
      }
      for (const t of order) {
        const r = await latency(t, queryFile);
        lat.get(t.label)?.push(r);
        console.error(
          `round ${round + 1}/${ROUNDS} ${t.label} at ${LAT_QPS}/s: p50 ${fmt(r.p50, 3)} ms, p99 ${fmt(r.p99, 3)} ms, server CPU ${fmt(r.cpuUsPerQuery, 1)} µs/query`,
        );
      }
    }

    const nodeVersion = process.version;
    const knotVersion = await toolVersion("knotd", ["-V"], /version (\S+)/);
    const dnsperfVersion = await toolVersion("dnsperf", ["-h"], /Version (\S+)/);
    const edgeQps = (tp.get("edge") ?? []).map((r) => r.qps);
    const edgePerCpu = (tp.get("edge") ?? []).map((r) => r.qps / (r.serverCpu / 100));

    console.log(
      `\n## Edge vs Knot DNS, UDP, ${fmt(snapshot.rrsets.length)} rrsets (${fmt(recordCount(snapshot))} records), ` +
        `median of ${ROUNDS} rounds\n`,
    );
    console.log(
      `dnsperf ${dnsperfVersion} \`-c ${CLIENTS} -T ${THREADS} -q ${OUTSTANDING} -l ${SECONDS}\` flat out; latency at ` +
        `\`-Q ${LAT_QPS} -l ${LAT_SECONDS} -v\`. Node ${nodeVersion}, Knot ${knotVersion}, ${os.cpus().length} CPUs ` +
        `(${os.cpus()[0]?.model ?? "?"}). dnsperf shares the CPUs with the server. Query mix: 65% existing, ` +
        "5% NODATA, 15% NXDOMAIN, 15% wildcard" +
        (DNSSEC ? ", zone signed (alg 13, NSEC3), every query with DO (dnsperf -D)" : "") +
        ". Server (dnsperf) CPU = CPU time of that process / wall time, 100% = one core. When the server CPU stays well below 100% the server is not the bottleneck (dnsperf or a noisy neighbour is), so q per server CPU-second is the steadier comparison.\n",
    );
    console.log(
      "| server | median q/s | rounds (q/s) | edge / this (median of per-round ratios) | lost | server CPU | dnsperf CPU | q per server CPU-second | edge / this, per CPU-second | avg latency flat out (ms) | p50 at fixed rate (ms) | p99 (ms) | p99.9 (ms) | server CPU µs per query at fixed rate |",
    );
    console.log("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (const t of targets) {
      const runs = tp.get(t.label) ?? [];
      const lats = lat.get(t.label) ?? [];
      const qps = runs.map((r) => r.qps);
      const perRound = qps.map((q, i) => (edgeQps[i] ?? Number.NaN) / q);
      const ratio =
        t.label === "edge"
          ? "1.00"
          : `${fmt(median(perRound), 2)} (${perRound.map((r) => fmt(r, 2)).join(", ")})`;
      const perCpu = runs.map((r) => r.qps / (r.serverCpu / 100));
      const lost = runs.reduce((s, r) => s + r.lost, 0) + lats.reduce((s, r) => s + r.lost, 0);
      console.log(
        `| ${t.label} | ${fmt(median(qps))} | ${qps.map((q) => fmt(q)).join(", ")} | ${ratio} | ${lost} | ` +
          `${fmt(median(runs.map((r) => r.serverCpu)))}% | ${fmt(median(runs.map((r) => r.clientCpu)))}% | ` +
          `${fmt(median(perCpu))} | ${t.label === "edge" ? "1.00" : fmt(median(edgePerCpu) / median(perCpu), 2)} | ${fmt(median(runs.map((r) => r.avgLatencyMs)), 3)} | ` +
          `${fmt(median(lats.map((r) => r.p50)), 3)} | ${fmt(median(lats.map((r) => r.p99)), 3)} | ` +
          `${fmt(median(lats.map((r) => r.p999)), 3)} | ${fmt(median(lats.map((r) => r.cpuUsPerQuery)), 1)} |`,
      );
    }
    const first = tp.get(targets[0]?.label ?? "") ?? [];
    const rc = first[0]?.rcodes ?? {};
    const total = Object.values(rc).reduce((s, n) => s + n, 0);
    console.log(
      `\nResponse codes (edge, round 1): ${Object.entries(rc)
        .map(([k, v]) => `${k} ${fmt((100 * v) / total, 1)}%`)
        .join(
          ", ",
        )}. Every server returned the same answers to ${sampleQueries(queries).length} sample queries.`,
    );
    for (const t of targets.filter((x) => x.label.startsWith("knot"))) {
      const ratio = median(edgeQps) / median((tp.get(t.label) ?? []).map((r) => r.qps));
      const runs = tp.get(t.label) ?? [];
      const perCpu = median(edgePerCpu) / median(runs.map((r) => r.qps / (r.serverCpu / 100)));
      console.log(
        `edge / ${t.label} (ratio of medians): ${fmt(ratio, 2)}, per server CPU-second ${fmt(perCpu, 2)}; ` +
          `target edge >= 0.6 x Knot: ${ratio >= 0.6 ? "met" : "NOT met"} (q/s), ${perCpu >= 0.6 ? "met" : "NOT met"} (per CPU-second)`,
      );
    }
  } finally {
    for (const t of targets) await t.stop();
    if (process.env.BENCH_KEEP_TMP === "1") console.error(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

await main();
