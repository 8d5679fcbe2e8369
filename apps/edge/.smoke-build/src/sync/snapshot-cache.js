import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { decodeSnapshot } from "@dnscove/db";
export function createSnapshotCache(dir) {
    mkdirSync(dir, { recursive: true });
    const file = (zoneId) => path.join(dir, `${zoneId.replace(/[^A-Za-z0-9_-]/g, "_")}.json`);
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
            const out = [];
            for (const name of readdirSync(dir)) {
                if (!name.endsWith(".json"))
                    continue;
                try {
                    const entry = JSON.parse(readFileSync(path.join(dir, name), "utf8"));
                    out.push({ zoneId: entry.zoneId, snapshot: decodeSnapshot(entry.content) });
                }
                catch {
                    // A damaged cache entry is skipped; the database copy replaces it once reachable.
                }
            }
            return out;
        },
    };
}
//# sourceMappingURL=snapshot-cache.js.map