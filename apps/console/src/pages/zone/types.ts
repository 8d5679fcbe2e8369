import type { components, RRset } from "@dnscove/sdk";

export type Servers = components["schemas"]["ZoneServers"];
export type Delegation = components["schemas"]["DelegationResult"];
export type Parity = components["schemas"]["ParityResult"];

/** An rrset's identity in a zone: owner name and type. */
export function rrsetKey(r: Pick<RRset, "name" | "type">): string {
  return `${r.name} ${r.type}`;
}

/** What the API answered to one rrset write: the zone's new serial and the stored (canonical) rrset. */
export interface StoredWrite {
  serial: number;
  stored: RRset;
}
