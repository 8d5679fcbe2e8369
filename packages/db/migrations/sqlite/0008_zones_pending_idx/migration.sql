-- The auto-publisher looks for zones with unpublished changes every tick (issue 14). A partial
-- index holding only those zones makes the lookup O(pending) instead of a scan of every zone: a
-- zone enters it when a write bumps "serial" and leaves it when a publish catches
-- "published_serial" up. The query must repeat this predicate word for word to use it
-- (jobs/find-pending-zones.ts). Not in the Prisma schema: Prisma cannot declare partial indexes.
CREATE INDEX "zones_pending_idx" ON "zones"("id") WHERE "serial" > "published_serial";
