import { type Db, readFeedHead, readPublishedZones, readRemovedZones } from "@dnscove/db";
import type { Logger } from "pino";
import type { ZoneSet } from "../zones/zone-set.js";
import { catchUpZone } from "./catch-up-zone.js";
import { isDatabaseBusy } from "./database-busy.js";
import { type RecordSecondary, recordSecondaryInDatabase } from "./secondaries.js";
import type { SnapshotCache } from "./snapshot-cache.js";

export interface SnapshotSyncOptions {
  db: Db;
  zones: ZoneSet;
  /** This edge's id in `edge_nodes`, and the address it serves on (for operators). */
  edgeId: string;
  address: string;
  pollIntervalMs: number;
  logger: Logger;
  cache?: SnapshotCache;
  /** Called after a zone starts serving a new serial (to send NOTIFY) or stops being served. */
  onServed?(zoneId: string, origin: string, serial: number): void;
  onRemoved?(zoneId: string): void;
  /**
   * Where this edge records its heartbeat and served serials (default: its own database
   * connection). An edge worker of the embedded API hands them to the API process instead, so
   * SQLite has one writing connection (see cluster/edge-workers.ts).
   */
  recorder?: EdgeRecorder;
}

export interface EdgeRecorder {
  heartbeat(edgeId: string, address: string, now: Date): Promise<void>;
  serial(edgeId: string, zoneId: string, serial: number, now: Date): Promise<void>;
  forget(edgeId: string, zoneId: string): Promise<void>;
  /** What a secondary serves (secondaries.ts). */
  secondary: RecordSecondary;
}

/** Records straight into the database. */
export function databaseRecorder(db: Db): EdgeRecorder {
  return {
    async heartbeat(edgeId, address, now) {
      await db.edgeNode.upsert({
        where: { id: edgeId },
        create: { id: edgeId, address, startedAt: now, lastSeenAt: now },
        update: { lastSeenAt: now, address },
      });
    },
    async serial(edgeId, zoneId, serial, now) {
      await db.edgeZoneSerial.upsert({
        where: { edgeId_zoneId: { edgeId, zoneId } },
        create: { edgeId, zoneId, serial, updatedAt: now },
        update: { serial, updatedAt: now },
      });
    },
    async forget(edgeId, zoneId) {
      await db.edgeZoneSerial.deleteMany({ where: { edgeId, zoneId } });
    },
    secondary: (...args) => recordSecondaryInDatabase(db, ...args),
  };
}

/** What the edge's readiness reports about its link to the database. */
export interface SyncStatus {
  /** Whether the last sync reached the database. */
  databaseReachable: boolean;
  /** When a sync last completed (epoch ms), or null if none has since the process started. */
  lastSuccessAt: number | null;
  /** Since when syncs have failed (epoch ms), or null while they succeed. */
  unreachableSince: number | null;
}

/**
 * How far the served zones are behind what the database has published, as of the edge's last
 * poll (issue 17: "the serial lag behind the database"). Known from what the poll already read, so
 * a scrape costs no query; between polls, and while the database is unreachable, it cannot see
 * newer publishes: `lastSuccessAt` bounds that.
 */
export interface PublishLag {
  /** Zones published at a serial this edge does not serve (yet), counting zones not loaded at all. */
  zonesBehind: number;
  /** The largest published-minus-served serial over the loaded zones: writes not applied yet. */
  maxSerialLag: number;
}

export interface SnapshotSync {
  /** Loads whatever was published since the last look; resolves when the edge serves it. */
  refresh(): Promise<void>;
  status(): SyncStatus;
  lag(): PublishLag;
  stop(): Promise<void>;
}

/** How often the edge tells the database it is alive (the API waits only for live edges). */
const HEARTBEAT_MS = 2000;

/**
 * Between full scans a poll reads only the publish feed (packages/db publish-feed.ts): the zones
 * published or removed since its last look, so a poll costs what changed, not every zone (issue 14).
 * A full scan of every zone's row still runs at start, after any zone failed to load, and this
 * often, as a safety net for rows written around the feed (a restored backup, a hand edit).
 */
const FULL_SCAN_MS = 60_000;

/**
 * Keeps a ZoneSet equal to the published zones in the database: polls the publish feed for the
 * zones published or removed since the last look (FULL_SCAN_MS), catches up those that moved (by
 * their journal, or a snapshot; catch-up-zone.ts), drops zones that are gone, and records in
 * `edge_zone_serials` which serial it now serves. While the database is unreachable it keeps
 * serving what it has.
 */
