import type { components, operations, Zone } from "@dnscove/sdk";
import { useCallback, useEffect, useRef, useState } from "react";
import { errorsFor, otherErrors } from "../api.js";
import { DiffView } from "../changes/DiffView.js";
import { diffOfChanges } from "../changes/diff-lines.js";
import { ErrorBox, FieldErrors, Link, LoadMore, useApiAction, useConsole } from "../context.js";

type Entry = components["schemas"]["AuditEntry"];
type Verdict = components["schemas"]["AuditVerification"];
type Query = NonNullable<operations["listAuditEntries"]["parameters"]["query"]>;

/** Entries a page to choose from; the default is enough to read a day's changes and quick to load. */
const PAGE_SIZES = ["10", "50", "200"] as const;
const DEFAULT_PAGE = "50";

interface Filters {
  zone: string;
  actor: string;
  since: string;
  until: string;
  limit: string;
}
const NO_FILTERS: Filters = { zone: "", actor: "", since: "", until: "", limit: DEFAULT_PAGE };

/** A datetime-local value (the browser's local time) as the RFC 3339 time the API takes. */
function rfc3339(local: string): string | undefined {
  if (!local) return undefined;
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? local : date.toISOString();
}

/**
 * The tenant's audit log (issue 15): who changed what, when and from where, newest first, with
 * filters and the hash chain's verdict (docs/audit-log.md).
 */
export function AuditPage() {
  const { client } = useConsole();
  const [zones, setZones] = useState<Zone[]>([]);
  const [draft, setDraft] = useState<Filters>(NO_FILTERS);
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [entries, setEntries] = useState<Entry[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [verdict, setVerdict] = useState<Verdict | null>(null);
  const [open, setOpen] = useState<ReadonlySet<number>>(new Set());
  const list = useApiAction();
  const more = useApiAction();
  const verify = useApiAction();

  const query = useCallback(
    (cursorValue?: string) => {
      const since = rfc3339(filters.since);
      const until = rfc3339(filters.until);
      const q: Query = {
        limit: Number(filters.limit),
        ...(filters.zone ? { zone: filters.zone } : {}),
        ...(filters.actor.trim() ? { actor: filters.actor.trim() } : {}),
        ...(since ? { since } : {}),
        ...(until ? { until } : {}),
        ...(cursorValue ? { cursor: cursorValue } : {}),
      };
      return q;
    },
    [filters],
  );

  // Bumped whenever the filters change: an answer (first page or "load more") to older filters is
  // dropped, so a slow one never replaces or extends the list the person now asks for.
  const generation = useRef(0);
  useEffect(() => {
    const mine = ++generation.current;
    setEntries(null);
    setOpen(new Set());
    void list.run(async () => {
      const { data } = await client.GET("/api/audit", { params: { query: query() } });
      if (mine !== generation.current) return;
      setEntries(data?.entries ?? []);
      setCursor(data?.next_cursor ?? null);
    });
  }, [client, query, list.run]);

  useEffect(() => {
    void verify.run(async () => {
      const [v, z] = await Promise.all([client.GET("/api/audit/verify"), client.GET("/api/zones")]);
      setVerdict(v.data ?? null);
      setZones(z.data?.zones ?? []);
    });
  }, [client, verify.run]);

  const loadMore = () =>
    void more.run(async () => {
      if (!cursor) return;
      const mine = generation.current;
      const { data } = await client.GET("/api/audit", { params: { query: query(cursor) } });
      if (mine !== generation.current) return;
      setEntries((list) => [...(list ?? []), ...(data?.entries ?? [])]);
      setCursor(data?.next_cursor ?? null);
    });

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    setFilters({ ...draft });
  };
  const set = (key: keyof Filters) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) =>
    setDraft((d) => ({ ...d, [key]: e.target.value }));
  const toggle = (seq: number) =>
    setOpen((set) => {
      const next = new Set(set);
      if (!next.delete(seq)) next.add(seq);
      return next;
    });

  const fieldIds = { zone: "audit-zone", actor: "audit-actor", since: "audit-since", until: "audit-until" };
  const fieldErrors = (field: keyof typeof fieldIds) => (
    <FieldErrors id={`${fieldIds[field]}-errors`} errors={errorsFor(list.error, field)} />
  );

  return (
    <section>
      <h1>Audit log</h1>
      <p>
        Every accepted change in your account: who made it, when, from which address and request, and what it
        changed. Entries are chained with SHA-256 hashes, so an altered entry is detected.
      </p>
      <ErrorBox error={verify.error} fields={verify.error?.fields} />
      {verdict && <VerdictBox verdict={verdict} />}

      <form onSubmit={submit} className="grid audit-filters" noValidate aria-label="Filter the audit log">
        <div className="field">
          <label htmlFor={fieldIds.zone}>Zone</label>
          <select id={fieldIds.zone} value={draft.zone} onChange={set("zone")}>
            <option value="">All zones</option>
            {zones.map((z) => (
              <option key={z.id} value={z.id}>
                {z.origin}
              </option>
            ))}
          </select>
          {fieldErrors("zone")}
        </div>
        <div className="field">
          <label htmlFor={fieldIds.actor}>Actor</label>
          <input
            id={fieldIds.actor}
            value={draft.actor}
            onChange={set("actor")}
            aria-describedby="audit-actor-hint"
          />
          <p className="hint" id="audit-actor-hint">
            An email, user id, token id or job name.
          </p>
          {fieldErrors("actor")}
        </div>
        <div className="field">
          <label htmlFor={fieldIds.since}>From (your local time)</label>
          <input id={fieldIds.since} type="datetime-local" value={draft.since} onChange={set("since")} />
          {fieldErrors("since")}
        </div>
        <div className="field">
          <label htmlFor={fieldIds.until}>Until (your local time)</label>
          <input id={fieldIds.until} type="datetime-local" value={draft.until} onChange={set("until")} />
          {fieldErrors("until")}
        </div>
        <div className="field">
          <label htmlFor="audit-limit">Entries per page</label>
          <select id="audit-limit" value={draft.limit} onChange={set("limit")}>
            {PAGE_SIZES.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <button type="submit">Apply filters</button>{" "}
          <button
            type="button"
            className="secondary"
            onClick={() => {
              setDraft(NO_FILTERS);
              setFilters(NO_FILTERS);
            }}
          >
            Clear
          </button>
        </div>
      </form>
      <ErrorBox error={list.error} fields={otherErrors(list.error, Object.keys(fieldIds))} />

      {!entries && !list.error && <p role="status">Loading entries…</p>}
      {entries && (
        <div className="table-wrap">
          <table data-testid="audit" className="cards audit">
            <caption className="visually-hidden">Audit entries, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Actor</th>
                <th scope="col">Operation</th>
                <th scope="col">Zone</th>
                <th scope="col">Client address</th>
                <th scope="col">Request id</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <AuditRow
                  key={entry.seq}
                  entry={entry}
                  expanded={open.has(entry.seq)}
                  onToggle={() => toggle(entry.seq)}
                />
              ))}
              {entries.length === 0 && (
                <tr>
                  <td colSpan={7}>No entries match.</td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      )}
      <LoadMore action={more} more={cursor !== null} label="Load older entries" onLoad={loadMore} />
    </section>
  );
}

