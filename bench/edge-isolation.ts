/**
 * DNS answers for other tenants while one tenant imports (issue "Edge: keeps answering whatever one
 * tenant does"): the embedded default (SQLite), one UDP query every 5 ms for another tenant's zone
 * from an async socket, during each round's 20,000-rrset Route53 import.
 * Usage: pnpm --filter @dnscove/bench bench:edge-isolation
 *   BENCH_API_MAIN=<path to apps/api/dist/src/main.js> measures another build (the old code).
 *   BENCH_LOG_DIR=DIR records the edge worker's event-loop stalls (record-pauses.cjs) and prints the
 *   longest, with the worker's CPU time in each: CPU ≈ wall is the edge's own long turn, CPU ≪ wall
 *   the machine not running it.
 */
import { createSocket } from "node:dgram";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { freePort, route53Export, signIn } from "@dnscove/testkit";
import dnsPacket from "dns-packet";
import { median, percentile, post, startBenchApi } from "./lib.js";

const RRSETS = Number(process.env.BENCH_RRSETS ?? 20_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const LOG_DIR = process.env.BENCH_LOG_DIR;

/** Queries every 5 ms until stopped; latencies of answers, and how many never came (2 s grace). */
function probe(port: number, name: string) {
  const socket = createSocket("udp4");
  const sentAt = new Map<number, number>();
  const latencies: number[] = [];
  let id = 0;
  socket.on("message", (message) => {
    const at = performance.now();
    const { id: answered = -1 } = dnsPacket.decode(message);
    const started = sentAt.get(answered);
    if (started === undefined) return;
    sentAt.delete(answered);
    latencies.push(at - started);
  });
  const timer = setInterval(() => {
    id = (id + 1) & 0xffff;
    sentAt.set(id, performance.now());
    socket.send(dnsPacket.encode({ type: "query", id, questions: [{ type: "A", name }] }), port, "127.0.0.1");
  }, 5);
  return async () => {
    clearInterval(timer);
    const deadline = Date.now() + 2000;
    while (sentAt.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    socket.close();
    return { latencies, lost: sentAt.size };
  };
}

const dir = mkdtempSync(path.join(os.tmpdir(), "dnscove-bench-isolation-"));
const dnsPort = await freePort();
const api = await startBenchApi({
  PORT: String(await freePort()),
  DNS_PORT: String(dnsPort),
  EDGE_RRL_RATE: "0", // one client asking one name fast is what RRL limits
  DNSCOVE_DATA_DIR: dir,
  ...(LOG_DIR
    ? {
        NODE_OPTIONS: `--require ${fileURLToPath(new URL("./record-pauses.cjs", import.meta.url))}`,
        PAUSES_DIR: LOG_DIR,
      }
    : {}),
});
const rows: { p50: number; p99: number; max: number; lost: number; sent: number; importS: number }[] = [];
try {
  const quiet = await signIn(api.url, { label: "bench" });
  const zone = await post(`${api.url}/api/zones`, { origin: "quiet.example" }, quiet);
  await post(
    `${api.url}/api/zones/${zone.id}/rrsets`,
    { name: "www", type: "A", records: ["192.0.2.53"] },
    quiet,
  );
  await post(`${api.url}/api/zones/${zone.id}/publish`, undefined, quiet);
  const busy = await signIn(api.url, { label: "bench" });
  for (let round = 0; round < ROUNDS; round++) {
    const body = { json: route53Export(`import${round}.example`, RRSETS) };
    const stop = probe(dnsPort, "www.quiet.example");
    const started = performance.now();
    await post(`${api.url}/api/import/route53`, body, busy);
    const importS = (performance.now() - started) / 1000;
    // Keep probing while the edge loads the imported zone.
    await new Promise((r) => setTimeout(r, 1000));
    const { latencies, lost } = await stop();
    rows.push({
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      max: Math.max(...latencies),
      lost,
      sent: latencies.length + lost,
      importS,
    });
  }
} finally {
  await api.stop();
  rmSync(dir, { recursive: true, force: true });
}
console.log(
  `\nOther tenants' UDP answers during a ${RRSETS.toLocaleString("en")}-rrset import, ${os.cpus().length} cores`,
);
console.log(`API: ${process.env.BENCH_API_MAIN ?? "this checkout"}\n`);
console.log("| round | import s | queries | lost | p50 ms | p99 ms | max ms |");
console.log("|---|---|---|---|---|---|---|");
for (const [i, r] of rows.entries()) {
  console.log(
    `| ${i + 1} | ${r.importS.toFixed(1)} | ${r.sent} | ${r.lost} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.max.toFixed(1)} |`,
  );
}
console.log(
  `| median | ${median(rows.map((r) => r.importS)).toFixed(1)} | | ${median(rows.map((r) => r.lost))} | ${median(rows.map((r) => r.p50)).toFixed(2)} | ${median(rows.map((r) => r.p99)).toFixed(2)} | ${median(rows.map((r) => r.max)).toFixed(1)} |`,
);

if (LOG_DIR) {
  type Stall = { at: number; ms: number; cpuMs: number };
  for (const name of readdirSync(LOG_DIR).filter(
    (n) => n.startsWith("worker") && n.endsWith(".pauses.json"),
  )) {
    const { role, stalls, gcs } = JSON.parse(readFileSync(path.join(LOG_DIR, name), "utf8")) as {
      role: string;
      stalls: Stall[];
      gcs: { ms: number; kind: string }[];
    };
    const own = stalls.filter((s) => s.cpuMs >= 0.7 * s.ms).sort((a, b) => b.ms - a.ms);
    console.log(
      `\n${role}: ${stalls.length} event-loop stalls > 12 ms over the run (start-up included), ${own.length} of them with CPU ≥ 70% of wall (its own long turns; longest: ${own
        .slice(0, 8)
        .map((s) => `${s.ms} ms`)
        .join(
          ", ",
        )}); GC pauses > 5 ms: ${gcs.length} (longest ${Math.max(0, ...gcs.map((g) => g.ms)).toFixed(0)} ms)`,
    );
  }
}
