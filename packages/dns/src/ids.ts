/**
 * Identifiers and token scopes as the API defines them, for every client that checks them first.
 */

/** Zone ids look like `Z1a2b3c4d5e6f70`: `Z` + 14 lowercase hex digits. */
export const ZONE_ID_PATTERN = /^Z[0-9a-f]{14}$/;

/** Whether `value` has the shape of a zone id (it may still name no zone). */
export function isZoneId(value: string): boolean {
  return ZONE_ID_PATTERN.test(value);
}

/** Machine-token scopes, widest first. */
export const TOKEN_SCOPES = ["tenant-admin", "zone-admin", "acme-dns01"] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

/** Scopes whose tokens are bound to one zone (`zone_id` required); tenant-admin must not have one. */
export const ZONE_BOUND_SCOPES = ["zone-admin", "acme-dns01"] as const satisfies readonly TokenScope[];
export type ZoneBoundScope = (typeof ZONE_BOUND_SCOPES)[number];

export function isZoneBoundScope(scope: string): scope is ZoneBoundScope {
  return (ZONE_BOUND_SCOPES as readonly string[]).includes(scope);
}

export function isTokenScope(value: string): value is TokenScope {
  return (TOKEN_SCOPES as readonly string[]).includes(value);
}
