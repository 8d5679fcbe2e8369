/**
 * What the audit log adds to a single-rrset change (issue 15 beside issue 14's write rate), on
 * SQLite and PostgreSQL, side by side in one process. Usage: pnpm --filter @dnscove/bench bench:audit
 *
 * For each database: a fresh database with one tenant and zone, then ROUNDS alternating rounds of
 *  A. OPS single-rrset UPSERTs through the domain operation (changeRRsets: serial bump, rrset row,
 *     change journal, and the audit entry), one after another;
 *  B. OPS transactions holding only the audit write (recordAudit: head upsert + insert + trigger)
 *     with the same event;
 *  C. OPS empty transactions (what B pays for its own transaction: B - C is the audit write's
 *     share of a change).
 * Reported: this process's CPU time (process.cpuUsage: the driver, Prisma, hashing; for SQLite the
 * database engine too, for PostgreSQL not the server's) and wall time per operation, medians over
 * the rounds, and B / A. Alternating rounds keep both under the same machine load.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startPostgres } from "@dnscove/testkit";
import { createServices } from "../apps/api/src/app.js";
import type { Actor } from "../apps/api/src/domain/actor.js";
import { rrsetsChanged } from "../apps/api/src/domain/audit/audit-events.js";
import { recordAudit } from "../apps/api/src/domain/audit/record-audit.js";
import type { DnsChecks } from "../apps/api/src/domain/checks/dns-checks.js";
import { changeRRsets } from "../apps/api/src/domain/rrsets/change-rrsets.js";
import { createZone } from "../apps/api/src/domain/zones/create-zone.js";
import { createLogger } from "../apps/api/src/lib/logger.js";
import { createDevelopmentMailer } from "../apps/api/src/mail/development-mailer.js";
import { domainSettings } from "../apps/api/src/settings.js";
import { type DatabaseTarget, openDatabase } from "../packages/db/dist/src/index.js";
import { median } from "./lib.js";

const OPS = Number(process.env.BENCH_OPS ?? 300);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

interface Measured {
  cpuUs: number;
  wallUs: number;
}

async function measure(work: (i: number) => Promise<unknown>): Promise<Measured> {
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  for (let i = 0; i < OPS; i += 1) await work(i);
  const used = process.cpuUsage(cpu);
  return {
    cpuUs: (used.user + used.system) / OPS,
    wallUs: Number(process.hrtime.bigint() - started) / 1000 / OPS,
  };
}

async function run(target: DatabaseTarget) {
  const database = await openDatabase(target);
  try {
    const { db } = database;
    const services = createServices({
      db,
      logger: createLogger({ level: "silent" }),
      mailer: createDevelopmentMailer(),
      settings: domainSettings({
        secret: "b".repeat(64),
        publicUrl: "http://bench.test",
        nameservers: ["ns1.bench.test."],
        soaRname: "hostmaster.bench.test.",
      }),
      edges: { snapshotsChanged: async () => undefined, awaitServing: async () => null },
      dnsChecks: {} as DnsChecks,
    });
    await db.tenant.create({ data: { id: "tnt_bench" } });
    await db.user.create({ data: { id: "usr_bench", email: "bench@example.test", tenantId: "tnt_bench" } });
    const actor: Actor = {
      kind: "session",
      tenantId: "tnt_bench",
      userId: "usr_bench",
      email: "bench@example.test",
      sessionId: "ses_bench",
      request: { clientAddress: "192.0.2.1", requestId: "00000000-0000-4000-8000-000000000000" },
    };
    const zone = await createZone(services, actor, { origin: `${target.provider}.bench.test` });
    const event = rrsetsChanged(zone, 2, [
      {
        name: `host.${zone.origin}.`,
        type: "A",
        before: null,
        after: { ttl: 300, records: '["192.0.2.1"]' },
      },
    ]);
    let host = 0;
    const change: Measured[] = [];
    const audit: Measured[] = [];
    const empty: Measured[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      change.push(
        await measure(() =>
          changeRRsets(
            services,
            actor,
            zone.id,
            [{ action: "UPSERT", name: `host${host++}`, type: "A", ttl: 300, records: ["192.0.2.1"] }],
            false,
          ),
        ),
      );
      audit.push(await measure(() => db.$transaction((tx) => recordAudit(tx, services.clock, actor, event))));
      empty.push(await measure(() => db.$transaction(async () => undefined)));
    }
    const med = (values: Measured[], key: keyof Measured) => median(values.map((m) => m[key]));
    return {
      database: target.provider,
      changeCpuUs: med(change, "cpuUs"),
      auditCpuUs: med(audit, "cpuUs"),
      changeWallUs: med(change, "wallUs"),
      auditWallUs: med(audit, "wallUs"),
      emptyCpuUs: med(empty, "cpuUs"),
      emptyWallUs: med(empty, "wallUs"),
    };
  } finally {
    await database.close();
  }
}

const dir = mkdtempSync(path.join(os.tmpdir(), "dnscove-bench-audit-"));
const postgres = await startPostgres();
try {
  await postgres.createDatabase("audit_bench");
  const results = [
    await run({ provider: "sqlite", location: path.join(dir, "bench.db") }),
    await run({ provider: "postgres", location: postgres.databaseUrl("audit_bench") }),
  ];
  console.log(
    `load average: ${os
      .loadavg()
      .map((n) => n.toFixed(2))
      .join(" ")}; ${ROUNDS} rounds of ${OPS}`,
  );
  for (const r of results) {
    const marginalCpu = r.auditCpuUs - r.emptyCpuUs;
    const marginalWall = r.auditWallUs - r.emptyWallUs;
    console.log(
      `${r.database}: change ${r.changeCpuUs.toFixed(0)} us CPU (${r.changeWallUs.toFixed(0)} us wall); ` +
        `audit in its own transaction ${r.auditCpuUs.toFixed(0)} us CPU (${r.auditWallUs.toFixed(0)} us wall); ` +
        `empty transaction ${r.emptyCpuUs.toFixed(0)} us CPU (${r.emptyWallUs.toFixed(0)} us wall); ` +
        `audit share of a change = ${(marginalCpu / r.changeCpuUs).toFixed(2)} CPU, ${(marginalWall / r.changeWallUs).toFixed(2)} wall`,
    );
  }
} finally {
  await postgres.stop();
  rmSync(dir, { recursive: true, force: true });
}
