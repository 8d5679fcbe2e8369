import type { Db } from "@dnscove/db";
import { EDGE_LIVE_WITHIN_MS, type EdgeFleet } from "../domain/ports.js";

export interface EdgeFleetOptions {
  db: Db;
  /** An edge running in this process (embedded mode): it loads new snapshots when told. */
  local?: { refresh(): Promise<void> };
  /** How long a publish waits for every running edge (default 5 s). */
  confirmTimeoutMs?: number;
  pollMs?: number;
}

/**
 * The edges as the database sees them: each running edge records in `edge_zone_serials` the
 * serial it serves, and a publish waits until all of them have caught up.
 */
export function createEdgeFleet(options: EdgeFleetOptions): EdgeFleet {
  const { db, local } = options;
  const timeoutMs = options.confirmTimeoutMs ?? 5000;
  const pollMs = options.pollMs ?? 25;

  const lagging = async (zoneId: string, serial: number): Promise<string[]> => {
    const edges = await db.edgeNode.findMany({
      where: { kind: "edge", lastSeenAt: { gt: new Date(Date.now() - EDGE_LIVE_WITHIN_MS) } },
      include: { serials: { where: { zoneId } } },
    });
    return edges.filter((edge) => (edge.serials[0]?.serial ?? 0) < serial).map((edge) => edge.id);
  };

  return {
    async snapshotsChanged() {
      await local?.refresh();
    },
    async awaitServing(zoneId, serial) {
      await local?.refresh();
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const behind = await lagging(zoneId, serial);
        if (behind.length === 0) return null;
        if (Date.now() >= deadline) {
          return `edge${behind.length > 1 ? "s" : ""} ${behind.join(", ")} did not serve serial ${serial} within ${timeoutMs} ms`;
        }
        await new Promise((resolve) => setTimeout(resolve, pollMs));
      }
    },
  };
}
