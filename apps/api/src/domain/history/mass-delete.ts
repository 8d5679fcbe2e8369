import type { HistorySettings } from "../domain-settings.js";
import { MassDeleteError } from "../errors.js";

/**
 * The brake on mass deletes (issue 15): a change that would delete more than `share` of the zone's
 * rrsets, and at least `minimum` of them, is refused unless the caller confirmed it. A typo in a
 * script or a rollback to a nearly empty serial should not empty a zone by accident; deleting a
 * few rrsets of a small zone is ordinary and never asks. `rrsets` counts the zone's own rrsets
 * before the change (the system-managed apex SOA and NS cannot be deleted and are not counted).
 */
export function checkMassDelete(
  brake: HistorySettings["massDelete"],
  rrsets: number,
  deleting: number,
  confirmed: boolean,
): void {
  if (confirmed || deleting < brake.minimum || deleting <= brake.share * rrsets) return;
  const percent = Math.round(brake.share * 1000) / 10;
  throw new MassDeleteError(
    `The change would delete ${deleting} of the zone's ${rrsets} rrsets, more than ${percent}%; ` +
      "nothing was written. Send it again with `confirm_mass_delete: true` to go ahead.",
  );
}
