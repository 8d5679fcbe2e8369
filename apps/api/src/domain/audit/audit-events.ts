import type { JournalEntry, JournalRRset } from "@dnscove/db";
import type { AuditEvent } from "./audit-entry.js";

/**
 * The events mutations record, one builder per kind, so every writer describes the same change the
 * same way (docs/audit-log.md lists each operation's `detail`). Nothing here may carry a secret: a
 * token's plaintext or hash, a session token or a magic link.
 */

interface ZoneRef {
  id: string;
  origin: string;
}

/** An rrset as the log shows it: records as an array (the journal stores their JSON text). */
function rrset(state: JournalRRset | null): { ttl: number; records: string[] } | null {
  return state === null ? null : { ttl: state.ttl, records: JSON.parse(state.records) as string[] };
}

/** Each change of a write: the rrset before and after (null: absent), as the change journal has it. */
function changes(journal: readonly JournalEntry[]) {
  return journal.map((entry) => ({
    name: entry.name,
    type: entry.type,
    before: rrset(entry.before),
    after: rrset(entry.after),
  }));
}

export function rrsetsChanged(zone: ZoneRef, serial: number, journal: readonly JournalEntry[]): AuditEvent {
  return { operation: "rrsets.change", zone, detail: { serial, changes: changes(journal) } };
}

/** A rollback: the changes that made the zone's content equal to published serial `to` again. */
export function zoneRolledBack(
  zone: ZoneRef,
  serial: number,
  to: number,
  journal: readonly JournalEntry[],
): AuditEvent {
  return {
    operation: "zone.rollback",
    zone,
    detail: { serial, rolled_back_to: to, changes: changes(journal) },
  };
}

export function acmeChallengeChanged(
  zone: ZoneRef,
  action: "PRESENT" | "CLEANUP",
  serial: number,
  value: string,
  journal: readonly JournalEntry[],
): AuditEvent {
  return {
    operation: action === "PRESENT" ? "acme.present" : "acme.cleanup",
    zone,
    // The value is a digest that is published in DNS anyway (RFC 8555 §8.4), not a secret.
    detail: { serial, value, changes: changes(journal) },
  };
}

export function zoneCreated(zone: ZoneRef, serial: number): AuditEvent {
  return { operation: "zone.create", zone, detail: { serial } };
}

export function zoneImported(
  zone: ZoneRef,
  serial: number,
  counts: { imported: number; skipped: number },
  source: "route53" | "zone-file" = "route53",
): AuditEvent {
  return { operation: `import.${source}`, zone, detail: { serial, ...counts } };
}

export function zoneDeleted(
  zone: ZoneRef,
  state: { serial: number; publishedSerial: number; rrsetCount: number },
): AuditEvent {
  return {
    operation: "zone.delete",
    zone,
    detail: { serial: state.serial, published_serial: state.publishedSerial, rrsets: state.rrsetCount },
  };
}

export function zonePublished(zone: ZoneRef, from: number, serial: number): AuditEvent {
  return { operation: "zone.publish", zone, detail: { from_serial: from, serial } };
}

export function zoneStatusChanged(zone: ZoneRef, before: string, after: string): AuditEvent {
  return { operation: "zone.status", zone, detail: { before, after } };
}

/** A token as the log shows it: what its listing shows, never the secret or its hash. */
interface TokenRef {
  id: string;
  name: string;
  scope: string;
  zoneId: string | null;
  expiresAt?: Date | null;
}

function token(row: TokenRef) {
  return {
    id: row.id,
    name: row.name,
    scope: row.scope,
    zone_id: row.zoneId,
    ...(row.expiresAt !== undefined ? { expires_at: row.expiresAt?.toISOString() ?? null } : {}),
  };
}

export function tokenCreated(row: TokenRef, zone: ZoneRef | null): AuditEvent {
  return { operation: "token.create", zone, detail: { token: token(row) } };
}

export function tokenRevoked(row: TokenRef, zone: ZoneRef | null): AuditEvent {
  return { operation: "token.revoke", zone, detail: { token: token(row) } };
}

/** A TSIG key as the log shows it: what its listing shows, never the secret. */
interface TsigKeyRef {
  id: string;
  keyName: string;
  scope: string;
  zoneId: string;
}

export function tsigKeyCreated(row: TsigKeyRef, zone: ZoneRef): AuditEvent {
  return { operation: "tsig-key.create", zone, detail: { tsig_key: tsigKey(row) } };
}

export function tsigKeyRevoked(row: TsigKeyRef, zone: ZoneRef): AuditEvent {
  return { operation: "tsig-key.revoke", zone, detail: { tsig_key: tsigKey(row) } };
}

function tsigKey(row: TsigKeyRef) {
  return { id: row.id, name: row.keyName, scope: row.scope, zone_id: row.zoneId };
}

export function signedIn(firstSignIn: boolean): AuditEvent {
  return { operation: "auth.sign-in", zone: null, detail: { first_sign_in: firstSignIn } };
}

export function signedOut(): AuditEvent {
  return { operation: "auth.sign-out", zone: null, detail: {} };
}

/** A DNSSEC key as the log shows it: public parts only, never the sealed private key. */
interface DnssecKeyRef {
  id: string;
  role: string;
  keyTag: number;
  algorithm: number;
  state: string;
}

function dnssecKeys(rows: readonly DnssecKeyRef[]) {
  return rows.map((k) => ({
    id: k.id,
    role: k.role,
    key_tag: k.keyTag,
    algorithm: k.algorithm,
    state: k.state,
  }));
}

/** DNSSEC switched on (new keys), or an insecure transition cancelled (`resumed`: the keys it kept). */
export function dnssecEnabled(
  zone: ZoneRef,
  serial: number,
  algorithm: number,
  keys: readonly DnssecKeyRef[],
  resumed: boolean,
): AuditEvent {
  return {
    operation: "dnssec.enable",
    zone,
    detail: { serial, algorithm, resumed, keys: dnssecKeys(keys) },
  };
}

/** The insecure transition started: delete CDS/CDNSKEY published (RFC 8078 section 4). */
export function dnssecDisabled(zone: ZoneRef, serial: number): AuditEvent {
  return { operation: "dnssec.disable", zone, detail: { serial } };
}

/** A KSK rollover started: the new KSK signs and is the one CDS/CDNSKEY name. */
export function kskRolloverStarted(zone: ZoneRef, serial: number, keys: readonly DnssecKeyRef[]): AuditEvent {
  return { operation: "dnssec.ksk-rollover", zone, detail: { serial, keys: dnssecKeys(keys) } };
}

/** A rollover step the dnssec job took (`step`: zsk-publish, zsk-activate, zsk-retire, ksk-finish). */
export function dnssecKeysChanged(
  zone: ZoneRef,
  serial: number,
  step: string,
  keys: readonly DnssecKeyRef[],
): AuditEvent {
  return { operation: "dnssec.key-change", zone, detail: { serial, step, keys: dnssecKeys(keys) } };
}

/** The insecure transition finished: every DNSSEC record and key removed. */
export function dnssecUnsigned(zone: ZoneRef, serial: number): AuditEvent {
  return { operation: "dnssec.unsigned", zone, detail: { serial } };
}
