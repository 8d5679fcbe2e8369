/**
 * The stored form of a published zone: its whole content at one serial, SOA and apex NS included,
 * every name absolute with a trailing dot and every record in canonical presentation form. The API
 * writes it once; edges load it as is.
 */
export interface SnapshotRRset {
  name: string;
  type: string;
  ttl: number;
  records: string[];
}

export interface SnapshotContent {
  /** Absolute, lowercase, trailing dot. */
  origin: string;
  serial: number;
  rrsets: SnapshotRRset[];
}

export function encodeSnapshot(content: SnapshotContent): string {
  return JSON.stringify(content);
}

export function decodeSnapshot(text: string): SnapshotContent {
  const value = JSON.parse(text) as SnapshotContent;
  if (typeof value.origin !== "string" || typeof value.serial !== "number" || !Array.isArray(value.rrsets)) {
    throw new Error("malformed snapshot");
  }
  return value;
}
