/**
 * What one UDP query costs inside the edge, step by step, in one process (no network, no dnsperf).
 * Usage: pnpm --filter @dnscove/bench bench:edge-hot-path
 * (needs apps/edge/dist: `pnpm --filter @dnscove/edge build`).
 *
 * The zone and the query mix are the ones of bench:edge-qps (edge-zone.ts: 10,000 rrsets; 65%
 * existing names, 5% NODATA, 15% NXDOMAIN, 15% wildcard), encoded as plain queries without EDNS,
 * like dnsperf sends them. Each step runs over the whole query list, repeatedly, for
 * HOT_PATH_MS (default 1,000 ms) per round, HOT_PATH_ROUNDS (default 5) rounds; the median ns per
 * query is printed (HOT_PATH_STEPS=decode,handle picks steps by prefix). Times are CPU time of this process (process.cpuUsage), not wall time, so that
 * other load on the machine inflates them less.
 *
 *  - decode:           decodeMessage(query)                            (wire/decode-message.ts)
 *  - + lookup:         answerQuery(decoded, zones) -> ResponsePlan     (resolver/answer-query.ts)
 *  - + encode:         encodeResponse(plan, 512)                       (wire/encode-response.ts)
 *    (cumulative: lookup and encode are printed as differences, see main())
 *  - handle, uncached: RequestHandler.handle with the answer cache off (everything above + glue)
 *  - handle, cached:   RequestHandler.handle, every answer in the cache (steady state)
 *  - send:             dgram socket.send of one 100-octet reply to 127.0.0.1, read by another
 *                      process (the kernel's part of a reply is inside this number); once as the
 *                      edge's socket does it, once with a synchronous `lookup` (see sendCost)
 */
import { spawn } from "node:child_process";
import { createSocket } from "node:dgram";
import dnsPacket from "dns-packet";
import { answerQuery } from "../apps/edge/dist/src/resolver/answer-query.js";
import { RequestHandler } from "../apps/edge/dist/src/server/handle-request.js";
import { decodeMessage } from "../apps/edge/dist/src/wire/decode-message.js";
import { encodeResponse } from "../apps/edge/dist/src/wire/encode-response.js";
import { ZoneSet } from "../apps/edge/dist/src/zones/zone-set.js";
import { buildQueries, buildSnapshot, median } from "./edge-zone.js";

const RRSETS = Number(process.env.EDGE_QPS_RRSETS ?? 10_000);
const QUERIES = Number(process.env.HOT_PATH_QUERIES ?? 20_000);
const MS = Number(process.env.HOT_PATH_MS ?? 1_000);
const ROUNDS = Number(process.env.HOT_PATH_ROUNDS ?? 5);

const snapshot = buildSnapshot(RRSETS);
const queries = buildQueries(snapshot, QUERIES).map((q, i) =>
  dnsPacket.encode({
    type: "query",
    id: i & 0xffff,
    flags: 0,
    questions: [{ name: q.name.slice(0, -1), type: q.type as dnsPacket.RecordType, class: "IN" }],
  }),
);

function makeZones(maxEntries?: number): ZoneSet {
  const zones = new ZoneSet(maxEntries === undefined ? {} : { answerCache: { maxEntries } });
  zones.put("bench", snapshot);
  return zones;
}

/** CPU time (user + system) of this process in ns: steadier than wall time on a shared machine. */
function cpuNs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) * 1000;
}

/** Runs `step` over the inputs for MS milliseconds of CPU time; returns CPU ns per call. */
function time<T>(inputs: readonly T[], step: (x: T) => unknown): number {
  let sink = 0;
  let calls = 0;
  const t0 = cpuNs();
  const deadline = t0 + MS * 1_000_000;
  for (;;) {
    for (const x of inputs) if (step(x)) sink++;
    calls += inputs.length;
    if (cpuNs() >= deadline) break;
  }
  const ns = (cpuNs() - t0) / calls;
  if (sink < 0) console.log(sink); // keep the results alive
  return ns;
}

const udpCtx = { transport: "udp" as const, address: "127.0.0.1", port: 5300 };
const transfer = { allow: [] as string[], tsigKeys: [], requireTsig: false };

/**
 * `syncLookup`: the socket gets a `lookup` that answers at once. By default dgram resolves the
 * destination through dns.lookup even for an IP literal, which defers every send to a nextTick.
 */
