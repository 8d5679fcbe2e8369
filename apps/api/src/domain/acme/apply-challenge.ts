import { type Db, type JournalRRset, recordZoneChanges } from "@dnscove/db";
import { type Actor, authorize } from "../actor.js";
import { ConflictError, QuotaExceededError, ValidationError } from "../errors.js";
import { publishActorOf } from "../history/publish-record.js";
import { publishZoneById } from "../publish/publish-zone.js";
import { checkCoexistence } from "../rrsets/check-coexistence.js";
import type { Services } from "../services.js";
import { findTenantZone } from "../zones/find-zone.js";
import { checkChallenge } from "./challenge-value.js";
import type { AcmeChallengeResult, ChallengeAction } from "./schemas.js";

/** Short, so a resolver never caches a stale challenge for long (a new value must be seen at once). */
export const ACME_TXT_TTL = 60;
/** A value a crashed client never cleaned up is removed this long after it was presented. */
export const CHALLENGE_LIFETIME_MS = 60 * 60 * 1000;

class Unchanged extends Error {}

/**
 * Adds or removes one value of the TXT rrset at an `_acme-challenge` name, in one transaction
 * that bumps the serial first (so concurrent clients at one name serialise on the zone row and
 * none loses another's value). Presenting a value already there, or cleaning one that is not,
 * changes nothing. Returns whether the zone changed. A value at a name with no TXT rrset yet adds
 * an rrset, so it counts against `maxRrsets` (the rrsets-per-zone quota).
 */
export async function changeChallengeValue(
  db: Db,
  zoneId: string,
  name: string,
  record: string,
  action: ChallengeAction,
  expiresAt: Date,
  maxRrsets = Number.POSITIVE_INFINITY,
): Promise<boolean> {
  try {
    await db.$transaction(async (tx) => {
      const zone = await tx.zone.update({
        where: { id: zoneId },
        data: { serial: { increment: 1 } },
        select: { rrsetCount: true, serial: true },
      });
      const here = await tx.rRset.findMany({ where: { zoneId, name } });
      const txt = here.find((row) => row.type === "TXT");
      const journal = (after: JournalRRset | null) =>
        recordZoneChanges(tx, zoneId, zone.serial, [
          { name, type: "TXT", before: txt ? { ttl: txt.ttl, records: txt.records } : null, after },
        ]);
      const records = txt ? (JSON.parse(txt.records) as string[]) : [];
      const value = record.slice(1, -1);
      const key = { zoneId_name_value: { zoneId, name, value } };
      if (action === "PRESENT") {
        if (records.includes(record)) throw new Unchanged();
        const conflicts = checkCoexistence(name, new Set([...here.map((row) => row.type), "TXT"]), "name");
        if (conflicts.length > 0) {
          throw new ConflictError("RRSET_CONFLICT", "The challenge name holds other data.", conflicts);
        }
        if (!txt) {
          // A new rrset. The serial bump above locked the zone row, so the count cannot race.
          if (zone.rrsetCount + 1 > maxRrsets) {
            throw new QuotaExceededError(
              `The zone holds ${zone.rrsetCount} rrsets; the limit is ${maxRrsets} per zone.`,
              [{ path: "name", message: "would add an rrset beyond the zone's quota" }],
            );
          }
          await tx.zone.update({ where: { id: zoneId }, data: { rrsetCount: { increment: 1 } } });
        }
        const next = JSON.stringify([...records, record].sort());
        await journal(txt ? { ttl: txt.ttl, records: next } : { ttl: ACME_TXT_TTL, records: next });
        await tx.rRset.upsert({
          where: { zoneId_name_type: { zoneId, name, type: "TXT" } },
          create: { zoneId, name, type: "TXT", ttl: ACME_TXT_TTL, records: next },
          update: { records: next },
        });
        await tx.acmeChallenge.upsert({
          where: key,
          create: { zoneId, name, value, expiresAt },
          update: { expiresAt },
        });
        return;
      }
      await tx.acmeChallenge.deleteMany({ where: { zoneId, name, value } });
      if (!records.includes(record)) throw new Unchanged();
      const rest = records.filter((r) => r !== record);
      await journal(
        rest.length === 0 ? null : { ttl: txt?.ttl ?? ACME_TXT_TTL, records: JSON.stringify(rest) },
      );
      if (rest.length === 0) {
        await tx.rRset.delete({ where: { zoneId_name_type: { zoneId, name, type: "TXT" } } });
        await tx.zone.update({ where: { id: zoneId }, data: { rrsetCount: { decrement: 1 } } });
      } else
        await tx.rRset.update({
          where: { zoneId_name_type: { zoneId, name, type: "TXT" } },
          data: { records: JSON.stringify(rest) },
        });
    });
    return true;
  } catch (error) {
    if (error instanceof Unchanged) return false;
    throw error;
  }
}

/**
 * `POST /zones/{id}/acme-challenge`: applies the value, publishes, and answers once every running
 * edge serves the result, so the ACME client may ask its CA to validate at once.
 */
export async function applyAcmeChallenge(
  services: Services,
  actor: Actor,
  zoneId: string,
  input: { action: ChallengeAction; name: string; value: string },
): Promise<AcmeChallengeResult> {
  authorize(actor, "acme", zoneId);
  const { db, clock } = services;
  const zone = await findTenantZone(db, actor.tenantId, zoneId);
  const checked = checkChallenge(input.name, input.value, zone.origin);
  if (!checked.name || !checked.record) throw new ValidationError(checked.issues);

  const expiresAt = new Date(clock.now().getTime() + CHALLENGE_LIFETIME_MS);
  const changed = await changeChallengeValue(
    db,
    zone.id,
    checked.name,
    checked.record,
    input.action,
    expiresAt,
    services.settings.quotas.rrsetsPerZone,
  );
  if (!changed && input.action === "PRESENT") {
    // Presented again: the client still needs it, so it lives on.
    await db.acmeChallenge.updateMany({
      where: { zoneId: zone.id, name: checked.name, value: input.value },
      data: { expiresAt },
    });
  }
  const serial =
    (await publishZoneById(services, zone.id, { actor: publishActorOf(actor) })) ?? zone.publishedSerial;
  const publishError = await services.edges.awaitServing(zone.id, serial);
  return {
    status: "ok",
    action: input.action,
    changed,
    published: publishError === null,
    serial,
    ...(publishError !== null ? { publish_error: publishError } : {}),
  };
}
