/** IPC between the edge cluster primary and its serving workers (node:cluster `send`). */

/** Worker → primary. */
export type WorkerMessage =
  /** Listening on the shared port; `serials` is every zone it serves (cache included). */
  | { kind: "edge:ready"; port: number; serials: [zoneId: string, serial: number][] }
  | { kind: "edge:served"; zoneId: string; origin: string; serial: number }
  | { kind: "edge:removed"; zoneId: string }
  | { kind: "edge:refreshed"; id: number }
  /** Only when the primary records for the workers (EdgeWorkersOptions.recorder). */
  | { kind: "edge:record"; op: "heartbeat"; edgeId: string; address: string; at: number }
  | { kind: "edge:record"; op: "serial"; edgeId: string; zoneId: string; serial: number; at: number }
  | { kind: "edge:record"; op: "forget"; edgeId: string; zoneId: string }
  | {
      kind: "edge:record";
      op: "secondary";
      edgeId: string;
      address: string;
      zoneId: string;
      serial: number | null;
      at: number;
    };

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
