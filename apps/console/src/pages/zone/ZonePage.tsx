import type { RRset } from "@dnscove/sdk";
import { useEffect, useState } from "react";
import { ErrorBox, Link, useApiAction, useConsole } from "../../context.js";
import { pending } from "../../zone-state.js";
import { DelegationPanel } from "./DelegationPanel.js";
import { DnssecPanel } from "./DnssecPanel.js";
import { PublishState } from "./PublishState.js";
import { RecordEditor } from "./RecordEditor.js";
import { RecordsTable } from "./RecordsTable.js";
import { ServersTable } from "./ServersTable.js";
import { TsigKeysPanel } from "./TsigKeysPanel.js";
import { rrsetKey, type StoredWrite } from "./types.js";
import { useSettlingPoll } from "./use-settling-poll.js";
import { useZone } from "./use-zone.js";
import { ZoneFileDownload } from "./ZoneFileDownload.js";

/** One zone: its publish state, records (editor and table), delegation, DNSSEC and servers. */
export function ZonePage({ zoneId }: { zoneId: string }) {
  const { client } = useConsole();
  const { zone, setZone, rrsets, servers, load, loader, refreshState, applyWrite, refreshError } =
    useZone(zoneId);
  const [editing, setEditing] = useState<RRset | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const publish = useApiAction();

  useEffect(() => {
    void load();
  }, [load]);

  const unsettled = zone !== null && (pending(zone) || servers?.in_sync === false);
  useSettlingPoll(unsettled, refreshState, zone?.serial);

  /**
   * After a change: say what happened and show the records and serials as they are now, from the
   * API's answer (the stored rrset) when it has one, else by reading the zone again.
   */
  const changed = (deleted: boolean) => async (text: string, write?: StoredWrite) => {
    setMessage(text);
    if (write) await applyWrite({ ...write, deleted });
    else await load();
  };
  const saved = async (text: string, write?: StoredWrite) => {
    setEditing(null);
    await changed(false)(text, write);
  };

  const doPublish = () => {
    setMessage(null);
    void publish.run(async () => {
      const { data } = await client.POST("/api/zones/{id}/publish", { params: { path: { id: zoneId } } });
      if (data?.zone) setZone(data.zone);
      await load();
      setMessage(`Published serial ${data?.serial ?? "?"}.`);
    });
  };

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
          <p>
            <Link to={`/zones/${encodeURIComponent(zoneId)}/history`}>History, diffs and rollback</Link>
          </p>
          <ZoneFileDownload zoneId={zoneId} origin={zone.origin} />
          <PublishState
            zone={zone}
            onPublish={doPublish}
            publishing={publish.busy}
            publishError={publish.error}
            refreshError={refreshError}
          />
          {message && (
            <p className="notice" role="status">
              {message}
            </p>
          )}

          <h2>Records</h2>
          <RecordEditor
            key={editing ? rrsetKey(editing) : "new"}
            zoneId={zoneId}
            origin={zone.origin}
            editing={editing}
            onSaved={saved}
            onCancel={() => setEditing(null)}
          />
          <RecordsTable
            zoneId={zoneId}
            origin={zone.origin}
            rrsets={rrsets}
            onEdit={setEditing}
            onDeleted={changed(true)}
          />

          <h2>Delegation</h2>
          <DelegationPanel zone={zone} onChecked={load} />

          <h2>DNSSEC</h2>
          <DnssecPanel zoneId={zoneId} onChanged={load} />

          <h2>Dynamic updates (RFC 2136)</h2>
          <TsigKeysPanel zoneId={zoneId} />

          <h2>Servers</h2>
          {servers && <ServersTable servers={servers} />}
        </>
      )}
    </section>
  );
}
