import type { Zone } from "@dnscove/sdk";
import type { UiError } from "../../api.js";
import { ErrorBox } from "../../context.js";
import { pending } from "../../zone-state.js";

/** Status and serials (published or not), with the Publish button. */
export function PublishState({
  zone,
  onPublish,
  publishing,
  publishError,
  refreshError,
}: {
  zone: Zone;
  onPublish: () => void;
  publishing: boolean;
  publishError: UiError | null;
  refreshError: UiError | null;
}) {
  return (
    <div className="summary">
      <p>
        Status: <span className={`badge ${zone.status === "ACTIVE" ? "ok" : "warn"}`}>{zone.status}</span>
      </p>
      <p>
        Serial <strong data-testid="serial">{zone.serial}</strong>, published serial{" "}
        <strong data-testid="published-serial">{zone.published_serial}</strong>{" "}
        {pending(zone) ? (
          <span className="badge warn" data-testid="pending-state">
            Pending changes: not yet published
          </span>
        ) : (
          <span className="badge ok" data-testid="pending-state">
            All changes published
          </span>
        )}
      </p>
      <button type="button" onClick={onPublish} disabled={publishing}>
        {publishing ? "Publishing…" : "Publish"}
      </button>
      <ErrorBox error={publishError} fields={publishError?.fields} />
      {refreshError && (
        <p className="error-text" role="status">
          Could not refresh the publish state: {refreshError.message}
        </p>
      )}
    </div>
  );
}
