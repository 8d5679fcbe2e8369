import { isTokenScope, isZoneBoundScope, TOKEN_SCOPES, type TokenScope } from "@dnscove/dns";
import { type CtyValue, UNKNOWN } from "../protocol/cty.js";
import { type Diagnostic, DiagnosticError, errorDiagnostic } from "../protocol/diagnostics.js";
import { type BlockSpec, sameData } from "../schema.js";
import { isNotFound, type Obj, type ProviderContext, type ResourceType, str } from "./context.js";

export const tokenResourceSchema: BlockSpec = {
  version: 0,
  description:
    "A DNSCove machine token (`dnsc_…`). Tokens are never updated in place: changing any argument revokes the token and mints a new one. The plaintext secret is known only from the create answer and kept in state (sensitive). Import is not supported, because the secret cannot be read back.",
  attributes: [
    { name: "id", type: "string", computed: true, description: "The token's public id (16 hex digits)." },
    {
      name: "scope",
      type: "string",
      required: true,
      forceNew: true,
      description:
        "`tenant-admin` (the whole tenant), `zone-admin` (one zone: rrsets, checks) or `acme-dns01` (one zone: ACME challenges only). Changing it replaces the token.",
    },
    {
      name: "zone_id",
      type: "string",
      optional: true,
      forceNew: true,
      description:
        "The zone a `zone-admin` or `acme-dns01` token is bound to (required for those scopes, not allowed for `tenant-admin`). Changing it replaces the token.",
    },
    {
      name: "name",
      type: "string",
      optional: true,
      computed: true,
      forceNew: true,
      description: "A label for the token, shown in listings. Changing it replaces the token.",
    },
    {
      name: "expires_in_days",
      type: "number",
      optional: true,
      forceNew: true,
      description:
        "Lifetime in days from creation; absent or 0 means the token never expires. Changing it replaces the token.",
    },
    {
      name: "token",
      type: "string",
      computed: true,
      sensitive: true,
      description:
        "The plaintext token `dnsc_<id>_<secret>`, known only after create (the API returns it once).",
    },
    {
      name: "created_at",
      type: "string",
      computed: true,
      description: "When the token was minted (RFC 3339).",
    },
    {
      name: "expires_at",
      type: "string",
      computed: true,
      description: "When the token expires (RFC 3339), or null if it never does.",
    },
    {
      name: "revoked",
      type: "bool",
      computed: true,
      description: "Whether the token is revoked (a revoked token is removed from state and re-created).",
    },
  ],
};

function validate(config: Obj): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const { scope, zone_id: zoneId } = config;
  if (typeof scope === "string" && !isTokenScope(scope)) {
    diagnostics.push(
      errorDiagnostic(
        "Invalid token scope",
        `scope must be one of ${TOKEN_SCOPES.join(", ")}; got ${JSON.stringify(scope)}`,
        "scope",
      ),
    );
  } else if (typeof scope === "string" && isZoneBoundScope(scope) && zoneId === null) {
    diagnostics.push(
      errorDiagnostic(
        "Missing zone_id",
        `A ${scope} token is bound to one zone: set zone_id (e.g. zone_id = dnscove_zone.example.id).`,
        "zone_id",
      ),
    );
  } else if (scope === "tenant-admin" && typeof zoneId === "string") {
    diagnostics.push(
      errorDiagnostic(
        "Unexpected zone_id",
        "A tenant-admin token is valid for the whole tenant; remove zone_id or use scope zone-admin / acme-dns01.",
        "zone_id",
      ),
    );
  }
  const days = config.expires_in_days;
  if (typeof days === "number" && (!Number.isInteger(days) || days < 0)) {
    diagnostics.push(
      errorDiagnostic(
        "Invalid expires_in_days",
        `expires_in_days must be a whole number of days, 0 or more (0 = never expires); got ${days}`,
        "expires_in_days",
      ),
    );
  }
  return diagnostics;
}