export async function startSnapshotSync(options: SnapshotSyncOptions): Promise<SnapshotSync> {
  const { db, zones, edgeId, logger } = options;
  const recorder = options.recorder ?? databaseRecorder(db);
  let lastHeartbeat = 0;
  let unreachableSince: number | null = null;
  let lastSuccessAt: number | null = null;
  /** Serials served but not yet written to `edge_zone_serials` (the write lock was busy). */
  const unrecorded = new Map<string, number>();
  /** The publish feed's number this edge has applied everything up to; null: scan every zone. */
  let seenUpTo: number | null = null;
  let lastFullScan = 0;
  /**
   * Zones whose published serial (as a poll read it) is not the one served, by zone id. Filled
   * before a poll catches them up, so a scrape during a long catch-up sees them; a zone the poll
   * cannot load stays here until a later poll loads it, though the sync itself "succeeds".
   */
  const behind = new Map<string, number>();

  /** Runs a write; when SQLite's write lock is busy, reports false so the next poll retries. */
  const tryWrite = async (write: () => Promise<unknown>): Promise<boolean> => {
    try {
      await write();
      return true;
    } catch (error) {
      if (isDatabaseBusy(error)) return false;
      throw error;
    }
  };

  const heartbeat = async (now: Date) => {
    const written = await tryWrite(() => recorder.heartbeat(edgeId, options.address, now));
    if (written) lastHeartbeat = now.getTime();
  };

  const record = async (zoneId: string, serial: number, now: Date) => {
    // Remembered first: whatever makes this write fail, the next poll writes it again.
    unrecorded.set(zoneId, serial);
    const written = await tryWrite(() => recorder.serial(edgeId, zoneId, serial, now));
    if (written) unrecorded.delete(zoneId);
  };

  const syncOnce = async () => {
    const now = new Date();
    if (now.getTime() - lastHeartbeat >= HEARTBEAT_MS) await heartbeat(now);
    for (const [zoneId, serial] of unrecorded) {
      if (zones.serialOf(zoneId) === serial) await record(zoneId, serial, now);
      else unrecorded.delete(zoneId);
    }
    // The head first: every publish numbered up to it is visible to the reads after it.
    const head = await readFeedHead(db);
    const full = seenUpTo === null || now.getTime() - lastFullScan >= FULL_SCAN_MS;
    const since = full ? null : seenUpTo;
    const rows = await readPublishedZones(db, since);
    const removed = since === null ? null : await readRemovedZones(db, since, head);
    for (const row of rows) {
      if (row.publishedSerial >= 1 && zones.serialOf(row.id) !== row.publishedSerial)
        behind.set(row.id, row.publishedSerial);
      else behind.delete(row.id);
    }
    let complete = true;
    for (const row of rows) {
      if (row.publishedSerial < 1 || zones.serialOf(row.id) === row.publishedSerial) continue;
      let outcome: Awaited<ReturnType<typeof catchUpZone>>;
      try {
        outcome = await catchUpZone(db, zones, row, options.cache);
      } catch (error) {
        // One bad snapshot or diff must not stop the others; the zone keeps its previous content.
        logger.error({ err: error, zoneId: row.id, serial: row.publishedSerial }, "zone not loadable");
        outcome = "not-yet";
      }
      if (outcome === "not-yet") {
        // Tried again by the next poll, which scans every zone so the feed cannot skip it.
        complete = false;
        continue;
      }
      behind.delete(row.id);
      await record(row.id, row.publishedSerial, now);
      options.onServed?.(row.id, row.origin, row.publishedSerial);
    }
    const live = new Set(rows.map((row) => row.id));
    const gone = removed === null ? zones.zoneIds().filter((zoneId) => !live.has(zoneId)) : removed;
    if (removed === null) {
      for (const zoneId of behind.keys()) if (!live.has(zoneId)) behind.delete(zoneId);
    }
    for (const zoneId of gone) {
      behind.delete(zoneId);
      if (zones.serialOf(zoneId) === undefined) continue;
      zones.remove(zoneId);
      options.cache?.remove(zoneId);
      unrecorded.delete(zoneId);
      // Busy: a stale row for a deleted zone is harmless (nothing asks about that zone id again).
      await tryWrite(() => recorder.forget(edgeId, zoneId));
      options.onRemoved?.(zoneId);
    }
    if (full) lastFullScan = now.getTime();
    seenUpTo = complete ? head : null;
  };

  const guardedSync = () =>
    syncOnce()
      .then(() => {
        if (unreachableSince !== null) logger.info("database reachable again; edge in sync");
        unreachableSince = null;
        lastSuccessAt = Date.now();
      })
      .catch((error: unknown) => {
        if (unreachableSince === null) {
          unreachableSince = Date.now();
          logger.warn({ err: error }, "cannot read snapshots; serving what is loaded");
        }
      });

  // Syncs run one at a time. A refresh asked for while one runs joins the next, not-yet-started
  // sync, which reads the database after the request and so sees what prompted it.
  let chain: Promise<void> = Promise.resolve();
  let queued: Promise<void> | null = null;
  const refresh = (): Promise<void> => {
    if (queued) return queued;
    const next = chain.then(() => {
      queued = null;
      return guardedSync();
    });
    queued = next;
    chain = next;
    return next;
  };

  // The disk cache was loaded by startEdge, once, skipping a bad file with a log line.
  await refresh();
  const timer = setInterval(() => void refresh(), options.pollIntervalMs);
  timer.unref();
  return {
    refresh,
    status: () => ({
      databaseReachable: unreachableSince === null && lastSuccessAt !== null,
      lastSuccessAt,
      unreachableSince,
    }),
    lag() {
      let maxSerialLag = 0;
      for (const [zoneId, published] of behind) {
        const served = zones.serialOf(zoneId);
        if (served !== undefined) maxSerialLag = Math.max(maxSerialLag, published - served);
      }
      return { zonesBehind: behind.size, maxSerialLag };
    },
    async stop() {
      clearInterval(timer);
      await chain;
      await options.cache?.flush();
    },
  };
}
