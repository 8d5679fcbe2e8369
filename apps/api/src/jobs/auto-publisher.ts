import { isDatabaseUnavailable } from "@dnscove/db";
import { expireAcmeChallenges } from "../domain/acme/expire-challenges.js";
import { publishZoneById } from "../domain/publish/publish-zone.js";
import type { Services } from "../domain/services.js";
import { compactDueZones } from "./compact-zones.js";
import { findPendingZoneIds } from "./find-pending-zones.js";

export interface AutoPublisher {
  /** Publishes every zone with pending changes once; returns how many were published. */
  runOnce(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Publishes pending changes by itself within `intervalMs` (api-contract.md: "within a bounded
 * delay"), after removing expired ACME challenge values. Several changes in one interval become one
 * snapshot. Safe to run in every API process: each zone is published under its row lock, and a
 * zone another process is publishing (or writing) is skipped, not waited for, so the work is never
 * done twice and the skipped zone goes out on the next tick.
 */
export function startAutoPublisher(services: Services, intervalMs: number): AutoPublisher {
  let running: Promise<number> | null = null;
  // While the database is down every tick fails the same way: say so once, and once when it is back.
  let databaseDown = false;
  const runOnce = async (): Promise<number> => {
    // Challenge values left by clients that never cleaned up go first, so they are published too.
    await expireAcmeChallenges(services);
    let published = 0;
    for (const zoneId of await findPendingZoneIds(services)) {
      if ((await publishZoneById(services, zoneId, { skipLocked: true })) !== null) published += 1;
    }
    // Full snapshots for zones whose journal outgrew them, after (and never inside) a publish.
    await compactDueZones(services);
    return published;
  };
  const tick = () => {
    if (running) return;
    running = runOnce()
      .then((published) => {
        if (databaseDown) services.logger.info("database reachable again; auto-publishing resumed");
        databaseDown = false;
        return published;
      })
      .catch((error: unknown) => {
        if (!isDatabaseUnavailable(error)) {
          services.logger.error({ err: error }, "auto-publish failed; retrying next interval");
        } else if (!databaseDown) {
          databaseDown = true;
          services.logger.warn({ err: error }, "database unavailable; auto-publish retries every interval");
        }
        return 0;
      })
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return {
    runOnce,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
