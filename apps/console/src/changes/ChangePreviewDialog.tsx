import { useEffect, useId, useRef } from "react";
import type { UiError } from "../api.js";
import { ErrorBox } from "../context.js";
import { DiffView } from "./DiffView.js";
import { isEmptyDiff, plural } from "./diff-lines.js";
import type { ChangePreview } from "./use-previewed-change.js";

/**
 * The confirmation before a previewed change is applied: the dry run's exact diff, how many rrsets
 * it deletes, and, when the mass-delete brake applies, an explicit checkbox without which the
 * change cannot be applied. A modal <dialog> (showModal): focus stays in it and Escape cancels;
 * focus starts on Cancel, so a stray Enter never applies a change that deletes records.
 */
export function ChangePreviewDialog<R>({
  title,
  intro,
  applyLabel,
  preview,
  massConfirmed,
  onMassConfirmed,
  onApply,
  onCancel,
  busy,
  error,
}: {
  title: string;
  intro?: React.ReactNode;
  applyLabel: string;
  preview: ChangePreview<R>;
  massConfirmed: boolean;
  onMassConfirmed: (value: boolean) => void;
  onApply: () => void;
  onCancel: () => void;
  busy: boolean;
  error: UiError | null;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  const massId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    cancelRef.current?.focus();
    return () => dialog?.close();
  }, []);

  const deletes = preview.diff.removed.length;
  const empty = isEmptyDiff(preview.diff);
  const blocked = preview.massDelete !== null && !massConfirmed;
  return (
    <dialog
      ref={ref}
      className="preview-dialog"
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onCancel();
      }}
    >
      <h2 id={titleId}>{title}</h2>
      {intro}
      <p data-testid="preview-deletes">
        {empty
          ? "Nothing would change."
          : `Preview (nothing has been written yet). It would delete ${plural(deletes, "record set")}.`}
      </p>
      {preview.massDelete !== null && (
        <div className="mass-delete" role="alert" data-testid="mass-delete">
          <p>{preview.massDelete}</p>
          <label htmlFor={massId} className="check">
            <input
              id={massId}
              type="checkbox"
              checked={massConfirmed}
              onChange={(e) => onMassConfirmed(e.target.checked)}
            />
            Confirm mass delete of {plural(deletes, "record set")}
          </label>
        </div>
      )}
      <DiffView diff={preview.diff} label="Changes it would make" />
      <ErrorBox error={error} fields={error?.fields} />
      <div className="dialog-actions">
        {!empty && (
          <button type="button" className="danger" onClick={onApply} disabled={busy || blocked}>
            {busy ? "Applying…" : applyLabel}
          </button>
        )}{" "}
        <button type="button" className="secondary" onClick={onCancel} ref={cancelRef}>
          {empty ? "Close" : "Cancel"}
        </button>
      </div>
    </dialog>
  );
}
