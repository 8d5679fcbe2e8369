import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { decodeSnapshot, type SnapshotContent } from "@dnscove/db";

/**
 * A copy of each served snapshot on local disk, so an edge restarted while the database is
 * unreachable still serves the last published zones.
 */
export interface SnapshotCache {
  /** Writes in the background, off the publish path; writes for one zone keep their order. */
  save(zoneId: string, content: string): void;
  remove(zoneId: string): void;
  /** Resolves when every write asked for so far is on disk. */
  flush(): Promise<void>;
  loadAll(): { zoneId: string; snapshot: SnapshotContent }[];
}

export function createSnapshotCache(dir: string): SnapshotCache {
  mkdirSync(dir, { recursive: true });
  const file = (zoneId: string) => path.join(dir, `${zoneId.replace(/[^A-Za-z0-9_-]/g, "_")}.json`);
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
      // Write then rename: a crash leaves the old copy or the new one, never half a file.
      const target = file(zoneId);
      enqueue(zoneId, async () => {
        await writeFile(`${target}.tmp`, JSON.stringify({ zoneId, content }));
        await rename(`${target}.tmp`, target);
      });
    },
    remove(zoneId) {
      enqueue(zoneId, () => rm(file(zoneId), { force: true }));
    },
    async flush() {
      await Promise.all(pending.values());
    },
    loadAll() {
      const out: { zoneId: string; snapshot: SnapshotContent }[] = [];
      for (const name of readdirSync(dir)) {
        if (!name.endsWith(".json")) continue;
        try {
          const entry = JSON.parse(readFileSync(path.join(dir, name), "utf8")) as {
            zoneId: string;
            content: string;
          };
          out.push({ zoneId: entry.zoneId, snapshot: decodeSnapshot(entry.content) });
        } catch {
          // A damaged cache entry is skipped; the database copy replaces it once reachable.
        }
      }
      return out;
    },
  };
}
