import type { ZoneBoundScope } from "@dnscove/dns";
import type { TsigKeyView } from "./schemas.js";

interface TsigKeyRow {
  id: string;
  zoneId: string;
  keyName: string;
  scope: string;
  createdAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

export function toTsigKeyView(row: TsigKeyRow): TsigKeyView {
  return {
    id: row.id,
    zone_id: row.zoneId,
    name: row.keyName,
    algorithm: "hmac-sha256",
    scope: row.scope as ZoneBoundScope,
    created_at: row.createdAt.toISOString(),
    revoked: row.revokedAt !== null,
    last_used_at: row.lastUsedAt?.toISOString() ?? null,
  };
}
