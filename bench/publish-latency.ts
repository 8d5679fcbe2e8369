/**
 * Publish-to-answer latency of the embedded default (API + edge worker, SQLite), one rrset changed,
 * for zones of 2,000, 200,000 and 1,000,000 rrsets side by side in one run (issues 3 and 14).
 * Usage: pnpm --filter @dnscove/bench bench:publish
 *   BENCH_SIZES (default 2000,200000,1000000), BENCH_ROUNDS (default 30 per size).
 *   BENCH_LOG_DIR=DIR keeps the API's output (api.log) and every round's wall-clock start and
 *   times (rounds.jsonl), records the API's and the edge workers' GC pauses and event-loop stalls
 *   (record-pauses.cjs), and prints what overlapped each size's slowest rounds.
 *
 * Setup, not timed: each zone is created through the API, then filled straight in its SQLite
 * database (createMany of `host<i>` A rrsets in chunks, then one transaction that writes the full
 * snapshot at the next serial and publishes it, as a compaction would: filling 1,000,000 rrsets
 * through the API takes the best part of an hour on this machine); the bench waits until the edge
 * answers that serial (a cold load of the snapshot). Then the rounds go round-robin over the sizes
 * (so the machine's noise falls on all of them alike): change one TXT rrset through the API, then
 * time `POST …/publish` (it returns once every edge serves the serial; the edge applies the journal
 * row) and the first SOA query answered with the new serial.
 */
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { freePort, signIn } from "@dnscove/testkit";
// The database package's build, by path: the bench opens the API's SQLite file to seed it.
import {
  announcePublished,
  decodeSnapshot,
  encodeSnapshot,
  openDatabase,
} from "../packages/db/dist/src/index.js";
import { median, percentile, post, soaSerial, startBenchApi } from "./lib.js";

const SIZES = (process.env.BENCH_SIZES ?? "2000,200000,1000000").split(",").map(Number);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 30);
const SEED_CHUNK = 10_000;
const LOG_DIR = process.env.BENCH_LOG_DIR;

const dir = mkdtempSync(path.join(os.tmpdir(), "dnscove-bench-publish-"));
const dnsPort = await freePort();
const api = await startBenchApi({
  PORT: String(await freePort()),
  DNS_PORT: String(dnsPort),
  EDGE_RRL_RATE: "0", // one client asking one name fast is what RRL limits
  DNSCOVE_DATA_DIR: dir,
  DNSCOVE_PUBLISH_INTERVAL_MS: "60000",
  DNSCOVE_MAX_RRSETS_PER_ZONE: String(Math.max(...SIZES) + 10),
  ...(LOG_DIR
    ? {
        NODE_OPTIONS: `--require ${fileURLToPath(new URL("./record-pauses.cjs", import.meta.url))}`,
        PAUSES_DIR: LOG_DIR,
      }
    : {}),
});
const seedDb = await openDatabase(
  { provider: "sqlite", location: path.join(dir, "dnscove.db") },
  { migrate: false },
);

/** Fills zone `id` with `size` A rrsets and publishes them as one full snapshot (see above). */
async function seed(id: string, size: number): Promise<number> {
  const { db } = seedDb;
  for (let start = 0; start < size; start += SEED_CHUNK) {
    const data = Array.from({ length: Math.min(SEED_CHUNK, size - start) }, (_, i) => ({
      zoneId: id,
      name: `host${start + i}.${origin(size)}.`,
      type: "A",
      ttl: 300,
      records: JSON.stringify([`192.0.2.${(start + i) % 250}`]),
    }));
    await db.rRset.createMany({ data });
  }
  return db.$transaction(
    async (tx) => {
      // Write first: a SQLite transaction that reads and then writes fails outright when another
      // connection (the API's edge heartbeats) committed in between (WAL, SQLITE_BUSY_SNAPSHOT).
      await tx.$executeRaw`UPDATE "zones" SET "serial" = "serial" + 1 WHERE "id" = ${id}`;
      const zone = await tx.zone.findUniqueOrThrow({ where: { id } });
      const created = await tx.snapshot.findFirstOrThrow({
        where: { zoneId: id },
        orderBy: { serial: "desc" },
      });
      const apex = decodeSnapshot(created.content).rrsets;
      const rows = await tx.rRset.findMany({
        where: { zoneId: id },
        select: { name: true, type: true, ttl: true, records: true },
      });
      const serial = zone.serial;
      const content = encodeSnapshot({
        origin: `${zone.origin}.`,
        serial,
        rrsets: [...apex, ...rows.map((r) => ({ ...r, records: JSON.parse(r.records) as string[] }))],
      });
      await tx.snapshot.create({ data: { zoneId: id, serial, origin: zone.origin, content } });
      await tx.zone.update({
        where: { id },
        data: {
          serial,
          publishedSerial: serial,
          historyFrom: serial,
          changesSinceSnapshot: 0,
          rrsetCount: rows.length,
        },
      });
      await announcePublished(tx, id);
      return serial;
    },
    { timeout: 600_000 },
  );
}
/** A setup call, once more if it met an idle keep-alive connection the server had closed. */
const setupPost = (url: string, body: unknown, token: string) =>
  post(url, body, token).catch(() => post(url, body, token));
const origin = (size: number) => `p${size}.example`;

