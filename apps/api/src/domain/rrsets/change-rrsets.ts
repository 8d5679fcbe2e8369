import {
  type JournalEntry,
  providerOf,
  type RawTx,
  recordZoneChanges,
  runTogether,
  writesAtCommit,
} from "@dnscove/db";
import { type Actor, authorize } from "../actor.js";
import { rrsetsChanged, zoneRolledBack } from "../audit/audit-events.js";
import { type AuditHead, appendAuditEntry, claimAuditHead } from "../audit/record-audit.js";
import type { FieldIssue } from "../errors.js";
import { ConflictError, NotFoundError, QuotaExceededError, ValidationError } from "../errors.js";
import { rawTransaction, transactMaybeDry } from "../history/dry-run.js";
import { checkMassDelete } from "../history/mass-delete.js";
import { diffOfEntries } from "../history/zone-diff.js";
import type { Services } from "../services.js";
import { checkCoexistence } from "./check-coexistence.js";
import { canonicalizeChange, type RRsetChange } from "./rrset-change.js";
import {
  type BumpedZone,
  deleteRRset,
  finishZoneRow,
  insertRRsets,
  lockZoneForChange,
  type NewRRsetRow,
  readRRsetsAt,
  replaceRRset,
  type StoredRRset,
} from "./rrset-rows.js";
import type { ChangeAccepted, RRsetChangeInput, RRsetView } from "./schemas.js";
import { rememberZoneOrigin, zoneOrigin } from "./zone-origins.js";

/**
 * Applies one change or an atomic batch: every change is checked first, and any problem rejects
 * the whole call with nothing written (a CREATE of an existing rrset included: 409 RRSET_EXISTS).
 * An accepted call bumps the zone's serial by exactly one.
 * `batch` says whether the body used `{changes: [...]}` (it decides the error paths).
 * A dry run does all of it and rolls back, answering the exact diff (history/dry-run.ts).
 */
export async function changeRRsets(
  services: Services,
  actor: Actor,
  zoneId: string,
  inputs: RRsetChangeInput[],
  batch: boolean,
  options: ChangeOptions = {},
): Promise<ChangeAccepted> {
  authorize(actor, "zone-records", zoneId);
  // A direct transaction on the database driver, not a Prisma interactive one: every statement
  // here is raw SQL, and Prisma's transaction machinery was most of a single change's CPU (issue 14).
  // Changes to one zone wait for each other in this process, not in the database's lock queue
  // for the zone's row, and those waiting together share a transaction on PostgreSQL
  // (RawTransactionOptions.queueKey). Nothing here acts outside `tx`, so it may run twice.
  return transactMaybeDry(rawTransaction(services.db, { queueKey: zoneId }), options.dryRun ?? false, (tx) =>
    changeRRsetsIn(tx, services, actor, zoneId, inputs, batch, options),
  );
}

export interface ChangeOptions {
  /** Answer what the change would do (`diff`), writing nothing. */
  dryRun?: boolean;
  /** Let a change delete more than the mass-delete share of the zone (history/mass-delete.ts). */
  confirmMassDelete?: boolean;
  /** Answer the diff of a real change too (a rollback answers with the diff it applied). */
  withDiff?: boolean;
  /** The change is a rollback to this published serial (audited as `zone.rollback`). */
  rollbackTo?: number;
  /**
   * What the actor needs: `zone-records` (default), or `acme` for an RFC 2136 update signed with an
   * acme-dns01 TSIG key, whose names and types dns-update/ has already limited to `_acme-challenge` TXT.
   */
  permission?: "zone-records" | "acme";
}

