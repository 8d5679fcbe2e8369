/** IPC between the edge cluster primary and its serving workers (node:cluster `send`). */

/** Worker → primary. */
export type WorkerMessage =
  /** Listening on the shared port; `serials` is every zone it serves (cache included). */
  | { kind: "edge:ready"; port: number; serials: [zoneId: string, serial: number][] }
  | { kind: "edge:served"; zoneId: string; origin: string; serial: number }
  | { kind: "edge:removed"; zoneId: string }
  | { kind: "edge:refreshed"; id: number };

/** Primary → worker. */
export type PrimaryMessage =
  | { kind: "edge:refresh"; id: number }
  | { kind: "edge:notify"; zoneId: string; origin: string; serial: number }
  | { kind: "edge:stop" };

export function isWorkerMessage(value: unknown): value is WorkerMessage {
  return (
    typeof value === "object" &&
    value !== null &&
    String((value as { kind?: unknown }).kind).startsWith("edge:")
  );
}

export function isPrimaryMessage(value: unknown): value is PrimaryMessage {
  return isWorkerMessage(value);
}
