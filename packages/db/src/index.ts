export { isDatabaseUnavailable } from "./database-unavailable.js";
export type { DatabaseTarget, Provider } from "./database-url.js";
export { parseDatabaseUrl } from "./database-url.js";
export type { Migration } from "./migrate.js";
export { applyMigrations, loadMigrations } from "./migrate.js";
export type { Db, DbTransaction, OpenDatabase, OpenDatabaseOptions } from "./open-database.js";
export { openDatabase } from "./open-database.js";
export type { FeedZone } from "./publish-feed.js";
export {
  announcePublished,
  announceRemoved,
  readFeedHead,
  readPublishedZones,
  readRemovedZones,
} from "./publish-feed.js";
export { RawQueryError, RawTransactionTimeoutError } from "./raw-errors.js";
export type { Sql } from "./raw-sql.js";
export { joinSql, sql } from "./raw-sql.js";
export type { RawTransactionOptions, RawTx } from "./raw-transaction.js";
export { rawQuery, runRawTransaction, runTogether, writesAtCommit } from "./raw-transaction.js";
export type { Readiness } from "./readiness.js";
export { checkReadiness } from "./readiness.js";
export type { SnapshotContent, SnapshotRRset, StoredRRsetRow } from "./snapshot.js";
export { decodeSnapshot, encodeSnapshot, encodeSnapshotFromRows } from "./snapshot.js";
export { decodeSnapshotSliced, encodeSnapshotSliced } from "./snapshot-sliced.js";
export type { WalCheckpointerOptions, WalCheckpointResult } from "./wal-checkpointer.js";
export { WalCheckpointer, WRITER_AUTOCHECKPOINT_PAGES } from "./wal-checkpointer.js";
export { readZoneAt } from "./zone-at-serial.js";
export type { JournalEntry, JournalRRset, ZoneChangeRow } from "./zone-changes.js";
export {
  JOURNAL_PAGE_BYTES,
  netChanges,
  nextPageRows,
  readZoneChanges,
  recordZoneChanges,
} from "./zone-changes.js";
export type { LockedZone } from "./zone-lock.js";
export { lockZone, providerOf } from "./zone-lock.js";
