-- The publish feed (issue 14): an edge asks for the zones published since its last look instead of
-- reading every zone's row on every poll. Every publish, zone creation and zone removal takes the
-- next number from the one-row "publish_feed" in its own transaction; the row stays locked until
-- that transaction commits, so numbers become visible in order and a reader that has seen number N
-- has seen everything up to N. "zone_feed" holds each zone's latest number; a removed zone leaves
-- its id in "zone_removals" under its number.
CREATE TABLE "publish_feed" (
    "id" INTEGER NOT NULL PRIMARY KEY,
    "seq" BIGINT NOT NULL
);
INSERT INTO "publish_feed" ("id", "seq") VALUES (1, 0);
CREATE TABLE "zone_feed" (
    "zone_id" TEXT NOT NULL PRIMARY KEY,
    "seq" BIGINT NOT NULL,
    CONSTRAINT "zone_feed_zone_id_fkey" FOREIGN KEY ("zone_id") REFERENCES "zones" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "zone_feed_seq_idx" ON "zone_feed"("seq");
CREATE TABLE "zone_removals" (
    "seq" BIGINT NOT NULL PRIMARY KEY,
    "zone_id" TEXT NOT NULL
);
