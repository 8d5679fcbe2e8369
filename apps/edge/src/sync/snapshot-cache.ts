import { appendFile, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { decodeSnapshot, type SnapshotContent } from "@dnscove/db";
import type { RRsetChange } from "../zones/loaded-zone.js";

const append = promisify(appendFile);

/** A diff applied after the cached snapshot: the zone took `serial` with these changes. */
export interface CachedDiff {
  serial: number;
  changes: RRsetChange[];
}

/**
 * A copy of what each zone serves on local disk, so an edge restarted while the database is
 * unreachable still serves the last published zones: the last full snapshot it loaded, then the
 * diffs applied since, one JSON line each (issue 14: a publish costs the change here too).
 */
export interface SnapshotCache {
  /** A full snapshot; the diffs cached for the zone before it are dropped. Writes in the background. */
  save(zoneId: string, content: string): void;
  /** A diff applied after the cached snapshot. Writes for one zone keep their order. */
  append(zoneId: string, diff: CachedDiff): void;
  remove(zoneId: string): void;
  /** Resolves when every write asked for so far is on disk. */
  flush(): Promise<void>;
  loadAll(): { zoneId: string; snapshot: SnapshotContent; diffs: CachedDiff[] }[];
}

export function createSnapshotCache(dir: string): SnapshotCache {
  mkdirSync(dir, { recursive: true });
  const file = (zoneId: string) => path.join(dir, `${zoneId.replace(/[^A-Za-z0-9_-]/g, "_")}.json`);
  const diffFile = (zoneId: string) => `${file(zoneId).slice(0, -".json".length)}.diffs`;
  const pending = new Map<string, Promise<void>>();
  const enqueue = (zoneId: string, write: () => Promise<void>) => {
    const next = (pending.get(zoneId) ?? Promise.resolve())
      .then(write)
      .catch(() => undefined) // a failed cache write only costs the next cold start
      .finally(() => {
        if (pending.get(zoneId) === next) pending.delete(zoneId);
      });
    pending.set(zoneId, next);
  };
  return {
    save(zoneId, content) {
      // Write then rename: a crash leaves the old copy or the new one, never half a file. Diff lines
      // left from before (a crash between the two steps) are at or below the new serial and skipped.
      const target = file(zoneId);
      enqueue(zoneId, async () => {
        await writeFile(`${target}.tmp`, JSON.stringify({ zoneId, content }));
        await rename(`${target}.tmp`, target);
        await rm(diffFile(zoneId), { force: true });
      });
    },
    append(zoneId, diff) {
      enqueue(zoneId, () => append(diffFile(zoneId), `${JSON.stringify(diff)}\n`));
    },
    remove(zoneId) {
      enqueue(zoneId, async () => {
        await rm(file(zoneId), { force: true });
        await rm(diffFile(zoneId), { force: true });
      });
    },
    async flush() {
      await Promise.all(pending.values());
    },
    loadAll() {
      const out: { zoneId: string; snapshot: SnapshotContent; diffs: CachedDiff[] }[] = [];
      for (const name of readdirSync(dir)) {
        if (!name.endsWith(".json")) continue;
        try {
          const entry = JSON.parse(readFileSync(path.join(dir, name), "utf8")) as {
            zoneId: string;
            content: string;
          };
          const snapshot = decodeSnapshot(entry.content);
          out.push({
            zoneId: entry.zoneId,
            snapshot,
            diffs: readDiffs(diffFile(entry.zoneId), snapshot.serial),
          });
        } catch {
          // A damaged cache entry is skipped; the database copy replaces it once reachable.
        }
      }
      return out;
    },
  };
}

/** The cached diffs after `serial`, in order; a torn last line (crash mid-append) ends the list. */
function readDiffs(file: string, serial: number): CachedDiff[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return [];
  }
  const diffs: CachedDiff[] = [];
  let last = serial;
  for (const line of text.split("\n")) {
    if (line === "") continue;
    let diff: CachedDiff;
    try {
      diff = JSON.parse(line) as CachedDiff;
    } catch {
      break;
    }
    if (diff.serial <= last) continue;
    diffs.push(diff);
    last = diff.serial;
  }
  return diffs;
}
