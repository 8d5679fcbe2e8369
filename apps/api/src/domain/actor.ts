import type { TokenScope } from "@dnscove/dns";
import { ForbiddenError } from "./errors.js";

export type { TokenScope } from "@dnscove/dns";

/**
 * Where a call came from, as the HTTP layer saw it: the client's address (the socket's peer, or what
 * a trusted proxy forwarded: http/trust-proxy.ts) and the request id it answered in `X-Request-Id`.
 * Every mutation records both in the audit log (issue 15).
 */
export interface RequestContext {
  clientAddress: string;
  requestId: string;
}

/** Who is calling, once their credential is verified, and from where. */
export type Actor =
  | {
      kind: "session";
      tenantId: string;
      userId: string;
      /** The user's address, so audit entries name the person, not only an id. */
      email: string;
      sessionId: string;
      request: RequestContext;
    }
  | {
      kind: "token";
      tenantId: string;
      tokenId: string;
      name: string;
      scope: TokenScope;
      zoneId: string | null;
      request: RequestContext;
    };

/**
 * What a call needs. `tenant` operations are open to sessions and tenant-admin tokens;
 * `zone-records` adds zone-admin tokens on their own zone; `acme` adds acme-dns01 on its own zone.
 */
export type Permission = "tenant" | "zone-records" | "acme";

const ALLOWED: Record<TokenScope, readonly Permission[]> = {
  "tenant-admin": ["tenant", "zone-records", "acme"],
  "zone-admin": ["zone-records", "acme"],
  "acme-dns01": ["acme"],
};

/**
 * Throws 403-class errors for a scope or zone binding that does not allow the call. Zone-bound
 * tokens are refused for every zone id but their own before any lookup, so the answer never reveals
 * whether another zone exists.
 */
export function authorize(actor: Actor, permission: Permission, zoneId?: string): void {
  if (actor.kind === "session") return;
  if (!ALLOWED[actor.scope].includes(permission)) {
    throw new ForbiddenError(`${article(actor.scope)} ${actor.scope} token may not make this call.`);
  }
  if (actor.zoneId !== null && zoneId !== undefined && actor.zoneId !== zoneId) {
    throw new ForbiddenError(`This ${actor.scope} token is bound to another zone.`);
  }
}

/** "An acme-dns01 token", "a zone-admin token": the article by the sound of the scope's first letter. */
function article(scope: TokenScope): string {
  return /^[aeiou]/.test(scope) ? "An" : "A";
}
