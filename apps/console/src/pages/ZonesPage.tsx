import type { Zone } from "@dnscove/sdk";
import { useCallback, useEffect, useState } from "react";
import { errorsFor, otherErrors } from "../api.js";
import { ErrorBox, FieldErrors, Link, useApiAction, useConsole } from "../context.js";
import { pending } from "../zone-state.js";

export function ZonesPage() {
  const { client } = useConsole();
  const [zones, setZones] = useState<Zone[] | null>(null);
  const list = useApiAction();
  const create = useApiAction();
  const remove = useApiAction();
  const [origin, setOrigin] = useState("");
  const [confirming, setConfirming] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  const load = useCallback(async () => {
    await list.run(async () => {
      const { data } = await client.GET("/api/zones");
      setZones(data?.zones ?? []);
    });
  }, [client, list.run]);

  useEffect(() => {
    void load();
  }, [load]);

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    setMessage(null);
    void create.run(async () => {
      const { data } = await client.POST("/api/zones", { body: { origin } });
      setOrigin("");
      setMessage(`Zone ${data?.origin ?? origin} created.`);
      await load();
    });
  };

  const doDelete = (zone: Zone) => {
    setMessage(null);
    void remove.run(async () => {
      await client.DELETE("/api/zones/{id}", { params: { path: { id: zone.id } } });
      setConfirming(null);
      setMessage(`Zone ${zone.origin} deleted.`);
      await load();
    });
  };

  const originErrors = errorsFor(create.error, "origin");
  return (
    <section>
      <h1>Zones</h1>
      {message && (
        <p className="notice" role="status">
          {message}
        </p>
      )}
      <form onSubmit={submit} className="inline-form" aria-labelledby="create-zone-heading" noValidate>
        <h2 id="create-zone-heading">Create a zone</h2>
        <div className="field">
          <label htmlFor="zone-origin">Domain (origin)</label>
          <input
            id="zone-origin"
            name="origin"
            placeholder="example.com"
            value={origin}
            onChange={(e) => setOrigin(e.target.value)}
            aria-invalid={originErrors.length > 0 || undefined}
            aria-describedby={originErrors.length ? "zone-origin-errors" : undefined}
          />
          <FieldErrors id="zone-origin-errors" errors={originErrors} />
        </div>
        <button type="submit" disabled={create.busy}>
          {create.busy ? "Creating…" : "Create zone"}
        </button>
        <ErrorBox error={create.error} fields={otherErrors(create.error, ["origin"])} />
      </form>

      <ErrorBox error={list.error} fields={list.error?.fields} />
      <ErrorBox error={remove.error} fields={remove.error?.fields} />
      {zones === null && !list.error && <p role="status">Loading zones…</p>}
      {zones && zones.length === 0 && <p>No zones yet. Create one above or import one from Route53.</p>}
      {zones && zones.length > 0 && (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Your zones</caption>
            <thead>
              <tr>
                <th scope="col">Origin</th>
                <th scope="col">Status</th>
                <th scope="col">Serial</th>
                <th scope="col">Published serial</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {zones.map((zone) => (
                <tr key={zone.id} data-zone={zone.origin}>
                  <td>
                    <Link to={`/zones/${zone.id}`}>{zone.origin}</Link>
                  </td>
                  <td>
                    <span className={`badge ${zone.status === "ACTIVE" ? "ok" : "warn"}`}>{zone.status}</span>
                  </td>
                  <td>{zone.serial}</td>
                  <td>
                    {zone.published_serial}
                    {pending(zone) && <span className="badge warn pending"> pending changes</span>}
                  </td>
                  <td>
                    {confirming === zone.id ? (
                      <span className="confirm">
                        Delete {zone.origin} and all its records?{" "}
                        <button
                          type="button"
                          className="danger"
                          onClick={() => doDelete(zone)}
                          disabled={remove.busy}
                        >
                          Yes, delete {zone.origin}
                        </button>{" "}
                        <button type="button" className="secondary" onClick={() => setConfirming(null)}>
                          Cancel
                        </button>
                      </span>
                    ) : (
                      <button
                        type="button"
                        className="danger"
                        aria-label={`Delete zone ${zone.origin}`}
                        onClick={() => setConfirming(zone.id)}
                      >
                        Delete
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
