/**
 * CPU per single-rrset change in-process, without HTTP (issue 14): calls the built
 * `changeRRsets` of a checkout directly, on SQLite and on a throwaway PostgreSQL. Per database,
 * 3 rounds (a fresh zone each) of N UPSERTs at fresh names one after another, then N replacing
 * them from 16 concurrent callers; `process.cpuUsage` per call. CPU per call moves far less with
 * other people's load than wall time does, so before/after builds compare on a busy machine.
 * Usage: pnpm --filter @dnscove/bench bench:api-change-cpu
 *   BENCH_ROOTS=/path/to/before,/path/to/after (checkouts with built packages/db and apps/api;
 *   default this one), BENCH_CALLS (default 1,000), BENCH_DATABASES=sqlite or postgres.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startPostgres } from "@dnscove/testkit";

const ROOTS = (process.env.BENCH_ROOTS ?? fileURLToPath(new URL("..", import.meta.url))).split(",");
const CALLS = Number(process.env.BENCH_CALLS ?? 1000);
const DATABASES = (process.env.BENCH_DATABASES ?? "sqlite,postgres").split(",");

interface Opened {
  db: {
    tenant: { create(args: unknown): Promise<unknown> };
    zone: { create(args: unknown): Promise<unknown> };
  };
  close(): Promise<void>;
}
type Change = (
  s: unknown,
  actor: unknown,
  zoneId: string,
  inputs: unknown[],
  batch: boolean,
) => Promise<unknown>;

async function measure(root: string, provider: string, location: string) {
  const { openDatabase } = (await import(path.join(root, "packages/db/dist/src/index.js"))) as {
    openDatabase(target: unknown, options?: { checkpointInWorker?: boolean }): Promise<Opened>;
  };
  const { changeRRsets } = (await import(
    path.join(root, "apps/api/dist/src/domain/rrsets/change-rrsets.js")
  )) as {
    changeRRsets: Change;
  };
  // As the API opens it (apps/api/src/main.ts); a checkout without the option ignores it.
  // process.cpuUsage counts the checkpoint worker's thread too.
  const { db, close } = await openDatabase({ provider, location }, { checkpointInWorker: true });
  const now = new Date();
  await db.tenant.create({ data: { id: "tnt_bench" } });
  // The settings changeRRsets reads: `history` (its mass-delete brake) was missing since issue 15,
  // so every call threw before this was added.
  const settings = {
    quotas: { rrsetsPerZone: 1e9 },
    history: { retentionDays: 30, massDelete: { share: 1, minimum: Number.MAX_SAFE_INTEGER } },
  };
  const services = { db, clock: { now: () => new Date() }, settings };
  const actor = { kind: "session", tenantId: "tnt_bench", userId: "u", sessionId: "s" };
  const cpu = (since: NodeJS.CpuUsage) => {
    const used = process.cpuUsage(since);
    return Math.round((used.user + used.system) / CALLS);
  };
  let last = { fresh: 0, replace: 0 };
  for (let round = 0; round < 3; round++) {
    const zoneId = `Zbench${round}`;
    await db.zone.create({
      data: {
        id: zoneId,
        tenantId: "tnt_bench",
        origin: `round${round}.example`,
        status: "ACTIVE",
        serial: 1,
        publishedSerial: 1,
        createdAt: now,
        updatedAt: now,
      },
    });
    const upsert = (i: number, address: string) =>
      changeRRsets(
        services,
        actor,
        zoneId,
        [{ action: "UPSERT", name: `h${i}`, type: "A", ttl: 300, records: [address] }],
        false,
      );
    const a = process.cpuUsage();
    for (let i = 0; i < CALLS; i++) await upsert(i, "192.0.2.1");
    const fresh = cpu(a);
    let next = 0;
    const b = process.cpuUsage();
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < CALLS) {
          const i = next++;
          await upsert(i, `192.0.2.${(i % 200) + 2}`);
        }
      }),
    );
    last = { fresh, replace: cpu(b) };
  }
  await close();
  return last;
}

const dir = mkdtempSync(path.join(os.tmpdir(), "dnscove-change-cpu-"));
const server = DATABASES.includes("postgres") ? await startPostgres() : undefined;
const rows: string[] = [];
let databases = 0;
try {
  for (const provider of DATABASES) {
    for (const root of ROOTS) {
      databases += 1;
      let location = path.join(dir, `db${databases}.sqlite`);
      if (provider === "postgres" && server) {
        await server.createDatabase(`bench${databases}`);
        location = server.databaseUrl(`bench${databases}`);
      }
      const result = await measure(root, provider, location);
      rows.push(`| ${provider} | ${root} | ${result.fresh} | ${result.replace} |`);
    }
  }
} finally {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
}
console.log(`\nchangeRRsets in-process, ${CALLS} calls per step, third round of 3 (µs of CPU per call)\n`);
console.log("| database | checkout | UPSERT fresh name, sequential | UPSERT replacing, 16 concurrent |");
console.log("|---|---|---:|---:|");
for (const row of rows) console.log(row);
