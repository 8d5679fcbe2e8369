import { useEffect } from "react";

/** Polls every second at first: the API publishes within DNSCOVE_PUBLISH_INTERVAL_MS (1 s by default). */
export const POLL_FIRST_MS = 1000;
/** How many polls keep the first pace before backing off. */
export const POLL_FAST_COUNT = 10;
/** Backing off stops here, e.g. for a secondary that stays behind. */
export const POLL_MAX_MS = 30_000;

/** The wait before poll number `n` (0-based): steady, then growing by half each time up to the cap. */
export function pollDelay(n: number): number {
  if (n < POLL_FAST_COUNT) return POLL_FIRST_MS;
  return Math.min(POLL_MAX_MS, Math.round(POLL_FIRST_MS * 1.5 ** (n - POLL_FAST_COUNT + 1)));
}

/**
 * Calls `refresh` while `unsettled` (changes not yet published, or servers behind), so the page
 * follows the auto-publish without a reload. It stops when settled and while the tab is hidden
 * (a hidden tab would only load the API); coming back refreshes at once and starts at the first pace
 * again, as does a new `epoch` (e.g. the serial after a change).
 */
export function useSettlingPoll(unsettled: boolean, refresh: () => Promise<void>, epoch: unknown): void {
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new epoch restarts the schedule
  useEffect(() => {
    if (!unsettled) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    let n = 0;
    const schedule = () => {
      clearTimeout(timer);
      if (stopped || document.visibilityState === "hidden") return;
      timer = setTimeout(async () => {
        await refresh();
        n += 1;
        schedule();
      }, pollDelay(n));
    };
    const onVisibility = () => {
      if (document.visibilityState === "hidden") return clearTimeout(timer);
      n = 0;
      void refresh().then(schedule);
    };
    document.addEventListener("visibilitychange", onVisibility);
    schedule();
    return () => {
      stopped = true;
      clearTimeout(timer);
      document.removeEventListener("visibilitychange", onVisibility);
    };
  }, [unsettled, refresh, epoch]);
}
