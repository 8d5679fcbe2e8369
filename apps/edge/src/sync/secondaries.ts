import type { Db } from "@dnscove/db";
import type { Logger } from "pino";
import { sendNotify } from "../transfer/send-notify.js";
import type { TsigKey } from "../transfer/tsig.js";
import { isDatabaseBusy } from "./database-busy.js";
import { querySoaSerial } from "./query-soa-serial.js";

export interface Secondary {
  host: string;
  port: number;
  /** TSIG key to sign NOTIFY with (the secondary then transfers with it). */
  tsigKey?: TsigKey;
}

export interface SecondaryTracker {
  /** NOTIFY every secondary of the zone's new serial and record when each serves it. */
  served(zoneId: string, origin: string, serial: number): void;
  removed(zoneId: string): Promise<void>;
}

export type RecordSecondary = (
  nodeId: string,
  address: string,
  zoneId: string,
  serial: number | null,
  now: Date,
) => Promise<void>;

/** A secondary as a node of the servers view, and the serial it was last seen serving. */
export async function recordSecondaryInDatabase(
  db: Db,
  nodeId: string,
  address: string,
  zoneId: string,
  serial: number | null,
  now: Date,
): Promise<void> {
  await db.edgeNode.upsert({
    where: { id: nodeId },
    create: { id: nodeId, kind: "secondary", address, startedAt: now, lastSeenAt: now },
    update: { lastSeenAt: now },
  });
  if (serial === null) return;
  await db.edgeZoneSerial.upsert({
    where: { edgeId_zoneId: { edgeId: nodeId, zoneId } },
    create: { edgeId: nodeId, zoneId, serial, updatedAt: now },
    update: { serial, updatedAt: now },
  });
}

/** The zone's SOA as wire RDATA + TTL, to send with the NOTIFY (undefined: zone gone). */
export type SoaOf = (zoneId: string) => { rdata: Uint8Array; ttl: number } | undefined;

const id = (s: Secondary) => `secondary:${s.host}:${s.port}`;

/**
 * Sends NOTIFY (RFC 1996) on every publish and then watches each secondary's SOA until it serves
 * the serial (or `watchMs` passes), recording it in `edge_zone_serials` for the servers view.
 */
export function createSecondaryTracker(
  db: Db,
  secondaries: Secondary[],
  logger: Logger,
  watchMs = 30_000,
  /** Where to record what each secondary serves (default: `db`); see EdgeRecorder. */
  recordSecondary?: RecordSecondary,
  /** Told whether each NOTIFY was acknowledged (the edge's metrics). */
  onNotify?: (acknowledged: boolean) => void,
  /**
   * The SOA to put in each NOTIFY's answer section (RFC 1996 section 3.7). Knot 3.2 then logs the
   * serial it was told and ignores a NOTIFY of the serial it already serves.
   */
  soaOf?: SoaOf,
): SecondaryTracker {
  const record = async (secondary: Secondary, zoneId: string, serial: number | null) => {
    const write = recordSecondary ?? ((...args) => recordSecondaryInDatabase(db, ...args));
    await write(id(secondary), `${secondary.host}:${secondary.port}`, zoneId, serial, new Date());
  };

  const follow = async (secondary: Secondary, zoneId: string, origin: string, serial: number) => {
    const soa = soaOf?.(zoneId);
    const sentAt = Date.now();
    const acknowledged = await sendNotify(
      {
        host: secondary.host,
        port: secondary.port,
        ...(secondary.tsigKey ? { tsigKey: secondary.tsigKey } : {}),
      },
      origin,
      serial,
      2000,
      soa ? { soa } : {},
    );
    onNotify?.(acknowledged);
    // One line per NOTIFY, like the transfer lines: when it left tells whether a secondary's
    // delay is ours (a late NOTIFY) or the secondary's (bench/secondary-notify.ts reads both).
    if (acknowledged)
      logger.info(
        { secondary: id(secondary), origin, serial, sentAt, ackMs: Date.now() - sentAt },
        "secondary notified",
      );
    else logger.warn({ secondary: id(secondary), origin, serial }, "NOTIFY not acknowledged");
    const deadline = Date.now() + watchMs;
    let seen: number | null = null;
    while (Date.now() < deadline) {
      seen = await querySoaSerial(secondary.host, secondary.port, origin);
      if (seen !== null && seen >= serial) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    // The API may hold SQLite's write lock for seconds (a big import); wait for it without
    // blocking this process (see database-busy.ts).
    for (let attempt = 0; ; attempt++) {
      try {
        await record(secondary, zoneId, seen);
        return;
      } catch (error) {
        if (!isDatabaseBusy(error) || attempt >= 100) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  };

  return {
    served(zoneId, origin, serial) {
      for (const secondary of secondaries) {
        follow(secondary, zoneId, `${origin}.`, serial).catch((error: unknown) =>
          logger.warn({ err: error, secondary: id(secondary) }, "could not follow secondary"),
        );
      }
    },
    async removed(zoneId) {
      await db.edgeZoneSerial.deleteMany({ where: { zoneId, edgeId: { in: secondaries.map(id) } } });
    },
  };
}
