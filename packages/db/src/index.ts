export type { DatabaseTarget, Provider } from "./database-url.js";
export { parseDatabaseUrl } from "./database-url.js";
export type { Migration } from "./migrate.js";
export { applyMigrations, loadMigrations } from "./migrate.js";
export type { Db, DbTransaction, OpenDatabase, OpenDatabaseOptions } from "./open-database.js";
export { openDatabase } from "./open-database.js";
export type { SnapshotContent, SnapshotRRset, StoredRRsetRow } from "./snapshot.js";
export { decodeSnapshot, encodeSnapshot, encodeSnapshotFromRows } from "./snapshot.js";