/** The change inside the caller's transaction (a rollback's, which has locked the zone first). */
export async function changeRRsetsIn(
  tx: RawTx,
  services: Services,
  actor: Actor,
  zoneId: string,
  inputs: RRsetChangeInput[],
  batch: boolean,
  options: ChangeOptions = {},
): Promise<ChangeAccepted> {
  authorize(actor, options.permission ?? "zone-records", zoneId);
  const { clock, settings } = services;
  const provider = providerOf(services.db);
  const now = clock.now();
  // The origin first (cached: zone-origins.ts), so the names are known before the zone is locked
  // and the three statements that start the change leave together, in one round trip on
  // PostgreSQL's pipelined connection: the zone row's lock (lockZoneForChange), so concurrent
  // batches on one zone are checked against each other's results, never a stale view; the read of
  // the rrsets at those names, which runs after it, under the lock; and the claim of the tenant's
  // audit chain head (record-audit.ts), taken after the zone lock like every other mutation's.
  // A rejected change rolls all three back with everything else.
  const origin = await zoneOrigin(services.db, tx, zoneId, actor.tenantId);
  if (origin === undefined) throw new NotFoundError("Zone");
  // A bad change is answered only once the zone is known to be the actor's (404 before 400).
  let changes: RRsetChange[] = [];
  let invalid: unknown;
  try {
    changes = canonicalizeAll(inputs, origin, batch);
  } catch (error) {
    invalid = error;
  }
  let names = [...new Set(changes.map((change) => change.name))];
  const [zone, read, head] = await runTogether<[BumpedZone | null, StoredRRset[], AuditHead | undefined]>(
    tx,
    [
      () => lockZoneForChange(tx, provider, zoneId, actor.tenantId, now),
      () => readRRsetsAt(tx, zoneId, names),
      // A dry run writes no audit entry, so it claims no head.
      () => (options.dryRun ? Promise.resolve(undefined) : claimAuditHead(tx, actor.tenantId)),
    ],
  );
  if (!zone) throw new NotFoundError("Zone");
  let existing = read;
  if (zone.origin !== origin) {
    // Not expected (an origin never changes); should it happen, the change is redone on the
    // origin the locked row has, and the cache corrected.
    rememberZoneOrigin(services.db, zoneId, zone.origin);
    invalid = undefined;
    changes = canonicalizeAll(inputs, zone.origin, batch);
    names = [...new Set(changes.map((change) => change.name))];
    existing = await readRRsetsAt(tx, zoneId, names);
  }
  if (invalid !== undefined) throw invalid;

  const stored = new Map(existing.map((row) => [`${row.name} ${row.type}`, row]));
  const taken = changes.flatMap((change) =>
    change.action === "CREATE" && stored.has(`${change.name} ${change.type}`)
      ? [{ path: `${change.path}name`, message: `${change.name} ${change.type} already exists` }]
      : [],
  );
  if (taken.length > 0) {
    throw new ConflictError(
      "RRSET_EXISTS",
      "CREATE names an rrset that already exists; use UPSERT to replace it.",
      taken,
    );
  }
  const typesAt = new Map<string, Set<string>>(names.map((name) => [name, new Set<string>()]));
  for (const row of existing) typesAt.get(row.name)?.add(row.type);
  const pathAt = new Map<string, string>();
  for (const change of changes) {
    const types = typesAt.get(change.name);
    if (change.action !== "DELETE") types?.add(change.type);
    else types?.delete(change.type);
    pathAt.set(change.name, change.path);
  }
  const conflicts = names.flatMap((name) =>
    checkCoexistence(name, typesAt.get(name) ?? new Set(), `${pathAt.get(name) ?? ""}name`),
  );
  if (conflicts.length > 0) {
    throw new ConflictError(
      "RRSET_CONFLICT",
      "The change conflicts with other rrsets at the same name.",
      conflicts,
    );
  }

  const deleting = changes.filter(
    (change) => change.action === "DELETE" && stored.has(`${change.name} ${change.type}`),
  ).length;
  checkMassDelete(settings.history.massDelete, zone.rrsetCount, deleting, options.confirmMassDelete ?? false);
  const added = countAdded(changes, existing);
  const limit = settings.quotas.rrsetsPerZone;
  if (added > 0 && zone.rrsetCount + added > limit) {
    throw new QuotaExceededError(
      `The change would leave the zone with ${zone.rrsetCount + added} rrsets; the limit is ${limit} per zone.`,
    );
  }
  // Nothing below reads: on PostgreSQL the writes and the audit entry travel with COMMIT
  // (writesAtCommit), the change's second and last round trip. A dry run writes for real (every
  // statement runs, then rolls back), so it answers any error a real run would meet.
  const writes = options.dryRun ? tx : writesAtCommit(tx);
  await finishZoneRow(writes, provider, zoneId, zone.serial, added, now);

  // Row writes grouped by what `existing` (read under the zone lock) says is there: one
  // multi-row INSERT for new rrsets, an update per replaced one, a delete only for rows that exist.
  // One statement per changed rrset was most of the time of a 1,000-rrset batch (issue 14).
  const rrsets: RRsetView[] = [];
  const journal: JournalEntry[] = [];
  const created: NewRRsetRow[] = [];
  for (const change of changes) {
    const gone = stored.get(`${change.name} ${change.type}`);
    if (change.action === "DELETE") {
      journal.push({ name: change.name, type: change.type, before: gone ?? null, after: null });
      if (gone) await deleteRRset(writes, zoneId, change);
      rrsets.push({
        name: change.name,
        type: change.type,
        ttl: gone?.ttl ?? change.ttl,
        records: gone ? (JSON.parse(gone.records) as string[]) : [],
      });
      continue;
    }
    const data = { ttl: change.ttl, records: JSON.stringify(change.records) };
    journal.push({ name: change.name, type: change.type, before: gone ?? null, after: data });
    if (gone) {
      await replaceRRset(writes, { zoneId, name: change.name, type: change.type, ...data });
    } else {
      created.push({ zoneId, name: change.name, type: change.type, ...data });
    }
    rrsets.push({ name: change.name, type: change.type, ttl: change.ttl, records: change.records });
  }
  await insertRRsets(writes, created);
  await recordZoneChanges(writes, zoneId, zone.serial, journal);
  if (options.dryRun) {
    return { status: "DRY_RUN", dry_run: true, serial: zone.serial, rrsets, diff: diffOfEntries(journal) };
  }
  if (!head) throw new Error("no audit head was claimed for a change that is not a dry run");
  const ref = { id: zoneId, origin: zone.origin };
  // Last write of the transaction: the caller records no other audit entry after it (the head's
  // hash moves on this insert, which on PostgreSQL only runs at COMMIT).
  await appendAuditEntry(
    tx,
    clock,
    actor,
    options.rollbackTo === undefined
      ? rrsetsChanged(ref, zone.serial, journal)
      : zoneRolledBack(ref, zone.serial, options.rollbackTo, journal),
    head,
  );
  return {
    status: "PENDING",
    serial: zone.serial,
    rrsets,
    ...(options.withDiff ? { diff: diffOfEntries(journal) } : {}),
  };
}

