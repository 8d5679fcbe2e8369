import { isDatabaseUnavailable } from "@dnscove/db";
import { maintainDnssec } from "../domain/dnssec/maintain-dnssec.js";
import type { Services } from "../domain/services.js";

export interface DnssecMaintenance {
  /** One pass over every signed zone: at most one step each; answers how many steps were taken. */
  runOnce(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * The dnssec job beside the auto-publisher (issue 16): signature refresh without user changes,
 * the automatic ZSK rollover, and the ends of a KSK rollover and of going insecure once the parent's
 * DS allows (domain/dnssec/maintain-dnssec.ts). Safe in every API process: each step runs under the
 * zone's row lock and re-reads the state, so a step another process took is not taken twice.
 * The signature policy needs a pass at least daily (docs/dnssec.md); the default is every minute.
 */
export function startDnssecMaintenance(services: Services, intervalMs: number): DnssecMaintenance {
  let running: Promise<number> | null = null;
  const runOnce = async (): Promise<number> => {
    const zones = await services.db.zone.findMany({
      where: { dnssecState: { not: "off" } },
      select: { id: true },
    });
    let steps = 0;
    for (const { id } of zones) {
      try {
        const step = await maintainDnssec(services, id, (origin) => services.dnsChecks.parentDs(origin));
        if (step) {
          steps += 1;
          services.logger.info({ zoneId: id, step }, "dnssec maintenance step");
        }
      } catch (error) {
        if (isDatabaseUnavailable(error)) throw error;
        // One zone's failure (its keys cannot be opened, say) must not stop the others' refresh.
        services.logger.error({ err: error, zoneId: id }, "dnssec maintenance failed for a zone");
      }
    }
    return steps;
  };
  const tick = () => {
    if (running) return;
    running = runOnce()
      .catch((error: unknown) => {
        services.logger.warn({ err: error }, "dnssec maintenance pass failed; retrying next interval");
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
