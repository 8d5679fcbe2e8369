import type { TokenScope } from "../actor.js";

export interface TokenView {
  id: string;
  zone_id: string | null;
  scope: TokenScope;
  name: string;
  created_at: string;
  expires_at: string | null;
  revoked: boolean;
  last_used_at: string | null;
}

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

/** A token as listings show it: never the secret or its hash. */
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
