-- How many rrsets each zone holds, kept by every write of rrsets in the same transaction, so the
-- rrsets-per-zone quota is checked without counting a large zone's rows on every change.
ALTER TABLE "zones" ADD COLUMN "rrset_count" INTEGER NOT NULL DEFAULT 0;
UPDATE "zones" SET "rrset_count" = (SELECT COUNT(*) FROM "rrsets" WHERE "rrsets"."zone_id" = "zones"."id");
