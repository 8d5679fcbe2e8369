import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { type SnapshotContent, decodeSnapshot } from "@dnscove/db";

/**
 * A copy of each served snapshot on local disk, so an edge restarted while the database is
 * unreachable still serves the last published zones.
 */
export interface SnapshotCache {
  save(zoneId: string, content: string): void;
  remove(zoneId: string): void;
  loadAll(): { zoneId: string; snapshot: SnapshotContent }[];
}

export function createSnapshotCache(dir: string): SnapshotCache {
  mkdirSync(dir, { recursive: true });
  const file = (zoneId: string) => path.join(dir, `${zoneId.replace(/[^A-Za-z0-9_-]/g, "_")}.json`);
  return {
    save(zoneId, content) {
      // Write then rename: a crash leaves the old copy or the new one, never half a file.
      const target = file(zoneId);
      writeFileSync(`${target}.tmp`, JSON.stringify({ zoneId, content }));
      renameSync(`${target}.tmp`, target);
    },
    remove(zoneId) {
      rmSync(file(zoneId), { force: true });
    },
    loadAll() {
      const out: { zoneId: string; snapshot: SnapshotContent }[] = [];
      for (const name of readdirSync(dir)) {
        if (!name.endsWith(".json")) continue;
        try {
          const entry = JSON.parse(readFileSync(path.join(dir, name), "utf8")) as { zoneId: string; content: string };
          out.push({ zoneId: entry.zoneId, snapshot: decodeSnapshot(entry.content) });
        } catch {
          // A damaged cache entry is skipped; the database copy replaces it once reachable.
        }
      }
      return out;
    },
  };
}
