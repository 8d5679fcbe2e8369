import type { RRset, Zone } from "@dnscove/sdk";
import { useCallback, useState } from "react";
import { useApiAction, useConsole } from "../../context.js";
import { rrsetKey, type Servers, type StoredWrite } from "./types.js";

/** The zone, its rrsets and its servers' serials, with loaders for all of them or just the state. */
export function useZone(zoneId: string) {
  const { client } = useConsole();
  const [zone, setZone] = useState<Zone | null>(null);
  const [rrsets, setRrsets] = useState<RRset[] | null>(null);
  const [servers, setServers] = useState<Servers | null>(null);
  const loader = useApiAction();
  const poller = useApiAction();

  const load = useCallback(async () => {
    const id = { params: { path: { id: zoneId } } };
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

  /** Re-reads only what publishing changes (serials and servers), not the record list. */
  const refreshState = useCallback(async () => {
    const id = { params: { path: { id: zoneId } } };
    await poller.run(async () => {
      const [z, s] = await Promise.all([
        client.GET("/api/zones/{id}", id),
        client.GET("/api/zones/{id}/servers", id),
      ]);
      if (z.data) setZone(z.data);
      if (s.data) setServers(s.data);
    });
  }, [client, zoneId, poller.run]);

  /**
   * Takes in a write the API answered with its stored rrset (canonical name and records) and the new
   * serial, so the record list needs no second read; the serials and servers are re-read.
   */
  const applyWrite = useCallback(
    async (change: StoredWrite & { deleted: boolean }) => {
      const key = rrsetKey(change.stored);
      setRrsets((list) => [
        ...(list ?? []).filter((r) => rrsetKey(r) !== key),
        ...(change.deleted ? [] : [change.stored]),
      ]);
      setZone((z) => (z ? { ...z, serial: Math.max(z.serial, change.serial) } : z));
      await refreshState();
    },
    [refreshState],
  );

  return {
    zone,
    setZone,
    rrsets,
    servers,
    load,
    loader,
    refreshState,
    applyWrite,
    refreshError: poller.error,
  };
}