function plan(_ctx: ProviderContext, prior: Obj | null, _proposed: Obj, config: Obj): Obj {
  const argument: Obj = {
    scope: config.scope ?? null,
    zone_id: config.zone_id ?? null,
    expires_in_days: config.expires_in_days ?? null,
  };
  if (!prior) {
    return {
      ...argument,
      name: config.name ?? UNKNOWN,
      id: UNKNOWN,
      token: UNKNOWN,
      created_at: UNKNOWN,
      expires_at: UNKNOWN,
      revoked: UNKNOWN,
    };
  }
  // name is optional+computed: a null config keeps the prior (API-assigned) name.
  return { ...prior, ...argument, name: config.name ?? prior.name ?? null };
}

/** Absent and 0 both mean "never expires" (the API's own reading), so they are the same lifetime. */
function sameValue(attribute: string, prior: CtyValue, planned: CtyValue): boolean {
  if (attribute === "expires_in_days") return (prior ?? 0) === (planned ?? 0);
  return sameData(attribute, prior, planned);
}

async function apply(ctx: ProviderContext, prior: Obj | null, planned: Obj | null): Promise<Obj | null> {
  if (!planned) {
    const id = str(prior?.id);
    if (id) {
      try {
        await ctx.api.DELETE("/api/tokens/{id}", { params: { path: { id } } });
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    }
    return null;
  }
  // Every argument forces replacement; an in-place "update" only changes equivalent spellings
  // (expires_in_days null vs 0): keep the prior computed values.
  if (prior && typeof prior.id === "string") return { ...planned };
  const scope = str(planned.scope);
  if (!scope) throw new DiagnosticError("Invalid token", "scope must be known at apply time", "scope");
  const zoneId = str(planned.zone_id);
  const name = str(planned.name);
  const days = typeof planned.expires_in_days === "number" ? planned.expires_in_days : undefined;
  const { data: minted } = await ctx.api.POST("/api/tokens", {
    body: {
      scope: scope as TokenScope,
      ...(zoneId ? { zone_id: zoneId } : {}),
      ...(name !== undefined ? { name } : {}),
      ...(days !== undefined ? { expires_in_days: days } : {}),
    },
  });
  if (!minted) throw new Error("the API answered without the minted token");
  return {
    id: minted.id,
    scope,
    zone_id: planned.zone_id ?? null,
    name: name ?? minted.name,
    expires_in_days: planned.expires_in_days ?? null,
    token: minted.token,
    created_at: minted.created_at,
    expires_at: minted.expires_at,
    revoked: minted.revoked,
  };
}

async function read(ctx: ProviderContext, current: Obj): Promise<Obj | null> {
  const id = str(current.id);
  if (!id) return null;
  const { data } = await ctx.api.GET("/api/tokens");
  const remote = data?.tokens.find((t) => t.id === id);
  // Revoked, expired or deleted outside Terraform: drop it so the next plan re-creates it.
  if (!remote || remote.revoked) return null;
  if (remote.expires_at && Date.parse(remote.expires_at) <= Date.now()) return null;
  return {
    ...current, // keeps `token`: the API never returns the secret again
    scope: remote.scope,
    zone_id: remote.zone_id ?? null,
    name: remote.name,
    created_at: remote.created_at,
    expires_at: remote.expires_at,
    revoked: remote.revoked,
  };
}

async function importToken(_ctx: ProviderContext, id: string): Promise<Obj> {
  throw new DiagnosticError(
    "Import of dnscove_token is not supported",
    `A token's plaintext secret is returned only once, when it is minted, so token ${JSON.stringify(id)} cannot be imported with its \`token\` value. Declare a new dnscove_token resource (Terraform mints it) and revoke the old token with DELETE /api/tokens/{id}.`,
  );
}

export const tokenResource: ResourceType = {
  typeName: "dnscove_token",
  schema: tokenResourceSchema,
  validate,
  plan,
  sameValue,
  apply,
  read,
  import: importToken,
};
