import type { DbTransaction } from "@dnscove/db";
import type { Actor } from "../actor.js";

/**
 * Who caused a publish, as the snapshot history shows it: `user:<id>` (a console session),
 * `token:<id>` (a machine token's public id) or `system` (the auto-publisher). Never a secret.
 */
export type PublishActor = `user:${string}` | `token:${string}` | "system";

export const SYSTEM_ACTOR: PublishActor = "system";

export function publishActorOf(actor: Actor): PublishActor {
  return actor.kind === "session" ? `user:${actor.userId}` : `token:${actor.tokenId}`;
}

/** The apex SOA and NS every served zone holds beside its rrset rows (zones/apex.ts). */
export const APEX_RRSETS = 2;

/**
 * Records one publish (migration 0011) in the publishing transaction, so the history lists exactly
 * the serials edges were told to serve. `rrsetRows` is `zones.rrset_count` at that serial.
 */
export async function recordPublish(
  tx: DbTransaction,
  publish: { zoneId: string; serial: number; actor: PublishActor; rrsetRows: number; at: Date },
): Promise<void> {
  await tx.zonePublish.create({
    data: {
      zoneId: publish.zoneId,
      serial: publish.serial,
      actor: publish.actor,
      rrsetCount: publish.rrsetRows + APEX_RRSETS,
      publishedAt: publish.at,
    },
  });
}
