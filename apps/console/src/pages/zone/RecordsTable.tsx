import type { components, RRset } from "@dnscove/sdk";
import { useCallback, useState } from "react";
import { ChangePreviewDialog } from "../../changes/ChangePreviewDialog.js";
import { plural } from "../../changes/diff-lines.js";
import { type ChangeOptions, usePreviewedChange } from "../../changes/use-previewed-change.js";
import { ErrorBox, useApiAction, useConsole } from "../../context.js";
import { RecordValue } from "./RecordValue.js";
import { isSystemRRset } from "./system-records.js";
import { rrsetKey, type StoredWrite } from "./types.js";
import { type SortKey, useRecordView } from "./use-record-view.js";

type ChangeAccepted = components["schemas"]["ChangeAccepted"];
const EMPTY_DIFF = { added: [], removed: [], changed: [] };
const diffOfChange = (r: ChangeAccepted) => r.diff ?? EMPTY_DIFF;

/**
 * The zone's rrsets: filter, sort, edit and delete, one or several at once (the selected ones, after
 * a dry-run preview of exactly what goes: issue 15). On a narrow screen each row becomes a card (see
 * styles.css), so the actions are never cut off. System records (apex SOA/NS) are read-only.
 */
export function RecordsTable({
  zoneId,
  origin,
  rrsets,
  onEdit,
  onDeleted,
}: {
  zoneId: string;
  origin: string;
  rrsets: RRset[] | null;
  onEdit: (r: RRset) => void;
  onDeleted: (message: string, write: StoredWrite | undefined) => Promise<void>;
}) {
  const { client } = useConsole();
  const { filter, setFilter, sort, sortBy, shown } = useRecordView(rrsets ?? []);
  const [confirmDelete, setConfirmDelete] = useState<string | null>(null);
  const remove = useApiAction();
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());

  // Only rrsets that still exist count as selected (one may have been deleted meanwhile).
  const selectable = (rrsets ?? []).filter((r) => !isSystemRRset(r, origin));
  const chosen = selectable.filter((r) => selected.has(rrsetKey(r)));
  const shownSelectable = shown.filter((r) => !isSystemRRset(r, origin));
  const allShownSelected =
    shownSelectable.length > 0 && shownSelectable.every((r) => selected.has(rrsetKey(r)));
  const toggle = (key: string, on: boolean) =>
    setSelected((set) => {
      const next = new Set(set);
      if (on) next.add(key);
      else next.delete(key);
      return next;
    });
  const toggleShown = (on: boolean) =>
    setSelected((set) => {
      const next = new Set(set);
      for (const r of shownSelectable) {
        if (on) next.add(rrsetKey(r));
        else next.delete(rrsetKey(r));
      }
      return next;
    });

  const sendBulk = useCallback(
    async ({ dryRun, confirmMassDelete }: ChangeOptions): Promise<ChangeAccepted> => {
      const { data } = await client.POST("/api/zones/{id}/rrsets", {
        params: { path: { id: zoneId } },
        body: {
          changes: chosen.map((r) => ({ action: "DELETE" as const, name: r.name, type: r.type })),
          dry_run: dryRun,
          confirm_mass_delete: confirmMassDelete,
        },
      });
      if (!data) throw new Error("empty answer to the change");
      return data;
    },
    [client, zoneId, chosen],
  );
  const bulk = usePreviewedChange(sendBulk, diffOfChange);
  const applyBulk = async () => {
    const count = chosen.length;
    const done = await bulk.apply();
    if (!done) return;
    setSelected(new Set());
    await onDeleted(
      `Deleted ${plural(count, "record set")} (serial ${done.serial}, pending publish).`,
      undefined,
    );
  };

  const doDelete = (r: RRset) =>
    void remove.run(async () => {
      const { data } = await client.POST("/api/zones/{id}/rrsets", {
        params: { path: { id: zoneId } },
        body: { action: "DELETE", name: r.name, type: r.type, records: r.records, ttl: r.ttl },
      });
      setConfirmDelete(null);
      const stored = data?.rrsets[0];
      await onDeleted(
        `Deleted ${r.name} ${r.type} (pending publish).`,
        data && stored ? { serial: data.serial, stored } : undefined,
      );
    });

  const sortHeader = (key: SortKey, label: string) => (
    <th
      scope="col"
      aria-sort={sort.key === key ? (sort.direction === 1 ? "ascending" : "descending") : "none"}
    >
      <button type="button" className="sort" onClick={() => sortBy(key)}>
        {label}
      </button>
    </th>
  );

  return (
    <>
      <div className="field filter">
        <label htmlFor="rrset-filter">Filter records</label>
        <input id="rrset-filter" type="search" value={filter} onChange={(e) => setFilter(e.target.value)} />
      </div>
      <div className="bulk-bar">
        <label className="check">
          <input
            type="checkbox"
            checked={allShownSelected}
            disabled={shownSelectable.length === 0}
            onChange={(e) => toggleShown(e.target.checked)}
          />
          Select all shown
        </label>
        <button
          type="button"
          className="danger"
          disabled={chosen.length === 0 || bulk.busy}
          onClick={() => void bulk.start()}
        >
          {bulk.busy && !bulk.preview ? "Previewing…" : `Delete selected (${chosen.length})`}
        </button>
      </div>
      <ErrorBox error={remove.error} fields={remove.error?.fields} />
      {!bulk.preview && <ErrorBox error={bulk.error} fields={bulk.error?.fields} />}
      {bulk.preview && (
        <ChangePreviewDialog
          title={`Delete ${plural(chosen.length, "record set")}?`}
          applyLabel={`Delete ${plural(bulk.preview.diff.removed.length, "record set")}`}
          preview={bulk.preview}
          massConfirmed={bulk.massConfirmed}
          onMassConfirmed={bulk.setMassConfirmed}
          onApply={() => void applyBulk()}
          onCancel={bulk.cancel}
          busy={bulk.busy}
          error={bulk.error}
        />
      )}
      <div className="table-wrap">
        <table data-testid="rrsets" className="records cards">
          <caption className="visually-hidden">Record sets in {origin}</caption>
          <thead>
            <tr>
              <th scope="col" className="select">
                <span className="visually-hidden">Select</span>
              </th>
              {sortHeader("name", "Name")}
              {sortHeader("type", "Type")}
              {sortHeader("ttl", "TTL")}
              <th scope="col">Records</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((r) => (
              <tr key={rrsetKey(r)} data-rrset={rrsetKey(r)}>
                <td className="select">
                  {!isSystemRRset(r, origin) && (
                    <input
                      type="checkbox"
                      aria-label={`Select ${rrsetKey(r)}`}
                      checked={selected.has(rrsetKey(r))}
                      onChange={(e) => toggle(rrsetKey(r), e.target.checked)}
                    />
                  )}
                </td>
                <td data-label="Name" className="name">
                  <RecordValue value={r.name} />
                </td>
                <td data-label="Type">{r.type}</td>
                <td data-label="TTL">{r.ttl}</td>
                <td data-label="Records">
                  <div>
                    {r.records.map((v) => (
                      <RecordValue key={v} value={v} />
                    ))}
                  </div>
                </td>
                <td data-label="Actions" className="actions">
                  {isSystemRRset(r, origin) ? (
                    <span className="managed" data-testid="managed-note">
                      Managed by DNSCove
                    </span>
                  ) : (
                    <RowActions
                      r={r}
                      confirming={confirmDelete === rrsetKey(r)}
                      deleting={remove.busy}
                      onEdit={() => onEdit(r)}
                      onAskDelete={() => setConfirmDelete(rrsetKey(r))}
                      onCancelDelete={() => setConfirmDelete(null)}
                      onDelete={() => doDelete(r)}
                    />
                  )}
                </td>
              </tr>
            ))}
            {shown.length === 0 && (
              <tr>
                <td colSpan={6}>{rrsets?.length ? "No records match the filter." : "No records."}</td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </>
  );
}

function RowActions({
  r,
  confirming,
  deleting,
  onEdit,
  onAskDelete,
  onCancelDelete,
  onDelete,
}: {
  r: RRset;
  confirming: boolean;
  deleting: boolean;
  onEdit: () => void;
  onAskDelete: () => void;
  onCancelDelete: () => void;
  onDelete: () => void;
}) {
  return (
    <div className="row-actions">
      <button type="button" className="secondary" onClick={onEdit} aria-label={`Edit ${r.name} ${r.type}`}>
        Edit
      </button>{" "}
      {confirming ? (
        <>
          <button type="button" className="danger" onClick={onDelete} disabled={deleting}>
            Confirm delete
          </button>{" "}
          <button type="button" className="secondary" onClick={onCancelDelete}>
            Cancel
          </button>
        </>
      ) : (
        <button
          type="button"
          className="danger"
          onClick={onAskDelete}
          aria-label={`Delete ${r.name} ${r.type}`}
        >
          Delete
        </button>
      )}
    </div>
  );
}
