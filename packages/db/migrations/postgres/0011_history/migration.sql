-- Snapshot history (issue 15): one row per publish, so the API can list the serials a zone was
-- served at, when, by whom, and how big the zone was. Content is not stored here: readZoneAt
-- rebuilds any serial in the kept history from the snapshots and the change journal (issue 14).
-- Rows go with the history they describe: compaction deletes those below "zones"."history_from".
-- Zones published before this migration have no rows; their history lists from the next publish.
CREATE TABLE "zone_publishes" (
    "zone_id" TEXT NOT NULL,
    "serial" INTEGER NOT NULL,
    "published_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT NOT NULL,
    "rrset_count" INTEGER NOT NULL,
    CONSTRAINT "zone_publishes_pkey" PRIMARY KEY ("zone_id", "serial"),
    CONSTRAINT "zone_publishes_zone_id_fkey" FOREIGN KEY ("zone_id") REFERENCES "zones" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
