import { type Actor, authorize } from "../actor.js";
import { ValidationError } from "../errors.js";
import type { Services } from "../services.js";
import { importParsedZone } from "./import-parsed-zone.js";
import { parseZoneFileYielding, ZoneFileImportError } from "./parse-zone-file.js";
import type { ZoneFileImportResult } from "./schemas.js";

/**
 * `POST /import/zone-file`: creates a zone from an RFC 1035 master file, all or nothing. A
 * malformed file answers 400 with path `zone_file` and a message naming the line; nothing is
 * written. Otherwise the same as the Route53 import (importParsedZone), dry run included.
 */
export async function importZoneFile(
  services: Services,
  actor: Actor,
  input: { origin: string; zone_file: string; dry_run?: boolean | undefined },
): Promise<ZoneFileImportResult> {
  authorize(actor, "tenant");
  let parsed: Awaited<ReturnType<typeof parseZoneFileYielding>>;
  try {
    parsed = await parseZoneFileYielding(input.zone_file, input.origin);
  } catch (error) {
    if (error instanceof ZoneFileImportError) {
      throw new ValidationError([{ path: error.path, message: error.message }]);
    }
    throw error;
  }
  return importParsedZone(services, actor, parsed, input.dry_run ?? false, "zone-file");
}
