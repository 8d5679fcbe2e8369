import type { components, Zone } from "@dnscove/sdk";
import { useCallback, useEffect, useRef, useState } from "react";
import { ChangePreviewDialog } from "../../changes/ChangePreviewDialog.js";
import { DiffView } from "../../changes/DiffView.js";
import { type ChangeOptions, usePreviewedChange } from "../../changes/use-previewed-change.js";
import { ErrorBox, Link, LoadMore, useApiAction, useConsole } from "../../context.js";
import { pending } from "../../zone-state.js";

type Snapshot = components["schemas"]["SnapshotSummary"];
type ZoneDiff = components["schemas"]["ZoneDiff"];
type Rollback = components["schemas"]["RollbackResult"];

const diffOfRollback = (r: Rollback) => r.diff;

/** "Current" in the To list: the zone's rrsets now, unpublished changes included (the API's default `to`). */
const CURRENT = "current";

/**
 * A zone's published serials (issue 15): compare any two (or one with the zone as it is now) and
 * roll back to one. A rollback is always previewed first (a dry run, its exact diff in a dialog) and
 * applied only on confirmation, as a new, higher serial.
 */
export function HistoryPage({ zoneId }: { zoneId: string }) {
  const { client } = useConsole();
  const [zone, setZone] = useState<Zone | null>(null);
  const [snapshots, setSnapshots] = useState<Snapshot[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [from, setFrom] = useState("");
  const [to, setTo] = useState(CURRENT);
  const [diff, setDiff] = useState<ZoneDiff | null>(null);
  const [target, setTarget] = useState<number | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const loader = useApiAction();
  const more = useApiAction();
  const differ = useApiAction();

  const loadZone = useCallback(async () => {
    const { data } = await client.GET("/api/zones/{id}", { params: { path: { id: zoneId } } });
    setZone(data ?? null);
  }, [client, zoneId]);

  const load = useCallback(
    () =>
      loader.run(async () => {
        const path = { id: zoneId };
        const [, list] = await Promise.all([
          loadZone(),
          client.GET("/api/zones/{id}/snapshots", { params: { path } }),
        ]);
        setSnapshots(list.data?.snapshots ?? []);
        setCursor(list.data?.next_cursor ?? null);
      }),
    [client, zoneId, loader.run, loadZone],
  );

  useEffect(() => {
    void load();
  }, [load]);

  const loadMore = () =>
    void more.run(async () => {
      if (!cursor) return;
      const { data } = await client.GET("/api/zones/{id}/snapshots", {
        params: { path: { id: zoneId }, query: { cursor } },
      });
      setSnapshots((list) => [...(list ?? []), ...(data?.snapshots ?? [])]);
      setCursor(data?.next_cursor ?? null);
    });

  // By default: what changed since the newest publish (the pending changes), until one is picked.
  const fromSerial = from || String(snapshots?.[0]?.serial ?? "");
  const showDiff = (event: React.FormEvent) => {
    event.preventDefault();
    setDiff(null);
    void differ.run(async () => {
      const query = { from: Number(fromSerial), ...(to === CURRENT ? {} : { to: Number(to) }) };
      const { data } = await client.GET("/api/zones/{id}/diff", {
        params: { path: { id: zoneId }, query },
      });
      setDiff(data ?? null);
    });
  };

  // The serial being rolled back to, read by `send` when the preview and the rollback run.
  const targetRef = useRef<number | null>(null);
  const send = useCallback(
    async ({ dryRun, confirmMassDelete }: ChangeOptions): Promise<Rollback> => {
      const { data } = await client.POST("/api/zones/{id}/rollback", {
        params: { path: { id: zoneId } },
        body: { serial: targetRef.current ?? 0, dry_run: dryRun, confirm_mass_delete: confirmMassDelete },
      });
      if (!data) throw new Error("empty answer to the rollback");
      return data;
    },
    [client, zoneId],
  );
  const rollback = usePreviewedChange(send, diffOfRollback);

  const askRollback = (serial: number) => {
    setMessage(null);
    targetRef.current = serial;
    setTarget(serial);
    void rollback.start();
  };
  const cancelRollback = () => {
    rollback.cancel();
    setTarget(null);
  };
  const applyRollback = async () => {
    const done = await rollback.apply();
    if (!done) return;
    setTarget(null);
    setMessage(
      done.status === "UNCHANGED"
        ? `The zone already equals serial ${done.rolled_back_to}; nothing changed.`
        : `Rolled back to serial ${done.rolled_back_to}: the zone is now at serial ${done.serial} (pending publish).`,
    );
    await loader.run(loadZone);
  };

  return (
    <section>
      <p>
        <Link to={`/zones/${encodeURIComponent(zoneId)}`}>← {zone ? zone.origin : "Zone"}</Link>
      </p>
      <h1>History{zone ? ` of ${zone.origin}` : ""}</h1>
      <ErrorBox error={loader.error} fields={loader.error?.fields} />
      {zone && (
        <div className="summary">
          <p>
            Current serial <strong data-testid="serial">{zone.serial}</strong>, published serial{" "}
            <strong data-testid="published-serial">{zone.published_serial}</strong>
            {pending(zone) ? " (changes pending publish)" : ""}.
          </p>
        </div>
      )}
      {message && (
        <p className="notice" role="status" data-testid="rollback-result">
          {message} <Link to={`/zones/${encodeURIComponent(zoneId)}`}>See the records</Link>
        </p>
      )}
      {!rollback.preview && <ErrorBox error={rollback.error} fields={rollback.error?.fields} />}

      <h2>Published serials</h2>
      {!snapshots && !loader.error && <p role="status">Loading history…</p>}
      {snapshots && (
        <div className="table-wrap">
          <table data-testid="snapshots" className="cards">
            <caption className="visually-hidden">Published serials, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Serial</th>
                <th scope="col">Published</th>
                <th scope="col">By</th>
                <th scope="col">Record sets</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {snapshots.map((s) => (
                <tr key={s.serial} data-serial={s.serial}>
                  <td data-label="Serial">{s.serial}</td>
                  <td data-label="Published">
                    <time dateTime={s.published_at}>{new Date(s.published_at).toLocaleString()}</time>
                  </td>
                  <td data-label="By">
                    <code>{s.actor}</code>
                  </td>
                  <td data-label="Record sets">{s.rrset_count}</td>
                  <td data-label="Actions" className="actions">
                    <button
                      type="button"
                      className="danger"
                      disabled={rollback.busy}
                      onClick={() => askRollback(s.serial)}
                    >
                      Roll back to serial {s.serial}
                    </button>
                  </td>
                </tr>
              ))}
              {snapshots.length === 0 && (
                <tr>
                  <td colSpan={5}>Nothing published yet.</td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      )}
      <LoadMore action={more} more={cursor !== null} label="Load older serials" onLoad={loadMore} />

      <h2>Compare</h2>
      <form onSubmit={showDiff} className="grid compare" noValidate>
        <div className="field">
          <label htmlFor="diff-from">From serial</label>
          <select id="diff-from" value={fromSerial} onChange={(e) => setFrom(e.target.value)}>
            {(snapshots ?? []).map((s) => (
              <option key={s.serial} value={s.serial}>
                {s.serial}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="diff-to">To serial</label>
          <select id="diff-to" value={to} onChange={(e) => setTo(e.target.value)}>
            <option value={CURRENT}>Current{zone ? ` (serial ${zone.serial})` : ""}</option>
            {(snapshots ?? []).map((s) => (
              <option key={s.serial} value={s.serial}>
                {s.serial}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <button type="submit" disabled={differ.busy || fromSerial === ""}>
            Show diff
          </button>
        </div>
      </form>
      <ErrorBox error={differ.error} fields={differ.error?.fields} />
      {diff && (
        <div className="result">
          <h3>
            Changes from serial {diff.from} to serial {diff.to}
          </h3>
          <DiffView diff={diff} label={`Changes from serial ${diff.from} to serial ${diff.to}`} />
        </div>
      )}

      {target !== null && rollback.preview && (
        <ChangePreviewDialog
          title={`Roll back to serial ${target}?`}
          intro={
            <p>
              {`The zone's records become those of serial ${target} again, as new serial ${rollback.preview.result.serial}. `}
              The apex SOA and NS stay as they are.
            </p>
          }
          applyLabel="Confirm rollback"
          preview={rollback.preview}
          massConfirmed={rollback.massConfirmed}
          onMassConfirmed={rollback.setMassConfirmed}
          onApply={() => void applyRollback()}
          onCancel={cancelRollback}
          busy={rollback.busy}
          error={rollback.error}
        />
      )}
    </section>
  );
}
