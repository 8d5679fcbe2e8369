import type { ZoneDefaults } from "../services.js";

/**
 * `PENDING_VERIFICATION`: created, delegation not yet seen at the parent. `ACTIVE`: the delegation
 * check found the parent delegating to `ns` (issue 5 moves zones between the two).
 */
export type ZoneStatus = "PENDING_VERIFICATION" | "ACTIVE";

export interface ZoneView {
  id: string;
  tenant_id: string;
  origin: string;
  status: ZoneStatus;
  ns: string[];
  serial: number;
  published_serial: number;
  created_at: string;
  updated_at: string;
}

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
