/**
 * The auto-publisher's idle tick (expire ACME challenges, look up pending zones; nothing pending)
 * with 10 and with 10,000 idle zones, on SQLite and PostgreSQL (issue 14: the tick's work must
 * grow with the zones that changed, not with all zones). For contrast it also times the lookup the
 * tick used before, Prisma's `serial > published_serial` findMany, which scans every zone.
 * Usage: pnpm --filter @dnscove/bench bench:auto-publisher
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startPostgres } from "@dnscove/testkit";
import type { Services } from "../apps/api/dist/src/domain/services.js";
import { startAutoPublisher } from "../apps/api/dist/src/jobs/auto-publisher.js";
import { openDatabase } from "../packages/db/dist/src/index.js";
import { median, percentile } from "./lib.js";

const SIZES = (process.env.BENCH_SIZES ?? "10,10000").split(",").map(Number);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 200);

async function measure(db: Awaited<ReturnType<typeof openDatabase>>["db"], idle: number) {
  const tenantId = `bench-${idle}`;
  await db.tenant.create({ data: { id: tenantId } });
  for (let start = 0; start < idle; start += 500) {
    await db.zone.createMany({
      data: Array.from({ length: Math.min(500, idle - start) }, (_, i) => ({
        id: `${tenantId}-z${start + i}`,
        tenantId,
        origin: `z${start + i}.${tenantId}.example`,
        status: "active",
        serial: 5,
        publishedSerial: 5,
      })),
    });
  }
  // Only the database and the clock are used by a tick with nothing pending.
  const services = { db, clock: { now: () => new Date() } } as unknown as Services;
  const publisher = startAutoPublisher(services, 3_600_000);
  const tickMs: number[] = [];
  const oldLookupMs: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    let started = performance.now();
    if ((await publisher.runOnce()) !== 0) throw new Error("an idle zone was published");
    tickMs.push(performance.now() - started);
    started = performance.now();
    await db.zone.findMany({
      where: { serial: { gt: db.zone.fields.publishedSerial } },
      select: { id: true },
    });
    oldLookupMs.push(performance.now() - started);
  }
  await publisher.stop();
  await db.zone.deleteMany({ where: { tenantId } });
  await db.tenant.delete({ where: { id: tenantId } });
  return { tickMs, oldLookupMs };
}

const fmt = (values: number[]) => `${median(values).toFixed(2)} / ${percentile(values, 99).toFixed(2)}`;
const lines: string[] = [];
const dir = mkdtempSync(path.join(os.tmpdir(), "dnscove-bench-tick-"));
const postgres = await startPostgres();
try {
  await postgres.createDatabase("tick");
  for (const target of [
    { provider: "sqlite" as const, location: path.join(dir, "tick.db") },
    { provider: "postgres" as const, location: postgres.databaseUrl("tick") },
  ]) {
    const database = await openDatabase(target);
    const medians: number[] = [];
    for (const idle of SIZES) {
      const { tickMs, oldLookupMs } = await measure(database.db, idle);
      medians.push(median(tickMs));
      lines.push(`| ${target.provider} | ${idle} | ${fmt(tickMs)} | ${fmt(oldLookupMs)} |`);
    }
    lines.push(
      `| ${target.provider} | ratio ${SIZES.at(-1)}/${SIZES[0]} | ${((medians.at(-1) ?? 0) / (medians[0] ?? 1)).toFixed(2)}× | |`,
    );
    await database.close();
  }
} finally {
  await postgres.stop();
  rmSync(dir, { recursive: true, force: true });
}
console.log("| database | idle zones | tick ms median / p99 | old full-scan lookup ms median / p99 |");
console.log("|---|---|---|---|");
for (const line of lines) console.log(line);
