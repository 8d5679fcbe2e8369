import type { RRset } from "@dnscove/sdk";
import { useState } from "react";
import { ErrorBox, useApiAction, useConsole } from "../../context.js";
import { RecordValue } from "./RecordValue.js";
import { isSystemRRset } from "./system-records.js";
import { rrsetKey, type StoredWrite } from "./types.js";
import { type SortKey, useRecordView } from "./use-record-view.js";

/**
 * The zone's rrsets: filter, sort, edit and delete. On a narrow screen each row becomes a card (see
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
      <ErrorBox error={remove.error} fields={remove.error?.fields} />
      <div className="table-wrap">
        <table data-testid="rrsets" className="records cards">
          <caption className="visually-hidden">Record sets in {origin}</caption>
          <thead>
            <tr>
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
                <td colSpan={5}>{rrsets?.length ? "No records match the filter." : "No records."}</td>
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
