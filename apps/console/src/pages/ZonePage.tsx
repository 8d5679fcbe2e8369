import { RECORD_TYPES } from "@dnscove/dns/record-types";
import type { components, RRset, Zone } from "@dnscove/sdk";
import { useCallback, useEffect, useState } from "react";
import { errorsFor, otherErrors } from "../api.js";
import { ErrorBox, FieldErrors, Link, useApiAction, useConsole } from "../context.js";
import { pending } from "./ZonesPage.js";

type Servers = components["schemas"]["ZoneServers"];
type Delegation = components["schemas"]["DelegationResult"];
type Parity = components["schemas"]["ParityResult"];

/** The API's record types, the everyday ones first (the list itself lives in @dnscove/dns). */
const COMMON_TYPES: readonly string[] = ["A", "AAAA", "CNAME", "MX", "TXT"];
const TYPES = [...COMMON_TYPES, ...RECORD_TYPES.filter((type) => !COMMON_TYPES.includes(type))];

interface Draft {
  name: string;
  type: string;
  ttl: string;
  records: string;
}

const emptyDraft: Draft = { name: "", type: "A", ttl: "300", records: "" };

export function ZonePage({ zoneId }: { zoneId: string }) {
  const { client } = useConsole();
  const id = { params: { path: { id: zoneId } } };
  const [zone, setZone] = useState<Zone | null>(null);
  const [rrsets, setRrsets] = useState<RRset[] | null>(null);
  const [servers, setServers] = useState<Servers | null>(null);
  const [filter, setFilter] = useState("");
  const [sort, setSort] = useState<{ key: SortKey; direction: 1 | -1 }>({ key: "name", direction: 1 });
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const [editing, setEditing] = useState<string | null>(null);
  const [confirmDelete, setConfirmDelete] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [delegation, setDelegation] = useState<Delegation | null>(null);
  const [parity, setParity] = useState<Parity | null>(null);
  const loader = useApiAction();
  const save = useApiAction();
  const remove = useApiAction();
  const publish = useApiAction();
  const checks = useApiAction();

  // biome-ignore lint/correctness/useExhaustiveDependencies: `id` is rebuilt from zoneId each render
  const load = useCallback(async () => {
    await loader.run(async () => {
      const [z, r, s] = await Promise.all([
        client.GET("/api/zones/{id}", id),
        client.GET("/api/zones/{id}/rrsets", id),
        client.GET("/api/zones/{id}/servers", id),
      ]);
      setZone(z.data ?? null);
      setRrsets(r.data?.rrsets ?? []);
      setServers(s.data ?? null);
    });
  }, [client, zoneId, loader.run]);

  useEffect(() => {
    void load();
  }, [load]);

  const key = (r: Pick<RRset, "name" | "type">) => `${r.name} ${r.type}`;

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    setMessage(null);
    const ttl = draft.ttl.trim() === "" ? 300 : Number(draft.ttl);
    const records = draft.records
      .split("\n")
      .map((line) => line.trim())
      .filter((line) => line !== "");
    void save.run(async () => {
      const { data } = await client.POST("/api/zones/{id}/rrsets", {
        ...id,
        body: { action: "UPSERT", name: draft.name, type: draft.type, ttl, records },
      });
      setMessage(`Saved ${draft.name} ${draft.type} (serial ${data?.serial ?? "?"}, pending publish).`);
      setDraft(emptyDraft);
      setEditing(null);
      await load();
    });
  };

  const edit = (r: RRset) => {
    setEditing(key(r));
    setDraft({ name: r.name, type: r.type, ttl: String(r.ttl), records: r.records.join("\n") });
    save.setError(null);
    document.getElementById("rrset-name")?.focus();
  };

  const doDelete = (r: RRset) => {
    setMessage(null);
    void remove.run(async () => {
      await client.POST("/api/zones/{id}/rrsets", {
        ...id,
        body: { action: "DELETE", name: r.name, type: r.type, records: r.records, ttl: r.ttl },
      });
      setConfirmDelete(null);
      setMessage(`Deleted ${r.name} ${r.type} (pending publish).`);
      await load();
    });
  };

  const doPublish = () => {
    setMessage(null);
    void publish.run(async () => {
      const { data } = await client.POST("/api/zones/{id}/publish", id);
      if (data?.zone) setZone(data.zone);
      await load();
      setMessage(`Published serial ${data?.serial ?? "?"}.`);
    });
  };

  const checkDelegation = () =>
    void checks.run(async () => {
      const { data } = await client.POST("/api/zones/{id}/delegation", id);
      setDelegation(data ?? null);
      await load();
    });
  const checkParity = () =>
    void checks.run(async () => {
      const { data } = await client.POST("/api/zones/{id}/parity", id);
      setParity(data ?? null);
    });

  const needle = filter.trim().toLowerCase();
  const shown = (rrsets ?? [])
    .filter(
      (r) =>
        !needle ||
        r.name.includes(needle) ||
        r.type.toLowerCase().includes(needle) ||
        r.records.some((v) => v.toLowerCase().includes(needle)),
    )
    .sort((a, b) => sort.direction * compareBy(sort.key, a, b));
  const sortHeader = (key: SortKey, label: string) => (
    <th
      scope="col"
      aria-sort={sort.key === key ? (sort.direction === 1 ? "ascending" : "descending") : "none"}
    >
      <button
        type="button"
        className="sort"
        onClick={() => setSort((s) => ({ key, direction: s.key === key ? (-s.direction as 1 | -1) : 1 }))}
      >
        {label}
      </button>
    </th>
  );
  const fieldNames = ["name", "type", "ttl", "records"];
  const fieldErr = (f: string) => errorsFor(save.error, f);

  return (
    <section>
      <p>
        <Link to="/zones">← All zones</Link>
      </p>
      <ErrorBox error={loader.error} fields={loader.error?.fields} />
      {!zone && !loader.error && <p role="status">Loading zone…</p>}
      {zone && (
        <>
          <h1>{zone.origin}</h1>
          <div className="summary">
            <p>
              Status:{" "}
              <span className={`badge ${zone.status === "ACTIVE" ? "ok" : "warn"}`}>{zone.status}</span>
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
            <button type="button" onClick={doPublish} disabled={publish.busy}>
              {publish.busy ? "Publishing…" : "Publish"}
            </button>
            <ErrorBox error={publish.error} fields={publish.error?.fields} />
          </div>
          {message && (
            <p className="notice" role="status">
              {message}
            </p>
          )}

          <h2>Records</h2>
          <form
            onSubmit={submit}
            className="rrset-form"
            noValidate
            aria-label={editing ? "Edit record set" : "Add record set"}
          >
            <h3>{editing ? `Edit ${editing}` : "Add a record set"}</h3>
            <div className="grid">
              <div className="field">
                <label htmlFor="rrset-name">Name</label>
                <input
                  id="rrset-name"
                  value={draft.name}
                  placeholder={`www or www.${zone.origin}. or @`}
                  onChange={(e) => setDraft({ ...draft, name: e.target.value })}
                  aria-describedby={fieldErr("name").length ? "rrset-name-errors" : undefined}
                  aria-invalid={fieldErr("name").length > 0 || undefined}
                />
                <FieldErrors id="rrset-name-errors" errors={fieldErr("name")} />
              </div>
              <div className="field">
                <label htmlFor="rrset-type">Type</label>
                <select
                  id="rrset-type"
                  value={draft.type}
                  onChange={(e) => setDraft({ ...draft, type: e.target.value })}
                >
                  {(TYPES.includes(draft.type) ? TYPES : [draft.type, ...TYPES]).map((t) => (
                    <option key={t} value={t}>
                      {t}
                    </option>
                  ))}
                </select>
                <FieldErrors id="rrset-type-errors" errors={fieldErr("type")} />
              </div>
              <div className="field">
                <label htmlFor="rrset-ttl">TTL (seconds)</label>
                <input
                  id="rrset-ttl"
                  inputMode="numeric"
                  value={draft.ttl}
                  onChange={(e) => setDraft({ ...draft, ttl: e.target.value })}
                  aria-describedby={fieldErr("ttl").length ? "rrset-ttl-errors" : undefined}
                  aria-invalid={fieldErr("ttl").length > 0 || undefined}
                />
                <FieldErrors id="rrset-ttl-errors" errors={fieldErr("ttl")} />
              </div>
            </div>
            <div className="field">
              <label htmlFor="rrset-records">Records (one per line)</label>
              <textarea
                id="rrset-records"
                rows={4}
                value={draft.records}
                onChange={(e) => setDraft({ ...draft, records: e.target.value })}
                aria-describedby={fieldErr("records").length ? "rrset-records-errors" : undefined}
                aria-invalid={fieldErr("records").length > 0 || undefined}
              />
              <FieldErrors id="rrset-records-errors" errors={fieldErr("records")} />
            </div>
            <ErrorBox error={save.error} fields={otherErrors(save.error, fieldNames)} />
            <button type="submit" disabled={save.busy}>
              {save.busy ? "Saving…" : editing ? "Save changes" : "Add record set"}
            </button>{" "}
            {editing && (
              <button
                type="button"
                className="secondary"
                onClick={() => {
                  setEditing(null);
                  setDraft(emptyDraft);
                  save.setError(null);
                }}
              >
                Cancel edit
              </button>
            )}
          </form>

          <div className="field filter">
            <label htmlFor="rrset-filter">Filter records</label>
            <input
              id="rrset-filter"
              type="search"
              value={filter}
              onChange={(e) => setFilter(e.target.value)}
            />
          </div>
          <ErrorBox error={remove.error} fields={remove.error?.fields} />
          <div className="table-wrap">
            <table>
              <caption className="visually-hidden">Record sets of {zone.origin}</caption>
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
                  <tr key={key(r)} data-rrset={key(r)}>
                    <td>{r.name}</td>
                    <td>{r.type}</td>
                    <td>{r.ttl}</td>
                    <td>
                      {r.records.map((v) => (
                        <div key={v} className="record">
                          {v}
                        </div>
                      ))}
                    </td>
                    <td className="actions">
                      <button
                        type="button"
                        className="secondary"
                        onClick={() => edit(r)}
                        aria-label={`Edit ${r.name} ${r.type}`}
                      >
                        Edit
                      </button>{" "}
                      {confirmDelete === key(r) ? (
                        <>
                          <button
                            type="button"
                            className="danger"
                            onClick={() => doDelete(r)}
                            disabled={remove.busy}
                          >
                            Confirm delete
                          </button>{" "}
                          <button type="button" className="secondary" onClick={() => setConfirmDelete(null)}>
                            Cancel
                          </button>
                        </>
                      ) : (
                        <button
                          type="button"
                          className="danger"
                          onClick={() => setConfirmDelete(key(r))}
                          aria-label={`Delete ${r.name} ${r.type}`}
                        >
                          Delete
                        </button>
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

          <h2>Delegation</h2>
          <p>Delegate {zone.origin} to these nameservers at your registrar:</p>
          <ul data-testid="nameservers">
            {zone.ns.map((ns) => (
              <li key={ns}>
                <code>{ns}</code>
              </li>
            ))}
          </ul>
          <p>
            <button type="button" onClick={checkDelegation} disabled={checks.busy}>
              Check delegation
            </button>{" "}
            <button type="button" onClick={checkParity} disabled={checks.busy}>
              Check parity
            </button>
          </p>
          <ErrorBox error={checks.error} fields={checks.error?.fields} />
          {delegation && (
            <div className="result" data-testid="delegation-result" role="status">
              <h3>Delegation check</h3>
              <p>
                Delegated: <strong>{delegation.delegation.delegated ? "yes" : "no"}</strong> (status{" "}
                {delegation.status})
              </p>
              <p>Found: {delegation.delegation.found.join(", ") || "none"}</p>
              <p>Missing: {delegation.delegation.missing.join(", ") || "none"}</p>
              {delegation.delegation.extra.length > 0 && (
                <p>Extra: {delegation.delegation.extra.join(", ")}</p>
              )}
              {delegation.delegation.error && <p className="error-text">{delegation.delegation.error}</p>}
            </div>
          )}
          {parity && (
            <div className="result" data-testid="parity-result" role="status">
              <h3>Parity check</h3>
              <p>
                Matches: <strong>{parity.parity.matches ? "yes" : "no"}</strong> ({parity.parity.checked}{" "}
                checked, {parity.parity.mismatched} mismatched{parity.parity.truncated ? ", truncated" : ""})
              </p>
              <p>
                Safe to delete at the old provider: <strong>{parity.safe_to_delete ? "yes" : "no"}</strong>
              </p>
              {parity.parity.error && <p className="error-text">{parity.parity.error}</p>}
              {parity.parity.mismatches.length > 0 && (
                <ul>
                  {parity.parity.mismatches.map((m) => (
                    <li key={`${m.name} ${m.type}`}>
                      {m.name} {m.type}: ours [{m.ours.join(", ")}], theirs [{m.theirs.join(", ")}]
                    </li>
                  ))}
                </ul>
              )}
              {parity.parity.not_compared.length > 0 && (
                <ul>
                  {parity.parity.not_compared.map((m) => (
                    <li key={`${m.name} ${m.type}`}>
                      Not compared: {m.name} {m.type}: {m.reason}
                    </li>
                  ))}
                </ul>
              )}
            </div>
          )}

          <h2>Servers</h2>
          {servers && (
            <div className="table-wrap">
              <table data-testid="servers">
                <caption className="visually-hidden">Serial served per edge</caption>
                <thead>
                  <tr>
                    <th scope="col">Server</th>
                    <th scope="col">Address</th>
                    <th scope="col">Serial</th>
                    <th scope="col">Live</th>
                  </tr>
                </thead>
                <tbody>
                  {[
                    ...servers.edges.map((s) => ({ ...s, kind: "edge" })),
                    ...servers.secondaries.map((s) => ({ ...s, kind: "secondary" })),
                  ].map((s) => (
                    <tr key={`${s.kind}:${s.id}`}>
                      <td>
                        {s.id} ({s.kind})
                      </td>
                      <td>{s.address}</td>
                      <td>{s.serial ?? "—"}</td>
                      <td>{s.live ? "yes" : "no"}</td>
                    </tr>
                  ))}
                  {servers.edges.length + servers.secondaries.length === 0 && (
                    <tr>
                      <td colSpan={4}>No servers have reported yet.</td>
                    </tr>
                  )}
                </tbody>
              </table>
              <p>
                {servers.in_sync ? "All servers serve the published serial." : "Some servers are behind."}
              </p>
            </div>
          )}
        </>
      )}
    </section>
  );
}

type SortKey = "name" | "type" | "ttl";

/** Table order: by the chosen column, then by name and type so the order is stable. */
function compareBy(key: SortKey, a: { name: string; type: string; ttl: number }, b: typeof a): number {
  const primary = key === "ttl" ? a.ttl - b.ttl : a[key].localeCompare(b[key]);
  return primary || a.name.localeCompare(b.name) || a.type.localeCompare(b.type);
}
