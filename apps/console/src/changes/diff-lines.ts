import type { components, RRset } from "@dnscove/sdk";

export type RRsetDiff = components["schemas"]["RRsetDiff"];
type Content = components["schemas"]["RRsetContent"] | null;

/** One line of a diff: a record in zone-file order (`name ttl type value`), and which side has it. */
export interface DiffLine {
  sign: "+" | "-" | " ";
  text: string;
}

/** One rrset's part of a diff: its identity and its records as lines. */
export interface DiffBlock {
  kind: "added" | "removed" | "changed";
  name: string;
  type: string;
  lines: DiffLine[];
}

function line(name: string, type: string, ttl: number, value: string): string {
  return `${name} ${ttl} ${type} ${value}`;
}

/**
 * The lines that turn `before` into `after`: a record (with its TTL) only in `before` is `-`, only
 * in `after` is `+`, in both is context. A TTL change therefore shows every record as - and +,
 * which is what a secondary will see.
 */
export function contentLines(name: string, type: string, before: Content, after: Content): DiffLine[] {
  const old = (before?.records ?? []).map((v) => line(name, type, before?.ttl ?? 0, v));
  const now = (after?.records ?? []).map((v) => line(name, type, after?.ttl ?? 0, v));
  const oldSet = new Set(old);
  const nowSet = new Set(now);
  return [
    ...old.map((text): DiffLine => ({ sign: nowSet.has(text) ? " " : "-", text })),
    ...now.filter((text) => !oldSet.has(text)).map((text): DiffLine => ({ sign: "+", text })),
  ];
}

const lines = (r: RRset, sign: "+" | "-"): DiffLine[] =>
  r.records.map((v) => ({ sign, text: line(r.name, r.type, r.ttl, v) }));

/** A diff as the API answers it (removed, changed, added), one block per rrset. */
export function diffBlocks(diff: RRsetDiff): DiffBlock[] {
  return [
    ...diff.removed.map(
      (r): DiffBlock => ({ kind: "removed", name: r.name, type: r.type, lines: lines(r, "-") }),
    ),
    ...diff.changed.map(
      (c): DiffBlock => ({
        kind: "changed",
        name: c.name,
        type: c.type,
        lines: contentLines(c.name, c.type, c.before, c.after),
      }),
    ),
    ...diff.added.map(
      (r): DiffBlock => ({ kind: "added", name: r.name, type: r.type, lines: lines(r, "+") }),
    ),
  ];
}

/** An audit entry's `detail.changes` (`{name, type, before, after}`, null for a side that did not exist) as a diff. */
export function diffOfChanges(changes: unknown): RRsetDiff | null {
  if (!Array.isArray(changes)) return null;
  const diff: RRsetDiff = { added: [], removed: [], changed: [] };
  for (const change of changes as { name: string; type: string; before: Content; after: Content }[]) {
    const { name, type, before, after } = change;
    if (before && after) diff.changed.push({ name, type, before, after });
    else if (after) diff.added.push({ name, type, ...after });
    else if (before) diff.removed.push({ name, type, ...before });
  }
  return diff;
}

export function isEmptyDiff(diff: RRsetDiff): boolean {
  return diff.added.length + diff.removed.length + diff.changed.length === 0;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
