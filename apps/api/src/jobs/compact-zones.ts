import { compactZoneHistory } from "../domain/publish/compact-history.js";
import type { Services } from "../domain/services.js";

/**
 * Zones due a new full snapshot (compact-history.ts's `compactionDue`, which the generated column
 * "compaction_due" spells in SQL). The predicate is exactly that of the partial index
 * "zones_compaction_due_idx" (migration 0016), so the lookup grows with the zones due, not with all
 * zones. Exported for the query-plan test.
 */
export const COMPACTION_DUE_SQL = 'SELECT "id" FROM "zones" WHERE "compaction_due"';

/** Compacts every zone due; returns how many it compacted. Run by the auto-publisher after publishing. */
export async function compactDueZones(services: Services): Promise<number> {
  // A constant statement without parameters: nothing user-supplied reaches it.
  const rows = await services.db.$queryRawUnsafe<{ id: string }[]>(COMPACTION_DUE_SQL);
  let compacted = 0;
  for (const { id } of rows) if (await compactZoneHistory(services, id)) compacted += 1;
  return compacted;
}
