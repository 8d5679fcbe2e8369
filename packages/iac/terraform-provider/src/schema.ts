import type { CtyType } from "./cty.js";

export interface AttributeSpec {
  name: string;
  type: CtyType;
  description: string;
  required?: boolean;
  optional?: boolean;
  computed?: boolean;
  sensitive?: boolean;
  /** Changing it plans a replacement. */
  forceNew?: boolean;
}

export interface BlockSpec {
  version: number;
  description: string;
  attributes: AttributeSpec[];
}

/** The object type of a block (what its DynamicValue must look like). */
export function objectType(block: BlockSpec): CtyType {
  return ["object", Object.fromEntries(block.attributes.map((a) => [a.name, a.type]))];
}

export const providerSchema: BlockSpec = {
  version: 0,
  description: "The DNSCove provider manages zones and rrsets through the DNSCove API.",
  attributes: [
    {
      name: "endpoint",
      type: "string",
      optional: true,
      description:
        "Base URL of the DNSCove API, e.g. `https://api.dnscove.com`. Defaults to the `DNSCOVE_API` environment variable.",
    },
    {
      name: "token",
      type: "string",
      optional: true,
      sensitive: true,
      description:
        "A DNSCove API token (`dnsc_…`, tenant-admin or zone-admin scope). Defaults to the `DNSCOVE_TOKEN` environment variable.",
    },
  ],
};

export const zoneResourceSchema: BlockSpec = {
  version: 0,
  description: "A DNS zone hosted on DNSCove. Import with the zone id, e.g. `Z1a2b3c4d5e6f70`.",
  attributes: [
    { name: "id", type: "string", computed: true, description: "The zone id, e.g. `Z1a2b3c4d5e6f70`." },
    {
      name: "origin",
      type: "string",
      required: true,
      forceNew: true,
      description:
        "The zone apex domain, e.g. `example.com`. Case, a trailing dot and Unicode (IDN) spellings are equivalent. Changing it replaces the zone.",
    },
    {
      name: "ns",
      type: ["list", "string"],
      computed: true,
      description: "The name servers to delegate the zone to at its parent.",
    },
    {
      name: "status",
      type: "string",
      computed: true,
      description: "`PENDING_VERIFICATION` until the delegation is seen, then `ACTIVE`.",
    },
    { name: "serial", type: "number", computed: true, description: "The zone's current SOA serial." },
    {
      name: "published_serial",
      type: "number",
      computed: true,
      description: "The SOA serial last published to the edge servers.",
    },
  ],
};

export const rrsetResourceSchema: BlockSpec = {
  version: 0,
  description:
    "One resource record set (all records of one name and type) in a DNSCove zone. Import with `zone_id/name/type`, e.g. `Z1a2b3c4d5e6f70/www/A`.",
  attributes: [
    {
      name: "id",
      type: "string",
      computed: true,
      description:
        "`zone_id/name/type`, with the absolute owner name, e.g. `Z1a2b3c4d5e6f70/www.example.com./A`.",
    },
    {
      name: "zone_id",
      type: "string",
      required: true,
      forceNew: true,
      description: "The id of the zone holding the rrset. Changing it replaces the rrset.",
    },
    {
      name: "name",
      type: "string",
      required: true,
      forceNew: true,
      description:
        "The owner name: `@` for the apex, a name relative to the zone (`www`), or absolute with a trailing dot (`www.example.com.`). Case-insensitive. Changing it replaces the rrset.",
    },
    {
      name: "type",
      type: "string",
      required: true,
      forceNew: true,
      description:
        "The record type in upper case, e.g. `A`, `AAAA`, `CNAME`, `MX`, `TXT`. Changing it replaces the rrset.",
    },
    {
      name: "ttl",
      type: "number",
      optional: true,
      computed: true,
      description: "Time to live in seconds. Defaults to 300.",
    },
    {
      name: "records",
      type: ["set", "string"],
      required: true,
      description:
        'The records\' data in presentation format, e.g. `192.0.2.1`, `10 mail.example.com.`, `"v=spf1 -all"`. Equivalent spellings (case, IPv6 compression, unquoted TXT) plan no changes.',
    },
    {
      name: "fqdn",
      type: "string",
      computed: true,
      description: "The absolute owner name, lower case with a trailing dot, e.g. `www.example.com.`.",
    },
  ],
};

export const zoneDataSourceSchema: BlockSpec = {
  version: 0,
  description: "Looks up a DNSCove zone by `id` or by `origin` (exactly one of them).",
  attributes: [
    { name: "id", type: "string", optional: true, computed: true, description: "The zone id to look up." },
    {
      name: "origin",
      type: "string",
      optional: true,
      computed: true,
      description: "The zone apex domain to look up, e.g. `example.com`.",
    },
    { name: "ns", type: ["list", "string"], computed: true, description: "The zone's name servers." },
    { name: "status", type: "string", computed: true, description: "`PENDING_VERIFICATION` or `ACTIVE`." },
    { name: "serial", type: "number", computed: true, description: "The zone's current SOA serial." },
    {
      name: "published_serial",
      type: "number",
      computed: true,
      description: "The SOA serial last published to the edge servers.",
    },
  ],
};

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

const zoneListItemType: CtyType = [
  "object",
  {
    id: "string",
    origin: "string",
    status: "string",
    serial: "number",
    published_serial: "number",
    ns: ["list", "string"],
  },
];

export const zonesDataSourceSchema: BlockSpec = {
  version: 0,
  description: "Lists every zone the provider's token can list (all zones of the tenant).",
  attributes: [
    {
      name: "zones",
      type: ["list", zoneListItemType],
      computed: true,
      description:
        "The zones, ordered by origin: objects with `id`, `origin`, `status`, `serial`, `published_serial` and `ns`.",
    },
  ],
};

export const resourceSchemas: Record<string, BlockSpec> = {
  dnscove_zone: zoneResourceSchema,
  dnscove_rrset: rrsetResourceSchema,
  dnscove_token: tokenResourceSchema,
};

export const dataSourceSchemas: Record<string, BlockSpec> = {
  dnscove_zone: zoneDataSourceSchema,
  dnscove_zones: zonesDataSourceSchema,
};

/** The tfplugin6 Schema message for a block. */
export function toProtoSchema(block: BlockSpec) {
  return {
    version: block.version,
    block: {
      version: block.version,
      description: block.description,
      description_kind: "MARKDOWN",
      attributes: block.attributes.map((a) => ({
        name: a.name,
        // The cty type as compact JSON bytes ("\"string\"", ["set","string"]).
        type: Buffer.from(JSON.stringify(a.type)),
        description: a.description,
        description_kind: "MARKDOWN",
        required: a.required ?? false,
        optional: a.optional ?? false,
        computed: a.computed ?? false,
        sensitive: a.sensitive ?? false,
      })),
      block_types: [],
    },
  };
}
