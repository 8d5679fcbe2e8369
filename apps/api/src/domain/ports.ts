/**
 * What the domain asks of the world outside the database, implemented in mail/ and edge/ (and the
 * DNS checks in checks/dns-checks.ts, implemented in dns-checks/).
 */

/** Sends sign-in links. `development` mailers send nothing: the link is returned to the caller. */
export interface Mailer {
  readonly kind: "smtp" | "development";
  sendMagicLink(to: string, link: string): Promise<void>;
}

/**
 * An edge counts as running when it reported (its `edge_nodes.last_seen_at` heartbeat) within
 * this window: a publish waits only for running edges, and the servers view marks them `live`.
 */
export const EDGE_LIVE_WITHIN_MS = 10_000;

/** The edge servers that answer DNS from published snapshots. */
export interface EdgeFleet {
  /**
   * The stored snapshots changed (one was published, or a zone was removed): edges in this
   * process reload now; others notice by polling. Every edge reloads whatever changed, so the
   * call names no zone.
   */
  snapshotsChanged(): Promise<void>;
  /** Resolves null once every running edge serves `serial`, or after a bounded wait, why not. */
  awaitServing(zoneId: string, serial: number): Promise<string | null>;
}
