/**
 * A tiny edge runner for the benchmarks: loads one snapshot from a JSON file into a ZoneSet and
 * serves it on 127.0.0.1 (UDP+TCP) until SIGTERM/SIGINT. Not a benchmark itself; edge-qps.ts
 * starts it as a child process so that dnsperf and the server each get their own process.
 *
 * Usage: tsx edge-server.ts SNAPSHOT.json [PORT]   (PORT 0 or absent: a free port)
 * Prints one JSON line on stdout once listening: {"port":N,"loadMs":X,"rrsets":N}.
 * Warnings and errors go to stderr; debug/info are dropped.
 * Edge settings come from the environment through the edge's own config (loadEdgeConfig), e.g.
 * EDGE_ANSWER_CACHE_ENTRIES=0 to run without the answer cache.
 */
import { readFileSync } from "node:fs";
import { loadEdgeConfig, startDnsServer, ZoneSet } from "../apps/edge/dist/src/index.js";

const [file, portArg] = process.argv.slice(2);
if (!file) {
  console.error("usage: tsx edge-server.ts SNAPSHOT.json [PORT]");
  process.exit(2);
}

const quiet = {
  debug() {},
  info() {},
  warn(obj: object, msg?: string) {
    console.error("edge warn:", msg ?? "", JSON.stringify(obj));
  },
  error(obj: object, msg?: string) {
    console.error("edge error:", msg ?? "", obj);
  },
};

const snapshot = JSON.parse(readFileSync(file, "utf8"));
const config = loadEdgeConfig(process.env);
const zones = new ZoneSet(config.answerCache ? { answerCache: config.answerCache } : {});
const t0 = performance.now();
const zone = zones.put("bench", snapshot);
const loadMs = performance.now() - t0;

const server = await startDnsServer({
  host: "127.0.0.1",
  port: Number(portArg ?? 0),
  zones,
  transfer: { allow: ["127.0.0.0/8"], tsigKeys: [], requireTsig: false },
  logger: quiet,
});
process.stdout.write(`${JSON.stringify({ port: server.port, loadMs, rrsets: zone.rrsetCount })}\n`);

let stopping = false;
const stop = async (): Promise<void> => {
  if (stopping) return;
  stopping = true;
  await server.close();
  // A normal exit, so that `--cpu-prof` (BENCH_EDGE_NODE_FLAGS in edge-qps.ts) writes its profile.
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
