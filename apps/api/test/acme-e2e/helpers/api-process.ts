import { type ApiInNetns, startApiInNetns } from "@dnscove/testkit";
import type { Netns } from "./netns.js";

/** Inside the namespace the ports are ours alone, so they are fixed. */
export const EDGE_PORT = 53;

/**
 * Starts the real embedded default (API + edge in one process, SQLite in a temporary data
 * directory) inside `ns`, with the edge answering on 127.0.0.1:53 where the namespace's
 * resolv.conf points (see netns.ts).
 */
export function startAcmeApi(ns: Netns): Promise<ApiInNetns> {
  return startApiInNetns({
    netns: ns.name,
    env: { DNS_HOST: "127.0.0.1", DNS_PORT: String(EDGE_PORT) },
  });
}
