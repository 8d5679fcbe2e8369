import type { Diagnostic } from "../protocol/diagnostics.js";
import { replacedAttributes } from "../schema.js";
import type { Obj, ProviderContext, ResourceType } from "./context.js";

export interface PlanResult {
  planned: Obj | null;
  /** Attribute names whose change forces a replacement (tfplugin6 requires_replace). */
  requiresReplace: string[];
  diagnostics: Diagnostic[];
}

/**
 * PlanResourceChange for any resource type. The resource plans a create or an in-place update;
 * RequiresReplace is then read off its schema's forceNew flags (never listed by hand), and a
 * replacement is planned as what it is: a delete followed by a create.
 */
export async function planResourceChange(
  resource: ResourceType,
  ctx: ProviderContext,
  prior: Obj | null,
  proposed: Obj | null,
  config: Obj | null,
): Promise<PlanResult> {
  if (!proposed || !config) return { planned: null, requiresReplace: [], diagnostics: [] }; // destroy
  const diagnostics = resource.validate(config);
  if (diagnostics.length > 0) return { planned: null, requiresReplace: [], diagnostics };
  const planned = await resource.plan(ctx, prior, proposed, config);
  if (!prior) return { planned, requiresReplace: [], diagnostics: [] };
  const requiresReplace = replacedAttributes(resource.schema, prior, planned, resource.sameValue);
  if (requiresReplace.length === 0) return { planned, requiresReplace, diagnostics: [] };
  return { planned: await resource.plan(ctx, null, proposed, config), requiresReplace, diagnostics: [] };
}
