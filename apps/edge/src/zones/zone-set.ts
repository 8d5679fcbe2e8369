/**
 * The set of zones an edge serves, keyed by zone id and by origin.
 *
 * Swaps are atomic: `put` and `load` build the complete LoadedZone first and only then replaces the old one
 * with a single Map assignment. Query handling is synchronous and takes one LoadedZone reference,
 * so every answer (and every AXFR, which keeps its reference) comes from exactly one serial.
 *
 * `generation` changes on every put and remove: whatever was derived from the served zones (the
 * answer cache of server/answer-cache.ts) is stale once it moves.
 */
import type { SnapshotContent } from "@dnscove/db";
import { toKey } from "../wire/names.js";
import { LoadedZone, type RRsetChange, ZoneLoadError } from "./loaded-zone.js";

export interface ZoneSetOptions {
  /**
   * Bounds of the encoded-answer cache that request handlers keep for these zones (defaults in
   * server/answer-cache.ts; `maxEntries: 0` turns it off). Kept here because the cache is a
   * function of this set's content; the handler reads it when it is created.
   */
  answerCache?: { maxEntries?: number; maxBytes?: number };
}

export class ZoneSet {
  private readonly byId = new Map<string, LoadedZone>();
  private readonly byOrigin = new Map<string, { zoneId: string; zone: LoadedZone }>();
  private gen = 0;

  constructor(readonly options: ZoneSetOptions = {}) {}

  /** Bumped by every put and remove (see above). */
  get generation(): number {
    return this.gen;
  }

  /** Loads (or replaces) a zone. Throws ZoneLoadError and keeps the old content if the snapshot is bad. */
  put(zoneId: string, snapshot: SnapshotContent): LoadedZone {
    return this.swap(zoneId, LoadedZone.fromSnapshot(snapshot));
  }

  /**
   * Like put, but indexes in slices so queries keep being answered meanwhile (a big zone takes
   * ~100 ms to index). `then`, if given, is applied to the new index before it is served (a
   * snapshot followed by the journal after it). Readers see the old serial until the single swap at
   * the end. The caller runs one load per zone at a time (the snapshot sync does).
   */
  async load(
    zoneId: string,
    snapshot: SnapshotContent,
    then?: { serial: number; changes: readonly RRsetChange[] },
  ): Promise<LoadedZone> {
    const zone = await LoadedZone.fromSnapshotCooperative(snapshot);
    if (then) zone.applyChanges(then.serial, then.changes);
    return this.swap(zoneId, zone);
  }

  /**
   * Applies a diff to a served zone in place (see LoadedZone.applyChanges): cost proportional to
   * the change. Throws ZoneLoadError and changes nothing when a change is bad or the zone is not
   * held. Not to be mixed with a `load` of the same zone still in progress (its swap would undo it).
   */
  apply(zoneId: string, serial: number, changes: readonly RRsetChange[]): LoadedZone {
    const zone = this.byId.get(zoneId);
    if (!zone) throw new ZoneLoadError(`zone ${zoneId} is not loaded`);
    zone.applyChanges(serial, changes);
    this.gen++;
    return zone;
  }

  private swap(zoneId: string, zone: LoadedZone): LoadedZone {
    const previous = this.byId.get(zoneId);
    if (previous && previous.origin !== zone.origin) {
      const held = this.byOrigin.get(previous.origin);
      if (held?.zoneId === zoneId) this.byOrigin.delete(previous.origin);
    }
    this.byId.set(zoneId, zone);
    this.byOrigin.set(zone.origin, { zoneId, zone });
    this.gen++;
    return zone;
  }

  remove(zoneId: string): void {
    const zone = this.byId.get(zoneId);
    if (!zone) return;
    this.byId.delete(zoneId);
    const held = this.byOrigin.get(zone.origin);
    if (held?.zoneId === zoneId) this.byOrigin.delete(zone.origin);
    this.gen++;
  }

  get(zoneId: string): LoadedZone | undefined {
    return this.byId.get(zoneId);
  }

  serialOf(zoneId: string): number | undefined {
    return this.byId.get(zoneId)?.serial;
  }

  zoneIds(): string[] {
    return [...this.byId.keys()];
  }

  /** The zone whose origin is the longest suffix of `qname` (case-insensitive), if any. */
  findForName(qname: string): LoadedZone | undefined {
    return this.findEntryForName(qname)?.zone;
  }

  findEntryForName(qname: string): { zoneId: string; zone: LoadedZone } | undefined {
    let key = toKey(qname);
    for (;;) {
      const hit = this.byOrigin.get(key);
      if (hit) return hit;
      if (key === ".") return undefined;
      const dot = key.indexOf(".");
      key = dot === key.length - 1 ? "." : key.slice(dot + 1);
    }
  }
}
