/**
 * Decides when the secondaries may be NOTIFYed of a serial: only once every serving worker
 * serves it. A secondary answers NOTIFY with an SOA query and then IXFR/AXFR (RFC 1996 section
 * 3.7, RFC 1995), and the kernel hands each of those packets or connections to any worker on the
 * shared port; were one still on the old serial, the secondary would see no change or transfer
 * an old zone. The primary feeds this with each worker's reports and sends the due NOTIFYs
 * through one worker, so they leave from exactly one place.
 */
export interface DueNotify {
  zoneId: string;
  origin: string;
  serial: number;
}

export class NotifyCoordinator {
  /** Live worker → zone id → the serial it serves. */
  private readonly serving = new Map<number, Map<string, number>>();
  /** Serials some worker newly loaded from a publish, not yet NOTIFYed. */
  private readonly pending = new Map<string, { origin: string; serial: number }>();
  private readonly notified = new Map<string, number>();

  /**
   * A worker is starting: until it reports what it serves, it counts as serving nothing, so no
   * NOTIFY goes out while it may answer a secondary's SOA query from an older cached serial.
   */
  starting(worker: number): void {
    this.serving.set(worker, new Map());
  }

  /** A worker (re)started serving these serials (loaded from its cache, so nothing is new). */
  ready(worker: number, serials: Iterable<[string, number]>): DueNotify[] {
    this.serving.set(worker, new Map(serials));
    return this.due();
  }

  /** A worker loaded a newly published serial: the secondaries need to hear of it. */
  served(worker: number, zoneId: string, origin: string, serial: number): DueNotify[] {
    this.serving.get(worker)?.set(zoneId, serial);
    if (serial > (this.notified.get(zoneId) ?? 0) && serial > (this.pending.get(zoneId)?.serial ?? 0)) {
      this.pending.set(zoneId, { origin, serial });
    }
    return this.due();
  }

  removed(worker: number, zoneId: string): void {
    this.serving.get(worker)?.delete(zoneId);
    this.pending.delete(zoneId);
    this.notified.delete(zoneId);
  }

  /** A worker exited: the others need not wait for it (its restart loads the latest serial). */
  gone(worker: number): DueNotify[] {
    this.serving.delete(worker);
    return this.due();
  }

  private due(): DueNotify[] {
    const out: DueNotify[] = [];
    if (this.serving.size === 0) return out;
    for (const [zoneId, { origin, serial }] of this.pending) {
      let everywhere = true;
      for (const zones of this.serving.values()) {
        if ((zones.get(zoneId) ?? 0) < serial) everywhere = false;
      }
      if (!everywhere) continue;
      this.pending.delete(zoneId);
      this.notified.set(zoneId, serial);
      out.push({ zoneId, origin, serial });
    }
    return out;
  }
}
