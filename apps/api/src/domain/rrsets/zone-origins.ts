import type { Db, RawTx } from "@dnscove/db";

/**
 * Zone id → origin, per database, for this process (issue 14). A change needs the origin to
 * canonicalise its names before it can read the rrsets at them; knowing it up front lets the
 * zone row's lock, that read and the audit head claim leave in one round trip (change-rrsets.ts).
 * A zone's origin never changes after creation (no endpoint renames a zone), so an entry is never
 * stale. It answers only the origin: whether the zone exists, and is the actor's tenant's, is still
 * decided by the zone row's lock inside the transaction (a deleted zone answers 404).
 */
const origins = new WeakMap<Db, Map<string, string>>();

/** Bounded: ids of deleted zones stay until the map is full, then it starts over. */
const MAX_ZONES = 50_000;

function cacheOf(db: Db): Map<string, string> {
  let cache = origins.get(db);
  if (!cache) {
    cache = new Map();
    origins.set(db, cache);
  }
  return cache;
}

export function rememberZoneOrigin(db: Db, zoneId: string, origin: string): void {
  const cache = cacheOf(db);
  if (cache.size >= MAX_ZONES && !cache.has(zoneId)) cache.clear();
  cache.set(zoneId, origin);
}

/**
 * The zone's origin: from the cache, or read in `tx` (the tenant's zone only); undefined when the
 * tenant has no such zone.
 */
export async function zoneOrigin(
  db: Db,
  tx: RawTx,
  zoneId: string,
  tenantId: string,
): Promise<string | undefined> {
  const cached = cacheOf(db).get(zoneId);
  if (cached !== undefined) return cached;
  const rows = await tx.$queryRaw<{ origin: string }[]>`
    SELECT "origin" FROM "zones" WHERE "id" = ${zoneId} AND "tenant_id" = ${tenantId}`;
  const origin = rows[0]?.origin;
  if (origin !== undefined) rememberZoneOrigin(db, zoneId, origin);
  return origin;
}