function VerdictBox({ verdict }: { verdict: Verdict }) {
  if (verdict.ok) {
    return (
      <p className="notice" role="status" data-testid="audit-verdict">
        <span className="badge ok">Chain OK</span> All {verdict.entries} entries verify.
      </p>
    );
  }
  const broken = verdict.first_broken;
  return (
    <div className="error" role="alert" data-testid="audit-verdict">
      <p>
        <strong>Chain broken</strong> at entry {broken?.seq ?? "?"}
        {broken?.operation ? ` (${broken.operation}` : ""}
        {broken?.at ? `, ${new Date(broken.at).toLocaleString()}` : ""}
        {broken?.operation ? ")" : ""}: {verdict.message ?? verdict.reason}
      </p>
    </div>
  );
}

function actorText(actor: Entry["actor"]): string {
  if (actor.kind === "session") return actor.name ?? actor.id;
  if (actor.kind === "token") return `token ${actor.name ?? ""} (${actor.scope ?? "?"}, ${actor.id})`;
  return `${actor.id} (system)`;
}

function AuditRow({ entry, expanded, onToggle }: { entry: Entry; expanded: boolean; onToggle: () => void }) {
  const detailsId = `audit-detail-${entry.seq}`;
  const { changes, ...rest } = entry.detail;
  const diff = diffOfChanges(changes);
  return (
    <>
      <tr data-seq={entry.seq} data-operation={entry.operation}>
        <td data-label="Time">
          <time dateTime={entry.at}>{new Date(entry.at).toLocaleString()}</time>
        </td>
        <td data-label="Actor" data-testid="audit-actor">
          {actorText(entry.actor)}
        </td>
        <td data-label="Operation">
          <code className="nowrap">{entry.operation}</code>
        </td>
        <td data-label="Zone">
          {entry.zone ? (
            <Link to={`/zones/${encodeURIComponent(entry.zone.id)}`}>
              {entry.zone.origin ?? entry.zone.id}
            </Link>
          ) : (
            "—"
          )}
        </td>
        <td data-label="Client address">
          <code>{entry.client_address ?? "—"}</code>
        </td>
        <td data-label="Request id">
          <code>{entry.request_id ?? "—"}</code>
        </td>
        <td data-label="Details" className="actions">
          <button
            type="button"
            className="secondary"
            aria-expanded={expanded}
            aria-controls={detailsId}
            aria-label={`Details of entry ${entry.seq}`}
            onClick={onToggle}
          >
            {expanded ? "Hide" : "Show"}
          </button>
        </td>
      </tr>
      {expanded && (
        <tr id={detailsId} className="audit-detail">
          <td colSpan={7}>
            {diff && <DiffView diff={diff} label={`Record sets changed by entry ${entry.seq}`} />}
            {Object.keys(rest).length > 0 && (
              <pre className="detail-json">{JSON.stringify(rest, null, 2)}</pre>
            )}
            <p className="hint">
              Entry {entry.seq}, hash <code>{entry.hash}</code>
            </p>
          </td>
        </tr>
      )}
    </>
  );
}
