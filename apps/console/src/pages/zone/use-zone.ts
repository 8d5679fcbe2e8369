import type { RRset, Zone } from "@dnscove/sdk";
import { useCallback, useState } from "react";
import { useApiAction, useConsole } from "../../context.js";
import type { Servers } from "./types.js";

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

  return { zone, setZone, rrsets, servers, load, loader, refreshState, refreshError: poller.error };
}
