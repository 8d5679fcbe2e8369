import { type Actor, authorize } from "../actor.js";
import { EDGE_LIVE_WITHIN_MS } from "../ports.js";
import type { Services } from "../services.js";
import { findTenantZone } from "./find-zone.js";
import type { ZoneServers } from "./schemas.js";

/** Which serial each edge and each secondary serves for the zone, so a user sees a change is live. */
export async function getZoneServers(services: Services, actor: Actor, zoneId: string): Promise<ZoneServers> {
  authorize(actor, "zone-records", zoneId);
  const zone = await findTenantZone(services.db, actor.tenantId, zoneId);
  const now = services.clock.now().getTime();
  const nodes = await services.db.edgeNode.findMany({
    include: { serials: { where: { zoneId } } },
    orderBy: { id: "asc" },
  });
  const view = nodes.map((node) => ({
    kind: node.kind,
    server: {
      id: node.id,
      address: node.address,
      serial: node.serials[0]?.serial ?? null,
      updated_at: node.serials[0]?.updatedAt.toISOString() ?? null,
      last_seen_at: node.lastSeenAt.toISOString(),
      live: now - node.lastSeenAt.getTime() <= EDGE_LIVE_WITHIN_MS,
    },
  }));
  const edges = view.filter((v) => v.kind === "edge").map((v) => v.server);
  const secondaries = view.filter((v) => v.kind === "secondary").map((v) => v.server);
  const inSync = [...edges.filter((e) => e.live), ...secondaries].every(
    (s) => s.serial === zone.publishedSerial,
  );
  return {
    zone_id: zone.id,
    serial: zone.serial,
    published_serial: zone.publishedSerial,
    in_sync: inSync,
    edges,
    secondaries,
  };
}
