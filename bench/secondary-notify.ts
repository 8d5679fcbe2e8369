/**
 * Publish → a real Knot and a real NSD secondary answering the new serial (NOTIFY, then IXFR from
 * the edge's change journal, RFC 1995), on a 10,000-rrset zone by default, through the embedded
 * default (SQLite, edge workers, DNSCOVE_SECONDARIES). Each round changes one rrset, calls publish,
 * and polls the secondaries' SOA until they answer the new serial. The edge's transfer log (LOG_LEVEL
 * info) tells how each IXFR was answered: the run fails unless every one after the bootstrap went
 * out as a difference.
 * Usage: pnpm --filter @dnscove/bench bench:secondaries   (needs knotd and nsd; run as root)
 *   BENCH_LOG_DIR=DIR keeps the API's and the secondaries' logs; BENCH_BACK_TO_BACK=1 starts each
 *   round as soon as the secondaries answer (default: once Knot has logged its refresh done).
 *   BENCH_RRSETS=200000 (zone size; above 20,000 filled by 1,000-rrset batches, not an import), BENCH_ROUNDS=30, BENCH_SECONDARIES=knot (or knot,nsd: default)
 *   BENCH_SECONDARIES=knot,knot-stock measures side by side a Knot configured as docs/production.md
 *   recommends (`block-notify-after-transfer: on` on the edge remote) and a stock one, which
 *   schedules its own NOTIFY one second after each transfer and so holds back the next refresh.
 * Every time is measured from the publish call (before the request goes out). A per-round table
 * then shows, for each secondary, when the publish returned, the edge sent NOTIFY, Knot logged the
 * NOTIFY, the edge answered the transfer, Knot logged "zone updated", and the answer was seen.
 */
import { closeSync, cpSync, mkdtempSync, openSync, readSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort, route53Export, signIn } from "@dnscove/testkit";
import { type Secondary, startKnot, startNsd } from "../apps/edge/test/helpers/secondaries.js";
import { median, percentile, post, soaSerial, startBenchApi } from "./lib.js";

const RRSETS = Number(process.env.BENCH_RRSETS ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 30);
const ORIGIN = "secondaries.example";
const BACK_TO_BACK = process.env.BENCH_BACK_TO_BACK === "1";
const KINDS = (process.env.BENCH_SECONDARIES ?? "knot,nsd").split(",");
const isKnot = (kind: string) => kind === "knot" || kind === "knot-stock";

/**
 * When (Date.now()) each of Knot's "notify, incoming … serial N" and "zone updated … -> N" lines
 * first appeared in its log file. Knot stamps its lines in whole seconds, so the file is polled
 * every 2 ms from where the last read stopped.
 */
interface KnotLogTimes {
  notified: Map<number, number>;
  updated: Map<number, number>;
  stop(): void;
}

function watchKnotLog(logFile: string): KnotLogTimes {
  const notified = new Map<number, number>();
  const updated = new Map<number, number>();
  let offset = 0;
  let partial = "";
  const chunk = Buffer.alloc(1 << 16);
  const poll = () => {
    let fd: number;
    try {
      fd = openSync(logFile, "r");
    } catch {
      return; // not created yet
    }
    try {
      for (;;) {
        const n = readSync(fd, chunk, 0, chunk.length, offset);
        if (n <= 0) break;
        offset += n;
        partial += chunk.toString("utf8", 0, n);
      }
    } finally {
      closeSync(fd);
    }
    const now = Date.now();
    const lines = partial.split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) {
      const n = /notify, incoming, remote \S+, serial (\d+)/.exec(line);
      if (n && !notified.has(Number(n[1]))) notified.set(Number(n[1]), now);
      const u = /zone updated, [\d.]+ seconds, serial \S+ -> (\d+)/.exec(line);
      if (u && !updated.has(Number(u[1]))) updated.set(Number(u[1]), now);
    }
  };
  const timer = setInterval(poll, 2);
  return { notified, updated, stop: () => clearInterval(timer) };
}

async function until(secondary: Secondary, serial: number, timeoutMs: number): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    if (((await soaSerial(secondary.port, ORIGIN, 200)) ?? 0) >= serial) return performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  throw new Error(`${secondary.kind} did not serve serial ${serial}:\n${secondary.log().slice(-2000)}`);
}

