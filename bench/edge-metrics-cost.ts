/**
 * What counting a query in the edge's Prometheus metrics (issue 17) adds to the edge's hot path,
 * side by side in one process. Usage: pnpm --filter @dnscove/bench bench:edge-metrics
 * (needs apps/edge/dist: `pnpm --filter @dnscove/edge build`).
 *
 * The zone and query mix of bench:edge-qps (edge-zone.ts). Both variants answer every query from
 * the answer cache (the steady state, and the cheapest path, so the overhead is at its largest
 * share): `handle` is RequestHandler.handle alone; `handle + count` also calls
 * EdgeMetrics.answered, as dns-server.ts does with EDGE_METRICS_PORT set. Rounds alternate the
 * order (METRICS_ROUNDS, default 7; METRICS_MS of CPU each, default 1,000); medians of CPU ns per
 * query (process.cpuUsage, steadier than wall time on a shared machine) and their ratio.
 */
import dnsPacket from "dns-packet";
import { createEdgeMetrics } from "../apps/edge/dist/src/metrics/edge-metrics.js";
import { RequestHandler } from "../apps/edge/dist/src/server/handle-request.js";
import { ZoneSet } from "../apps/edge/dist/src/zones/zone-set.js";
import { buildQueries, buildSnapshot, median } from "./edge-zone.js";

const RRSETS = Number(process.env.EDGE_QPS_RRSETS ?? 10_000);
const QUERIES = Number(process.env.HOT_PATH_QUERIES ?? 20_000);
const MS = Number(process.env.METRICS_MS ?? 1_000);
const ROUNDS = Number(process.env.METRICS_ROUNDS ?? 7);

const snapshot = buildSnapshot(RRSETS);
const queries = buildQueries(snapshot, QUERIES).map((q, i) =>
  dnsPacket.encode({
    type: "query",
    id: i & 0xffff,
    flags: 0,
    questions: [{ name: q.name.slice(0, -1), type: q.type as dnsPacket.RecordType, class: "IN" }],
  }),
);

function cpuNs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) * 1000;
}

function time(step: (x: Buffer) => unknown): number {
  let sink = 0;
  let calls = 0;
  const t0 = cpuNs();
  const deadline = t0 + MS * 1_000_000;
  for (;;) {
    for (const x of queries) if (step(x)) sink++;
    calls += queries.length;
    if (cpuNs() >= deadline) break;
  }
  if (sink < 0) console.log(sink);
  return (cpuNs() - t0) / calls;
}

const zones = new ZoneSet({});
zones.put("bench", snapshot);
const handler = new RequestHandler({ zones, transfer: { allow: [], tsigKeys: [], requireTsig: false } });
const ctx = { transport: "udp" as const, address: "127.0.0.1", port: 5300 };
const metrics = createEdgeMetrics();
for (const q of queries) handler.handle(q, ctx); // fill the answer cache

const plain = (q: Buffer) => handler.handle(q, ctx).length;
const counted = (q: Buffer) => {
  const out = handler.handle(q, ctx);
  metrics.answered("udp", q, out[0]);
  return out.length;
};

const a: number[] = [];
const b: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  if (round % 2 === 0) {
    a.push(time(plain));
    b.push(time(counted));
  } else {
    b.push(time(counted));
    a.push(time(plain));
  }
}
const ratios = a.map((x, i) => (b[i] as number) / x);
console.log(`queries ${queries.length}, rounds ${ROUNDS} x ${MS} ms CPU`);
console.log(`handle:          ${median(a).toFixed(0)} ns CPU/query`);
console.log(`handle + count:  ${median(b).toFixed(0)} ns CPU/query`);
console.log(`ratio (median of per-round ratios): ${median(ratios).toFixed(3)}`);
const counts = await metrics.registry.getSingleMetricAsString("dnscove_edge_queries_total");
console.log(
  `series: ${counts.split("\n").filter((l) => l.startsWith("dnscove_edge_queries_total{")).length}`,
);
