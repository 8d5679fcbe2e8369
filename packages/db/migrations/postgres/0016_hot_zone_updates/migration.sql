-- Every rrset change updates its zone's row ("serial", "rrset_count"), so the row of a busy zone is
-- the hottest in the database (issue 14). The partial indexes of migrations 0008 and 0009 named
-- those columns in their predicates, and PostgreSQL cannot make an update HOT (heap-only, no new
-- index entries) when it changes a column any index uses: each change added an entry to every
-- index on "zones" and left a dead tuple behind in each, and an update of the row read ~150
-- buffers. The predicates now live in generated columns whose values a change does not alter
-- (a zone with unpublished changes stays due as its serial grows), so a change's updates are HOT.
-- The two lookups (jobs/find-pending-zones.ts, jobs/compact-zones.ts) name these columns.
-- Not in the Prisma schema: Prisma cannot declare generated columns or partial indexes.
DROP INDEX "zones_pending_idx";
DROP INDEX "zones_compaction_idx";
-- Room on each page for the new version of a row: a HOT update needs it on the same page.
ALTER TABLE "zones" SET (fillfactor = 80);
ALTER TABLE "zones"
    ADD COLUMN "publish_due" BOOLEAN GENERATED ALWAYS AS ("serial" > "published_serial") STORED,
    ADD COLUMN "compaction_due" BOOLEAN GENERATED ALWAYS AS ("changes_since_snapshot" > 1000 AND "changes_since_snapshot" > "rrset_count") STORED;
CREATE INDEX "zones_publish_due_idx" ON "zones"("id") WHERE "publish_due";
CREATE INDEX "zones_compaction_due_idx" ON "zones"("id") WHERE "compaction_due";
