import type { TokenScope } from "../actor.js";
import type { TokenView } from "./schemas.js";

interface TokenRow {
  id: string;
  zoneId: string | null;
  scope: string;
  name: string;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

export function toTokenView(row: TokenRow): TokenView {
  return {
    id: row.id,
    zone_id: row.zoneId,
    scope: row.scope as TokenScope,
    name: row.name,
    created_at: row.createdAt.toISOString(),
    expires_at: row.expiresAt?.toISOString() ?? null,
    revoked: row.revokedAt !== null,
    last_used_at: row.lastUsedAt?.toISOString() ?? null,
  };
}
