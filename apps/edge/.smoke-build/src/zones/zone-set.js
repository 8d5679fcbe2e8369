import { toKey } from "../wire/names.js";
import { LoadedZone } from "./loaded-zone.js";
export class ZoneSet {
    byId = new Map();
    byOrigin = new Map();
    /** Loads (or replaces) a zone. Throws ZoneLoadError and keeps the old content if the snapshot is bad. */
    put(zoneId, snapshot) {
        const zone = LoadedZone.fromSnapshot(snapshot);
        const previous = this.byId.get(zoneId);
        if (previous && previous.origin !== zone.origin) {
            const held = this.byOrigin.get(previous.origin);
            if (held?.zoneId === zoneId)
                this.byOrigin.delete(previous.origin);
        }
        this.byId.set(zoneId, zone);
        this.byOrigin.set(zone.origin, { zoneId, zone });
        return zone;
    }
    remove(zoneId) {
        const zone = this.byId.get(zoneId);
        if (!zone)
            return;
        this.byId.delete(zoneId);
        const held = this.byOrigin.get(zone.origin);
        if (held?.zoneId === zoneId)
            this.byOrigin.delete(zone.origin);
    }
    get(zoneId) {
        return this.byId.get(zoneId);
    }
    serialOf(zoneId) {
        return this.byId.get(zoneId)?.serial;
    }
    zoneIds() {
        return [...this.byId.keys()];
    }
    /** The zone whose origin is the longest suffix of `qname` (case-insensitive), if any. */
    findForName(qname) {
        return this.findEntryForName(qname)?.zone;
    }
    findEntryForName(qname) {
        let key = toKey(qname);
        for (;;) {
            const hit = this.byOrigin.get(key);
            if (hit)
                return hit;
            if (key === ".")
                return undefined;
            const dot = key.indexOf(".");
            key = dot === key.length - 1 ? "." : key.slice(dot + 1);
        }
    }
}
//# sourceMappingURL=zone-set.js.map