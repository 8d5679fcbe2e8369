/**
 * The auto-publisher's idle tick (expire ACME challenges, look up pending zones; nothing pending)
 * with 10 and with 10,000 idle zones, on SQLite and PostgreSQL (issue 14: the tick's work must
 * grow with the zones that changed, not with all zones). For contrast the same ticks are timed again
 * after dropping the partial index zones_publish_due_idx, i.e. the full scan of zones the tick did before.
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
  await db.$executeRawUnsafe("ANALYZE"); // the statistics autovacuum (PostgreSQL) would keep
  const tick = async () => {
    const started = performance.now();
    if ((await publisher.runOnce()) !== 0) throw new Error("an idle zone was published");
    return performance.now() - started;
  };
  const timed = async () => {
    for (let round = 0; round < 20; round++) await tick(); // warm-up
    const ms: number[] = [];
    for (let round = 0; round < ROUNDS; round++) ms.push(await tick());
    return ms;
  };
  const tickMs = await timed();
  await db.$executeRawUnsafe('DROP INDEX "zones_publish_due_idx"');
  await db.$executeRawUnsafe("ANALYZE");
  const fullScanMs = await timed();
  await db.$executeRawUnsafe('CREATE INDEX "zones_publish_due_idx" ON "zones"("id") WHERE "publish_due"');
  await publisher.stop();
  await db.zone.deleteMany({ where: { tenantId } });
  await db.tenant.delete({ where: { id: tenantId } });
  return { tickMs, fullScanMs };
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
    const scanMedians: number[] = [];
    for (const idle of SIZES) {
      const { tickMs, fullScanMs } = await measure(database.db, idle);
      medians.push(median(tickMs));
      scanMedians.push(median(fullScanMs));
      lines.push(`| ${target.provider} | ${idle} | ${fmt(tickMs)} | ${fmt(fullScanMs)} |`);
    }
    lines.push(
      `| ${target.provider} | ratio ${SIZES.at(-1)}/${SIZES[0]} | ${((medians.at(-1) ?? 0) / (medians[0] ?? 1)).toFixed(2)}× | ${((scanMedians.at(-1) ?? 0) / (scanMedians[0] ?? 1)).toFixed(2)}× |`,
    );
    await database.close();
  }
} finally {
  await postgres.stop();
  rmSync(dir, { recursive: true, force: true });
}
console.log(
  "| database | idle zones | tick ms median / p99 | without the index (full scan) ms median / p99 |",
);
console.log("|---|---|---|---|");
for (const line of lines) console.log(line);