/**
 * How many rrset rows the changes add (negative: remove), for the zone's rrset count and its quota.
 * `existing` was read after the zone row was locked, so concurrent changes to one zone
 * are counted one after the other and cannot overshoot the quota together.
 */
function countAdded(changes: RRsetChange[], existing: { name: string; type: string }[]): number {
  const present = new Set(existing.map((row) => `${row.name} ${row.type}`));
  let added = 0;
  for (const change of changes) {
    const there = present.has(`${change.name} ${change.type}`);
    if (change.action !== "DELETE" && !there) added += 1;
    if (change.action === "DELETE" && there) added -= 1;
  }
  return added;
}

function canonicalizeAll(inputs: RRsetChangeInput[], origin: string, batch: boolean): RRsetChange[] {
  const issues: FieldIssue[] = [];
  const changes: RRsetChange[] = [];
  const seen = new Map<string, number>();
  inputs.forEach((input, index) => {
    const path = batch ? `changes[${index}].` : "";
    const result = canonicalizeChange(input, origin, path);
    issues.push(...result.issues);
    if (!result.change) return;
    const key = `${result.change.name} ${result.change.type}`;
    const first = seen.get(key);
    if (first !== undefined) {
      issues.push({
        path: `${path}name`,
        message: `changes[${first}] already changes ${key}; one change per rrset`,
      });
    } else {
      seen.set(key, index);
    }
    changes.push(result.change);
  });
  if (issues.length > 0) throw new ValidationError(issues);
  return changes;
}
