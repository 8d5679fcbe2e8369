import type { ZoneDefaults } from "../domain-settings.js";
import type { ZoneStatus, ZoneView } from "./schemas.js";

interface ZoneRow {
  id: string;
  tenantId: string;
  origin: string;
  status: string;
  serial: number;
  publishedSerial: number;
  createdAt: Date;
  updatedAt: Date;
}

export function toZoneView(row: ZoneRow, defaults: ZoneDefaults): ZoneView {
  return {
    id: row.id,
    tenant_id: row.tenantId,
    origin: row.origin,
    status: row.status as ZoneStatus,
    // Shown like `origin`: without the trailing dot, as registrars take them.
    ns: defaults.nameservers.map((ns) => ns.replace(/\.$/, "")),
    serial: row.serial,
    published_serial: row.publishedSerial,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}
