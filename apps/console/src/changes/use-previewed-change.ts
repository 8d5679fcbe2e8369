import { useCallback, useState } from "react";
import { DnscoveApiError } from "../api.js";
import { useApiAction } from "../context.js";
import type { RRsetDiff } from "./diff-lines.js";

/** How a change is sent: as a dry run or for real, and whether a mass delete was confirmed. */
export interface ChangeOptions {
  dryRun: boolean;
  confirmMassDelete: boolean;
}

/** What the dry run answered: the exact diff, and the API's MASS_DELETE text when the brake applies. */
export interface ChangePreview<R> {
  result: R;
  diff: RRsetDiff;
  /** The 409 MASS_DELETE detail ("would delete 12 of the zone's 14 rrsets…"); null when no brake. */
  massDelete: string | null;
}

/**
 * A change that is previewed before it is applied (issue 15): `preview()` sends it as a dry run and
 * keeps the diff; `apply()` sends the same change for real. When the dry run is refused with 409
 * MASS_DELETE, the dry run is sent again with `confirm_mass_delete` (still writing nothing) so the
 * person sees exactly what would go, and `apply()` confirms the mass delete only once they ticked
 * `massConfirmed`.
 */
export function usePreviewedChange<R>(
  send: (options: ChangeOptions) => Promise<R>,
  diffOf: (result: R) => RRsetDiff,
) {
  const [preview, setPreview] = useState<ChangePreview<R> | null>(null);
  const [massConfirmed, setMassConfirmed] = useState(false);
  const action = useApiAction();

  const start = useCallback(
    () =>
      action.run(async () => {
        setPreview(null);
        setMassConfirmed(false);
        let massDelete: string | null = null;
        let result: R;
        try {
          result = await send({ dryRun: true, confirmMassDelete: false });
        } catch (error) {
          if (!(error instanceof DnscoveApiError && error.code === "MASS_DELETE")) throw error;
          massDelete = error.problem.detail;
          result = await send({ dryRun: true, confirmMassDelete: true });
        }
        setPreview({ result, diff: diffOf(result), massDelete });
      }),
    [action.run, send, diffOf],
  );

  const apply = useCallback(async (): Promise<R | undefined> => {
    if (!preview) return undefined;
    const confirmMassDelete = preview.massDelete !== null && massConfirmed;
    const result = await action.run(() => send({ dryRun: false, confirmMassDelete }));
    if (result !== undefined) setPreview(null);
    return result;
  }, [action.run, send, preview, massConfirmed]);

  const cancel = useCallback(() => {
    setPreview(null);
    setMassConfirmed(false);
    action.setError(null);
  }, [action.setError]);

  return {
    preview,
    start,
    apply,
    cancel,
    massConfirmed,
    setMassConfirmed,
    busy: action.busy,
    error: action.error,
  };
}
