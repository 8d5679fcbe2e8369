import { type CtyType, type CtyValue, isWhollyKnown } from "./protocol/cty.js";

export interface AttributeSpec {
  name: string;
  type: CtyType;
  description: string;
  required?: boolean;
  optional?: boolean;
  computed?: boolean;
  sensitive?: boolean;
  /**
   * Changing it plans a replacement: the provider's plan reports exactly the forceNew attributes
   * whose planned value differs from the prior state as RequiresReplace (see replacedAttributes).
   */
  forceNew?: boolean;
}

export interface BlockSpec {
  version: number;
  description: string;
  attributes: AttributeSpec[];
}

const objectTypes = new WeakMap<BlockSpec, CtyType>();

/**
 * The object type of a block (what its DynamicValue must look like). Built once per schema: every
 * ReadResource/PlanResourceChange of a refresh needs it, and a plan of 2,000 rrsets makes thousands.
 */
export function objectType(block: BlockSpec): CtyType {
  let type = objectTypes.get(block);
  if (!type) {
    type = ["object", Object.fromEntries(block.attributes.map((a) => [a.name, a.type]))];
    objectTypes.set(block, type);
  }
  return type;
}

/** Attribute values of one object, as decoded from a DynamicValue. */
export type Obj = Record<string, CtyValue>;

/** Whether two attribute values are the same (the default: equal as data; absent is null). */
export type SameValue = (attribute: string, prior: CtyValue, planned: CtyValue) => boolean;

export const sameData: SameValue = (_attribute, prior, planned) =>
  JSON.stringify(prior) === JSON.stringify(planned);

/**
 * The forceNew attributes whose planned value is unknown or differs from the prior state: the
 * plan's RequiresReplace. Resource plans keep the prior value for an equivalent spelling (an
 * origin with a trailing dot, a relative owner name), so only real changes count here.
 */
export function replacedAttributes(
  block: BlockSpec,
  prior: Obj,
  planned: Obj,
  same: SameValue = sameData,
): string[] {
  return block.attributes
    .filter((a) => a.forceNew)
    .filter((a) => {
      const next = planned[a.name] ?? null;
      return !isWhollyKnown(next) || !same(a.name, prior[a.name] ?? null, next);
    })
    .map((a) => a.name);
}

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
