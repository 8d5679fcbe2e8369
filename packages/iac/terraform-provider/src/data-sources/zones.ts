import type { CtyType } from "../protocol/cty.js";
import type { DataSourceType, Obj, ProviderContext } from "../resources/context.js";
import type { BlockSpec } from "../schema.js";

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

async function read(ctx: ProviderContext): Promise<Obj> {
  const { data } = await ctx.api.GET("/api/zones");
  const zones = [...(data?.zones ?? [])].sort((a, b) =>
    a.origin < b.origin ? -1 : a.origin > b.origin ? 1 : 0,
  );
  return {
    zones: zones.map((z) => ({
      id: z.id,
      origin: z.origin,
      status: z.status,
      serial: z.serial,
      published_serial: z.published_serial,
      ns: z.ns,
    })),
  };
}

export const zonesDataSource: DataSourceType = {
  typeName: "dnscove_zones",
  schema: zonesDataSourceSchema,
  validate: () => [],
  read,
};