async function sendCost(syncLookup = false): Promise<number> {
  const sock = syncLookup
    ? createSocket({
        type: "udp4",
        lookup: (address: string, _family: unknown, cb: (e: null, a: string, f: number) => void) =>
          cb(null, address, 4),
      } as unknown as Parameters<typeof createSocket>[0])
    : createSocket("udp4");
  await new Promise<void>((r) => sock.bind(0, "127.0.0.1", () => r()));
  // A receiver in another process, so that its reading is not counted here.
  const sink = spawn(
    process.execPath,
    [
      "-e",
      "const s=require('node:dgram').createSocket('udp4');s.on('message',()=>{});" +
        "s.bind(0,'127.0.0.1',()=>console.log(s.address().port))",
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const port = await new Promise<number>((resolve) =>
    sink.stdout?.once("data", (d) => resolve(Number(String(d).trim()))),
  );
  const reply = Buffer.alloc(100, 7);
  const n = 20_000;
  const t0 = cpuNs();
  let done = 0;
  await new Promise<void>((resolve) => {
    // Without a callback Node sends synchronously when it can; wait for all to leave via the last.
    for (let i = 0; i < n - 1; i++) sock.send(reply, port, "127.0.0.1");
    sock.send(reply, port, "127.0.0.1", () => {
      done = n;
      resolve();
    });
  });
  const ns = (cpuNs() - t0) / done;
  sock.close();
  sink.kill();
  return ns;
}

async function main(): Promise<void> {
  const zones = makeZones();
  const uncached = new RequestHandler({ zones: makeZones(0), transfer });
  const cached = new RequestHandler({ zones: makeZones(), transfer });
  for (const q of queries) cached.handle(q, udpCtx); // fill the cache

  // Cumulative pipelines rather than one step over the stored output of the previous one: holding
  // 20,000 decoded messages alive makes every scavenge of the young generation slow (seen with
  // --trace-gc) and multiplied the decode time tenfold, which the server never sees.
  const steps: [string, () => number | Promise<number>][] = [
    ["decode", () => time(queries, (q) => decodeMessage(q))],
    ["decode + lookup", () => time(queries, (q) => answerQuery(decodeMessage(q), zones))],
    [
      "decode + lookup + encode",
      () => time(queries, (q) => encodeResponse(answerQuery(decodeMessage(q), zones), 512)),
    ],
    ["handle, uncached", () => time(queries, (q) => uncached.handle(q, udpCtx))],
    ["handle, cached", () => time(queries, (q) => cached.handle(q, udpCtx))],
    ["send (dgram, one reply)", () => sendCost(false)],
    ["send, socket with a synchronous lookup", () => sendCost(true)],
  ];
  const only = process.env.HOT_PATH_STEPS?.split(",");
  if (only) steps.splice(0, steps.length, ...steps.filter(([name]) => only.some((o) => name.startsWith(o))));
  const results = new Map<string, number[]>(steps.map(([name]) => [name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, run] of steps) results.get(name)?.push(await run());
  }
  console.log(
    `\n## Edge hot path, ${snapshot.rrsets.length} rrsets, ${queries.length} queries (bench:edge-qps mix), ` +
      `median of ${ROUNDS} rounds, Node ${process.version}\n`,
  );
  console.log("| step | ns per query (median) | rounds |");
  console.log("|---|---:|---|");
  for (const [name, values] of results) {
    console.log(
      `| ${name} | ${Math.round(median(values))} | ${values.map((v) => Math.round(v)).join(", ")} |`,
    );
  }
  const m = (name: string) => median(results.get(name) ?? []);
  const derived: [string, number][] = [
    ["lookup = (decode + lookup) - decode", m("decode + lookup") - m("decode")],
    [
      "encode = (decode + lookup + encode) - (decode + lookup)",
      m("decode + lookup + encode") - m("decode + lookup"),
    ],
  ];
  for (const [name, v] of derived) if (Number.isFinite(v)) console.log(`| ${name} | ${Math.round(v)} | |`);
  const stats = cached.cacheStats();
  console.log(
    `\nAnswer cache after the run: ${stats.entries} entries, ${stats.bytes} bytes, hit rate ${((100 * stats.hits) / Math.max(1, stats.hits + stats.misses)).toFixed(1)}%.`,
  );
}

await main();
