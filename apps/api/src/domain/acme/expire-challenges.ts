import type { Services } from "../services.js";
import { changeChallengeValue } from "./apply-challenge.js";

/**
 * Removes challenge values whose lifetime is over (left by clients that never cleaned up); the
 * auto-publisher then publishes the zones that changed. Returns how many values were removed.
 */
export async function expireAcmeChallenges(services: Services): Promise<number> {
  const now = services.clock.now();
  const expired = await services.db.acmeChallenge.findMany({ where: { expiresAt: { lte: now } }, take: 500 });
  let removed = 0;
  for (const challenge of expired) {
    const changed = await changeChallengeValue(
      services.db,
      { clock: services.clock, by: null },
      challenge.zoneId,
      challenge.name,
      `"${challenge.value}"`,
      "CLEANUP",
      now,
    );
    if (changed) removed += 1;
  }
  return removed;
}