async function waitServed(origin: string, serial: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await soaSerial(dnsPort, origin)) !== serial) {
    if (Date.now() > deadline) throw new Error(`${origin}: serial ${serial} not served in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

interface Zone {
  size: number;
  origin: string;
  id: string;
  publishMs: number[];
  answerMs: number[];
}

const zones: Zone[] = [];
const rows: string[] = [];
try {
  const session = await signIn(api.url, { label: "bench" });
  for (const size of SIZES) {
    const zone = await setupPost(`${api.url}/api/zones`, { origin: origin(size) }, session);
    const id = zone.id as string;
    const seedStart = performance.now();
    const serial = await seed(id, size);
    await setupPost(`${api.url}/api/zones/${id}/publish`, undefined, session); // tells the edge
    await waitServed(origin(size), serial, 30 * 60_000);
    console.error(
      `${origin(size)}: seeded and served in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`,
    );
    zones.push({ size, origin: origin(size), id, publishMs: [], answerMs: [] });
  }

  for (let round = 0; round < ROUNDS; round++) {
    for (const zone of zones) {
      const rrsets = `${api.url}/api/zones/${zone.id}/rrsets`;
      const change = await post(
        rrsets,
        { name: "probe", type: "TXT", records: [`"round ${round}"`] },
        session,
      );
      const started = performance.now();
      const published = await post(`${api.url}/api/zones/${zone.id}/publish`, undefined, session);
      zone.publishMs.push(performance.now() - started);
      if (published.published !== true)
        throw new Error(`publish not confirmed: ${JSON.stringify(published)}`);
      while ((await soaSerial(dnsPort, zone.origin)) !== change.serial) {
        // the publish answered; the edge must already serve the serial, but measure rather than assume
      }
      zone.answerMs.push(performance.now() - started);
      if (LOG_DIR)
        appendFileSync(
          path.join(LOG_DIR, "rounds.jsonl"),
          `${JSON.stringify({ size: zone.size, round, startedAt: Date.now() - (performance.now() - started), publishMs: zone.publishMs.at(-1), answerMs: zone.answerMs.at(-1) })}\n`,
        );
    }
  }
  for (const zone of zones) {
    rows.push(
      `| ${zone.size.toLocaleString("en")} | ${ROUNDS} | ${median(zone.publishMs).toFixed(1)} | ${percentile(zone.publishMs, 99).toFixed(1)} | ${median(zone.answerMs).toFixed(1)} | ${percentile(zone.answerMs, 99).toFixed(1)} |`,
    );
  }
} catch (error) {
  console.error(`API output (last 4,000 characters):\n${api.output().slice(-4000)}`);
  throw error;
} finally {
  await seedDb.close();
  await api.stop();
  if (LOG_DIR) writeFileSync(path.join(LOG_DIR, "api.log"), api.output());
  rmSync(dir, { recursive: true, force: true });
}
console.log(
  `\npublish-to-answer, embedded default (SQLite), ${os.cpus().length} cores, load ${os.loadavg()[0]?.toFixed(1)}\n`,
);
console.log("| rrsets | rounds | publish p50 ms | publish p99 ms | answer p50 ms | answer p99 ms |");
console.log("|---|---|---|---|---|---|");
for (const row of rows) console.log(row);
if (LOG_DIR) printSlowRounds(LOG_DIR);
const smallest = zones[0];
const largest = zones[zones.length - 1];
if (smallest && largest && zones.length > 1) {
  const ratio = (f: (values: number[]) => number) => (f(largest.answerMs) / f(smallest.answerMs)).toFixed(2);
  console.log(
    `\nanswer ratio ${largest.size.toLocaleString("en")} / ${smallest.size.toLocaleString("en")}: p50 ${ratio(median)}, p99 ${ratio((v) => percentile(v, 99))} (target ≤ 3); answer p99 at the largest ${percentile(largest.answerMs, 99).toFixed(1)} ms (target ≤ 50 at 1,000,000)`,
  );
}

/** Each size's three slowest rounds, with the GC pauses and stalls of every process during them. */
function printSlowRounds(dir: string): void {
  type Pause = { at: number; ms: number; kind?: string; cpuMs?: number };
  const rounds = readFileSync(path.join(dir, "rounds.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as { size: number; round: number; startedAt: number; answerMs: number });
  const processes = readdirSync(dir)
    .filter((name) => name.endsWith(".pauses.json"))
    .map(
      (name) =>
        JSON.parse(readFileSync(path.join(dir, name), "utf8")) as {
          role: string;
          gcs: Pause[];
          stalls: Pause[];
        },
    );
  console.log(
    "\nSlowest rounds and what overlapped them (GC > 5 ms; stalls > 12 ms with the process's CPU ms):",
  );
  for (const size of SIZES) {
    for (const r of rounds
      .filter((x) => x.size === size)
      .sort((a, b) => b.answerMs - a.answerMs)
      .slice(0, 3)) {
      const end = r.startedAt + r.answerMs;
      const during = (p: Pause) => p.at < end && p.at + p.ms > r.startedAt;
      const seen = processes.flatMap((p) => [
        ...p.gcs.filter(during).map((g) => `${p.role} GC ${g.kind} ${g.ms.toFixed(0)} ms`),
        ...p.stalls.filter(during).map((s) => `${p.role} stall ${s.ms} ms (CPU ${s.cpuMs?.toFixed(0)} ms)`),
      ]);
      console.log(
        `- ${size.toLocaleString("en")} rrsets, round ${r.round}: ${r.answerMs.toFixed(1)} ms; ${seen.join("; ") || "nothing recorded"}`,
      );
    }
  }
}
