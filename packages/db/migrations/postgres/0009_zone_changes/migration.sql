-- The change journal (issue 14): every rrset write records what it changed, under the serial it
-- took, so a publish ships the change instead of the whole zone, edges apply it in place, and IXFR
-- (RFC 1995) serves real differences. Full snapshots remain for cold starts and compaction.
-- Existing zones have no journal yet: their history starts at their current serial, and their next
-- publish writes a full snapshot (publish-zone.ts).
CREATE TABLE "zone_changes" (
    "zone_id" TEXT NOT NULL,
    "serial" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "before_ttl" INTEGER,
    "before_records" TEXT,
    "after_ttl" INTEGER,
    "after_records" TEXT,
    CONSTRAINT "zone_changes_pkey" PRIMARY KEY ("zone_id", "serial", "name", "type"),
    CONSTRAINT "zone_changes_zone_id_fkey" FOREIGN KEY ("zone_id") REFERENCES "zones" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
ALTER TABLE "zones" ADD COLUMN "history_from" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "zones" ADD COLUMN "changes_since_snapshot" INTEGER NOT NULL DEFAULT 0;
UPDATE "zones" SET "history_from" = "serial";
