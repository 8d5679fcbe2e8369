import { type Actor, authorize } from "../actor.js";
import { ValidationError } from "../errors.js";
import type { Services } from "../services.js";
import { importParsedZone } from "./import-parsed-zone.js";
import { parseRoute53ExportYielding, Route53ImportError } from "./parse-route53-export.js";
import type { Route53ImportResult } from "./schemas.js";

export interface Route53ImportInput {
  /** The export as text, parsed here. */
  json?: string | undefined;
  /** The export as a JSON object, already parsed with the request body. */
  export?: unknown;
  origin?: string | undefined;
  dry_run?: boolean | undefined;
}

/**
 * Creates a zone from `aws route53 list-resource-record-sets` output, all or nothing: a malformed
 * record answers 400 naming it and nothing is written. The zone is published at serial 1 with
 * everything imported; the old apex nameservers are kept for the parity check. A dry run does all
 * of it in a transaction it rolls back, and answers what the import would create (`diff`, every
 * rrset added at serial 1); nothing is written and no edge is told.
 */
export async function importRoute53(
  services: Services,
  actor: Actor,
  input: Route53ImportInput,
): Promise<Route53ImportResult> {
  authorize(actor, "tenant");
  // The route checks that exactly one of `json` and `export` is given; errors name the one used.
  const field = input.json === undefined ? "export" : "json";
  const exported = input.json === undefined ? { object: input.export } : { text: input.json };
  let parsed: Awaited<ReturnType<typeof parseRoute53ExportYielding>>;
  try {
    parsed = await parseRoute53ExportYielding(
      exported,
      input.origin === undefined ? {} : { origin: input.origin },
    );
  } catch (error) {
    if (error instanceof Route53ImportError) {
      throw new ValidationError([
        { path: error.path ? `${field}.${error.path}` : field, message: error.message },
      ]);
    }
    throw error;
  }
  return importParsedZone(services, actor, parsed, input.dry_run ?? false, "route53");
}
