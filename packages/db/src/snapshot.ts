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

/** An rrset row as stored: `records` is already a JSON array of strings. */
export interface StoredRRsetRow {
  name: string;
  type: string;
  ttl: number;
  records: string;
}

/**
 * The same text as `encodeSnapshot`, built from stored rows without parsing and re-serialising
 * each row's records: publishing a 100,000-rrset zone spends its time here.
 */
export function encodeSnapshotFromRows(
  origin: string,
  serial: number,
  head: SnapshotRRset[],
  rows: readonly StoredRRsetRow[],
): string {
  const parts = head.map((rrset) => JSON.stringify(rrset));
  for (const row of rows) {
    parts.push(
      `{"name":${JSON.stringify(row.name)},"type":${JSON.stringify(row.type)},"ttl":${Number(row.ttl)},"records":${row.records}}`,
    );
  }
  return `{"origin":${JSON.stringify(origin)},"serial":${serial},"rrsets":[${parts.join(",")}]}`;
}

export function decodeSnapshot(text: string): SnapshotContent {
  const value = JSON.parse(text) as SnapshotContent;
  if (typeof value.origin !== "string" || typeof value.serial !== "number" || !Array.isArray(value.rrsets)) {
    throw new Error("malformed snapshot");
  }
  return value;
}
