-- The same columns and indexes as PostgreSQL's migration 0016 (which says why), so both answer the
-- same lookups. SQLite can add a generated column only as VIRTUAL (computed when read); a partial
-- index on it still holds only the zones due.
DROP INDEX "zones_pending_idx";
DROP INDEX "zones_compaction_idx";
ALTER TABLE "zones" ADD COLUMN "publish_due" BOOLEAN GENERATED ALWAYS AS ("serial" > "published_serial") VIRTUAL;
ALTER TABLE "zones" ADD COLUMN "compaction_due" BOOLEAN GENERATED ALWAYS AS ("changes_since_snapshot" > 1000 AND "changes_since_snapshot" > "rrset_count") VIRTUAL;
CREATE INDEX "zones_publish_due_idx" ON "zones"("id") WHERE "publish_due";
CREATE INDEX "zones_compaction_due_idx" ON "zones"("id") WHERE "compaction_due";
