import type { components } from "@dnscove/sdk";
import { out } from "./output.js";

type RRset = components["schemas"]["RRset"];
type Content = components["schemas"]["RRsetContent"];

/** What the API answers for a diff, a dry run or a rollback (`ZoneDiff` and `RRsetDiff` alike). */
export interface DiffLike {
  added: RRset[];
  removed: RRset[];
  changed: components["schemas"]["ChangedRRset"][];
}

/** One rrset's change, as audit entries hold it: `before` null for a creation, `after` null for a deletion. */
export interface RRsetChangeLike {
  name: string;
  type: string;
  before: Content | null;
  after: Content | null;
}

/** A diff as one change per rrset, in a stable order (name, then type, compared as strings). */
export function changesOf(diff: DiffLike): RRsetChangeLike[] {
  const content = (rr: RRset): Content => ({ ttl: rr.ttl, records: rr.records });
  return sortChanges([
    ...diff.added.map((rr) => ({ name: rr.name, type: rr.type, before: null, after: content(rr) })),
    ...diff.removed.map((rr) => ({ name: rr.name, type: rr.type, before: content(rr), after: null })),
    ...diff.changed.map((c) => ({ name: c.name, type: c.type, before: c.before, after: c.after })),
  ]);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sortChanges<T extends { name: string; type: string }>(changes: T[]): T[] {
  return [...changes].sort((a, b) => compare(a.name, b.name) || compare(a.type, b.type));
}

/** A record as a zone file line: `www.example.com. 300 IN A 192.0.2.1`. */
function recordLine(name: string, type: string, ttl: number, record: string): string {
  return `${name} ${ttl} IN ${type} ${record}`;
}

/**
 * The change as unified-diff lines: a space for each record that stays (same TTL and data), then
 * `-` for each that goes and `+` for each that comes, each group in the API's canonical record
 * order. A TTL change replaces every record of the rrset.
 */
export function changeLines(change: RRsetChangeLike): string[] {
  const { name, type, before, after } = change;
  const kept =
    before && after && before.ttl === after.ttl
      ? new Set(before.records.filter((r) => after.records.includes(r)))
      : new Set<string>();
  const line = (sign: string, ttl: number) => (record: string) =>
    `${sign}${recordLine(name, type, ttl, record)}`;
  return [
    ...[...kept].map(line(" ", after?.ttl ?? 0)),
    ...(before?.records ?? []).filter((r) => !kept.has(r)).map(line("-", before?.ttl ?? 0)),
    ...(after?.records ?? []).filter((r) => !kept.has(r)).map(line("+", after?.ttl ?? 0)),
  ];
}

/** Every line of a set of changes, in the stable order. */
export function diffLines(changes: RRsetChangeLike[]): string[] {
  return sortChanges(changes).flatMap(changeLines);
}

/** "2 added, 1 removed, 1 changed" or "no differences". */
export function diffSummary(diff: DiffLike): string {
  const { added, removed, changed } = diff;
  if (added.length + removed.length + changed.length === 0) return "no differences";
  const rrsets = (n: number) => `${n} rrset${n === 1 ? "" : "s"}`;
  return `${rrsets(added.length)} added, ${removed.length} removed, ${changed.length} changed`;
}

/** Prints a diff's lines and then its summary (stdout). */
export function printDiff(diff: DiffLike): void {
  for (const line of diffLines(changesOf(diff))) out(line);
  out(`(${diffSummary(diff)})`);
}