/** Waits until Knot's log shows its refresh to `serial` done ("zone updated, …, serial A -> serial"). */
async function knotLogged(knot: Secondary, serial: number): Promise<void> {
  const done = new RegExp(`zone updated, [\\d.]+ seconds, serial \\S+ -> ${serial}\\b`);
  const started = performance.now();
  while (!done.test(knot.log())) {
    if (performance.now() - started > 30_000) throw new Error(`knot never logged serial ${serial} done`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * The zone of RRSETS rrsets, published: a Route53 import up to 20,000 (the API takes 6 MB bodies),
 * else an empty zone filled with batches of 1,000 A rrsets, then one publish.
 */
async function fill(url: string, token: string): Promise<{ id: string; published_serial: number }> {
  if (RRSETS <= 20_000) {
    const imported = await post(
      `${url}/api/import/route53`,
      { json: route53Export(ORIGIN, RRSETS), origin: ORIGIN },
      token,
    );
    return imported.zone as { id: string; published_serial: number };
  }
  const zone = (await post(`${url}/api/zones`, { origin: ORIGIN }, token)) as { id: string };
  for (let start = 0; start < RRSETS; start += 1000) {
    const changes = Array.from({ length: Math.min(1000, RRSETS - start) }, (_, i) => {
      const n = start + i;
      return {
        action: "UPSERT",
        name: `host${n}.${ORIGIN}.`,
        type: "A",
        ttl: 300,
        records: [`10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`],
      };
    });
    await post(`${url}/api/zones/${zone.id}/rrsets`, { changes }, token);
  }
  const published = await post(`${url}/api/zones/${zone.id}/publish`, undefined, token);
  return { id: zone.id, published_serial: published.serial as number };
}

const dir = mkdtempSync(path.join(os.tmpdir(), "dnscove-bench-secondaries-"));
const dnsPort = await freePort();
// The secondaries start once the zone is filled and published: their bootstrap is one AXFR of
// the whole zone, not a chase after every auto-publish of the fill.
const ports = Object.fromEntries(await Promise.all(KINDS.map(async (k) => [k, await freePort()] as const)));
const api = await startBenchApi({
  PORT: String(await freePort()),
  DNS_PORT: String(dnsPort),
  EDGE_RRL_RATE: "0", // one client asking one name fast is what RRL limits
  DNSCOVE_DATA_DIR: path.join(dir, "api"),
  DNSCOVE_PUBLISH_INTERVAL_MS: "60000",
  DNSCOVE_SECONDARIES: Object.values(ports)
    .map((port) => `127.0.0.1:${port}`)
    .join(","),
  LOG_LEVEL: "info", // the edge's "zone transfer answered" lines
});
/** What each running secondary is measured as (BENCH_SECONDARIES names; Secondary.kind says "knot" for both Knots). */
const names = new Map<Secondary, string>();
const knotLogs = new Map<string, KnotLogTimes>();
const times: Record<string, number[]> & { publish: number[] } = { publish: [] };
for (const kind of Object.keys(ports)) times[kind] = [];
let transfers = "";
/** Per round, wall-clock (Date.now(), the clock the API's log lines carry): for the breakdown. */
const rounds: { serial: number; calledAt: number; returnedAt: number; answeredAt: Record<string, number> }[] =
  [];
let breakdown = "";
let perRound = "";
const loadBefore = os.loadavg();
const secondaries: Secondary[] = [];
try {
  const token = await signIn(api.url, { label: "bench" });
  const zone = await fill(api.url, token);
  // The fill's publish may answer before the edge serves it (publish_error after 5 s while the edge
  // applies 200 batches of journal): a secondary started then would bootstrap from an older serial
  // and its first IXFR would be the whole fill. Start them once the edge serves the filled zone.
  const edgeServes = performance.now();
  while (((await soaSerial(dnsPort, ORIGIN, 500)) ?? 0) < zone.published_serial) {
    if (performance.now() - edgeServes > 600_000) throw new Error("the edge did not serve the filled zone");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const zones = [{ origin: ORIGIN, primaryPort: dnsPort }];
  for (const kind of Object.keys(ports)) {
    const port = ports[kind] as number;
    const started =
      kind === "knot"
        ? await startKnot(dir, zones, { port })
        : kind === "knot-stock"
          ? await startKnot(path.join(dir, "stock"), zones, { port, notifyAfterTransfer: true })
          : await startNsd(dir, zones, [], [], port);
    names.set(started, kind);
    if (isKnot(kind)) knotLogs.set(kind, watchKnotLog(started.logFile));
    secondaries.push(started);
  }
  await Promise.all(secondaries.map((s) => until(s, zone.published_serial, 600_000)));
  const bootstrapped = api.output().length;
  for (let round = 0; round < ROUNDS; round++) {
    await post(
      `${api.url}/api/zones/${zone.id}/rrsets`,
      { name: "changing", type: "TXT", records: [`"round ${round}"`] },
      token,
    );
    const calledAt = Date.now();
    const started = performance.now();
    const published = await post(`${api.url}/api/zones/${zone.id}/publish`, undefined, token);
    const publishMs = performance.now() - started;
    const returnedAt = Date.now();
    times.publish.push(publishMs);
    const serial = published.serial as number;
    const took = await Promise.all(secondaries.map((s) => until(s, serial, 30_000)));
    // Knot serves the new serial before its refresh event has finished (it then frees the old
    // copy of the zone, long on a big zone); a NOTIFY arriving meanwhile has its refresh start at
    // the next whole second (Knot schedules zone events in seconds), which is Knot's cost, not
    // the edge's. So a round starts once Knot has logged the refresh done: rounds measure a
    // publish reaching an idle secondary, like publishes seconds apart would.
    // BENCH_BACK_TO_BACK=1 starts the next round at once (as before).
    if (!BACK_TO_BACK) for (const s of secondaries) if (s.kind === "knot") await knotLogged(s, serial);
    rounds.push({
      serial,
      calledAt,
      returnedAt,
      answeredAt: Object.fromEntries(
        secondaries.map((s, i) => [names.get(s) ?? s.kind, returnedAt + (took[i] as number)]),
      ),
    });
    for (const [i, s] of secondaries.entries()) {
      const kind = names.get(s) ?? s.kind;
      times[kind]?.push(publishMs + (took[i] as number));
      // The secondary's own part (NOTIFY, SOA query, IXFR, apply), without the publish call.
      const after = times[`${kind}-after`] ?? [];
      after.push(took[i] as number);
      times[`${kind}-after`] = after;
    }
  }
  const forms = new Map<string, number>();
  for (const line of api.output().slice(bootstrapped).split("\n")) {
    if (!line.includes('"zone transfer answered"')) continue;
    const { transfer } = JSON.parse(line) as { transfer: { qtype: string; form: string; fallback?: string } };
    const key = `${transfer.qtype} ${transfer.form}${transfer.fallback ? ` (${transfer.fallback})` : ""}`;
    forms.set(key, (forms.get(key) ?? 0) + 1);
  }
  transfers = [...forms].map(([k, n]) => `${k}: ${n}`).join(", ");
  breakdown = stepBreakdown(api.output(), secondaries, ports);
  perRound = roundTable(api.output(), secondaries, ports);
  // An empty log proves nothing: every round must have been transferred, as a difference.
  if (forms.size === 0) throw new Error("no zone transfer was logged after the bootstrap");
  if ([...forms.keys()].some((k) => k !== "IXFR difference" && k !== "IXFR soa"))
    throw new Error(`transfers after the bootstrap were not all IXFR differences: ${transfers}`);
} finally {
  for (const watch of knotLogs.values()) watch.stop();
  await api.stop();
  await Promise.all(secondaries.map((s) => s.stop()));
  // BENCH_LOG_DIR keeps the API's output (its edge workers' lines included) and each secondary's
  // own log, to see where a slow round's time went.
  const keep = process.env.BENCH_LOG_DIR;
  if (keep) {
    writeFileSync(path.join(keep, "api.log"), api.output());
    for (const s of secondaries)
      cpSync(path.dirname(s.logFile), path.join(keep, names.get(s) ?? s.kind), { recursive: true });
  }
  rmSync(dir, { recursive: true, force: true });
}
console.log(
  `\nPublish → secondary answers the serial, ${RRSETS.toLocaleString("en")}-rrset zone, ${ROUNDS} rounds, ${os.cpus().length} cores\n`,
);
console.log("| measured from the publish call to | p50 ms | p99 ms | max ms |");
console.log("|---|---|---|---|");
const labels: Record<string, string> = {
  publish: "publish returns",
  knot: "Knot answers",
  "knot-stock": "stock Knot answers",
  nsd: "NSD answers",
  "knot-after": "Knot answers, timed from the publish's return",
  "knot-stock-after": "stock Knot answers, timed from the publish's return",
  "nsd-after": "NSD answers, timed from the publish's return",
};
for (const [kind, values] of Object.entries(times)) {
  const what = labels[kind] ?? kind;
  console.log(
    `| ${what} | ${median(values).toFixed(1)} | ${percentile(values, 99).toFixed(1)} | ${Math.max(...values).toFixed(1)} |`,
  );
}
console.log(`\nTransfers after the bootstrap (edge log): ${transfers}`);
console.log(
  `\nWhere each round's time went (from the edge's log lines and the secondaries' own logs):\n\n${breakdown}`,
);
console.log(
  `\nEach round, ms from the publish call (Knot's lines: when they appeared in its log file, polled every 2 ms):\n\n${perRound}`,
);
console.log(
  `\nLoad average (1/5/15 min): before ${loadBefore.map((l) => l.toFixed(2)).join(" ")}, after ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`,
);

/**
 * Splits each round from the publish's return to the secondary answering into: the edge sending
 * NOTIFY ("secondary notified" lines carry `sentAt`; negative: it left before the publish
 * returned), the edge answering the transfer ("zone transfer answered" lines, which do not name the
 * client: with several secondaries, the first transfer of that serial), and the
 * secondary serving the new serial after that. Knot's log also gives its own refresh time ("zone
 * updated, N seconds"; 10 ms resolution).
 */
function stepBreakdown(output: string, running: Secondary[], portOf: Record<string, number>): string {
  const notified = new Map<string, number>();
  const transferred = new Map<number, number>();
  for (const line of output.split("\n")) {
    if (line.includes('"secondary notified"')) {
      const { secondary, serial, sentAt } = JSON.parse(line) as {
        secondary: string;
        serial: number;
        sentAt: number;
      };
      notified.set(`${secondary}/${serial}`, sentAt);
    } else if (line.includes('"zone transfer answered"')) {
      const { time, transfer } = JSON.parse(line) as { time: number; transfer: { serial: number } };
      if (!transferred.has(transfer.serial)) transferred.set(transfer.serial, time);
    }
  }
  const rows: string[] = [
    "| step (ms) | secondary | rounds | p50 | p99 | max |",
    "|---|---|---|---|---|---|",
  ];
  const row = (what: string, kind: string, values: number[]): void => {
    if (values.length === 0) {
      rows.push(`| ${what} | ${kind} | 0 | – | – | – |`);
      return;
    }
    rows.push(
      `| ${what} | ${kind} | ${values.length} | ${median(values).toFixed(1)} | ${percentile(values, 99).toFixed(1)} | ${Math.max(...values).toFixed(1)} |`,
    );
  };
  for (const s of running) {
    const kind = names.get(s) ?? s.kind;
    const id = `secondary:127.0.0.1:${portOf[kind]}`;
    const toNotify: number[] = [];
    const toTransfer: number[] = [];
    const toAnswer: number[] = [];
    for (const round of rounds) {
      const sent = notified.get(`${id}/${round.serial}`);
      const answered = transferred.get(round.serial);
      const served = round.answeredAt[kind];
      if (sent !== undefined) toNotify.push(sent - round.returnedAt);
      if (sent !== undefined && answered !== undefined) toTransfer.push(answered - sent);
      if (answered !== undefined && served !== undefined) toAnswer.push(served - answered);
    }
    row("publish returned → NOTIFY sent", kind, toNotify);
    row("NOTIFY sent → edge answered the (first) transfer of the serial", kind, toTransfer);
    row("(first) transfer answered → this secondary serves the serial", kind, toAnswer);
    if (s.kind === "knot") {
      const refresh = [...s.log().matchAll(/refresh, remote .*zone updated, ([\d.]+) seconds/g)].map(
        (m) => Number(m[1]) * 1000,
      );
      // The last ROUNDS refreshes are the rounds' (the first is the bootstrap).
      row("Knot's own refresh (its log)", kind, refresh.slice(-ROUNDS));
    }
  }
  return rows.join("\n");
}

/**
 * One row per round and secondary, every column in ms from the publish call: the publish's
 * return, the edge's NOTIFY to this secondary, Knot logging that NOTIFY, the edge answering the
 * (first) transfer of the serial (its lines do not name the client), Knot logging "zone updated",
 * and the bench seeing the new serial in the secondary's answer. A slow round shows which gap grew.
 */
function roundTable(output: string, running: Secondary[], portOf: Record<string, number>): string {
  const notified = new Map<string, number>();
  const transferred = new Map<number, number>();
  for (const line of output.split("\n")) {
    if (line.includes('"secondary notified"')) {
      const { secondary, serial, sentAt } = JSON.parse(line) as {
        secondary: string;
        serial: number;
        sentAt: number;
      };
      notified.set(`${secondary}/${serial}`, sentAt);
    } else if (line.includes('"zone transfer answered"')) {
      const { time, transfer } = JSON.parse(line) as { time: number; transfer: { serial: number } };
      if (!transferred.has(transfer.serial)) transferred.set(transfer.serial, time);
    }
  }
  const at = (t: number | undefined, from: number) => (t === undefined ? "–" : String(Math.round(t - from)));
  const rows = [
    "| round | secondary | serial | publish returned | NOTIFY sent | Knot logged NOTIFY | transfer answered | Knot logged zone updated | answer seen |",
    "|---|---|---|---|---|---|---|---|---|",
  ];
  for (const [i, round] of rounds.entries()) {
    for (const s of running) {
      const kind = names.get(s) ?? s.kind;
      const log = knotLogs.get(kind);
      const from = round.calledAt;
      rows.push(
        `| ${i + 1} | ${kind} | ${round.serial} | ${at(round.returnedAt, from)} | ${at(
          notified.get(`secondary:127.0.0.1:${portOf[kind]}/${round.serial}`),
          from,
        )} | ${at(log?.notified.get(round.serial), from)} | ${at(transferred.get(round.serial), from)} | ${at(
          log?.updated.get(round.serial),
          from,
        )} | ${at(round.answeredAt[kind], from)} |`,
      );
    }
  }
  return rows.join("\n");
}
