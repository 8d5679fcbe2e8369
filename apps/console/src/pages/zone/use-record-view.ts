import type { RRset } from "@dnscove/sdk";
import { useMemo, useState } from "react";

export type SortKey = "name" | "type" | "ttl";
export interface Sort {
  key: SortKey;
  direction: 1 | -1;
}

/** The table's filter and sort over the zone's rrsets. */
export function useRecordView(rrsets: readonly RRset[]) {
  const [filter, setFilter] = useState("");
  const [sort, setSort] = useState<Sort>({ key: "name", direction: 1 });
  const shown = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    return rrsets
      .filter(
        (r) =>
          !needle ||
          r.name.includes(needle) ||
          r.type.toLowerCase().includes(needle) ||
          r.records.some((v) => v.toLowerCase().includes(needle)),
      )
      .sort((a, b) => sort.direction * compareBy(sort.key, a, b));
  }, [rrsets, filter, sort]);
  /** Sorts by `key`, or reverses the order when it already sorts by it. */
  const sortBy = (key: SortKey) =>
    setSort((s) => ({ key, direction: s.key === key ? (-s.direction as 1 | -1) : 1 }));
  return { filter, setFilter, sort, sortBy, shown };
}

/** Table order: by the chosen column, then by name and type so the order is stable. */
function compareBy(key: SortKey, a: { name: string; type: string; ttl: number }, b: typeof a): number {
  const primary = key === "ttl" ? a.ttl - b.ttl : a[key].localeCompare(b[key]);
  return primary || a.name.localeCompare(b.name) || a.type.localeCompare(b.type);
}
