/**
 * Signing at publish (issue 16, docs/dnssec.md "How the API signs"). The signer runs inside the
 * publish's transaction, with the zone row locked: it brings the zone's DNSSEC records from the
 * published serial to the serial being published and answers the DNSSEC rrsets that changed, as
 * journal entries at the publish serial (dnssec-contract: every RRSIG of one owner is one rrset of
 * type RRSIG; NSEC3 one rrset per hashed owner; DNSKEY, CDS, CDNSKEY and NSEC3PARAM at the apex).
 *
 * Each API process keeps the last SignedZone it published per zone (`SignerCache`): a publish then
 * re-signs only what changed since (SignedZone.apply). A miss, or a cached serial that is not the
 * published one (another process published meanwhile, or a publish failed), rebuilds the signer
 * with SignedZone.restore from the zone's data at the new serial and the DNSSEC records published
 * at the old one: every stored signature that still verifies is kept, so the journal carries only
 * what really changed, whichever process publishes.
 */
import {
  type Db,
  type DbTransaction,
  type JournalEntry,
  netChanges,
  readZoneAt,
  readZoneChanges,
  type SnapshotRRset,
  type StoredRRsetRow,
} from "@dnscove/db";
import type { WireRecordType } from "@dnscove/dns";
import {
  type DnssecDiff,
  type DnssecRecord,
  dnssecRecordFromText,
  type RrsetChange,
  SIGNATURE_POLICY,
  SignedZone,
  validityAt,
  type ZoneRecordInput,
} from "@dnscove/dnssec";
import type { DomainSettings } from "../domain-settings.js";
import { apexRRsets } from "../zones/apex.js";
import { isDnssecType } from "./dnssec-types.js";
import { readKeyRows, zoneKeysOf } from "./key-rows.js";

interface CachedSigner {
  /** The serial whose DNSSEC records `zone` holds (the serial this process last published). */
  serial: number;
  zone: SignedZone;
  /** The key rows' ids and states it was built with: a rollover step changes it. */
  keySet: string;
  /** The DNSSEC rrsets as published at `serial`, by `name type`. */
  rrsets: Map<string, SnapshotRRset>;
}

/** Per API process: zone id → the signer of its last publish here. */
export type SignerCache = Map<string, CachedSigner>;

export function createSignerCache(): SignerCache {
  return new Map();
}

export interface SigningZone {
  id: string;
  origin: string;
  serial: number;
  publishedSerial: number;
  dnssecState: string;
}

export interface SignedPublish {
  /** DNSSEC rrset changes to journal at the publish serial. */
  entries: JournalEntry[];
  /** Every DNSSEC rrset at the publish serial (for a snapshot written at it). */
  rrsets: SnapshotRRset[];
  /** When the earliest signature falls due for refresh. */
  refreshAt: Date | null;
  /** Call once the transaction committed: the signer serves the next publish of this process. */
  commit(): void;
}

const rrsetKey = (name: string, type: string) => `${name} ${type}`;

/** The DNSSEC records as journal rrsets: all RRSIGs of one owner form one rrset (dnssec-contract §1). */
export function groupRecords(records: readonly DnssecRecord[]): Map<string, SnapshotRRset> {
  const out = new Map<string, SnapshotRRset>();
  for (const r of records) {
    const k = rrsetKey(r.name, r.type);
    const rrset = out.get(k);
    if (rrset) {
      rrset.records.push(r.rdata);
      // The RRSIG rrset's TTL is the least of its records' (each RRSIG's own TTL is its original-TTL field).
      rrset.ttl = Math.min(rrset.ttl, r.ttl);
    } else out.set(k, { name: r.name, type: r.type, ttl: r.ttl, records: [r.rdata] });
  }
  for (const rrset of out.values()) rrset.records.sort();
  return out;
}

function asJournal(rrset: SnapshotRRset | undefined) {
  return rrset ? { ttl: rrset.ttl, records: JSON.stringify(rrset.records) } : null;
}

function diffRRsets(before: Map<string, SnapshotRRset>, after: Map<string, SnapshotRRset>): JournalEntry[] {
  const out: JournalEntry[] = [];
  for (const k of new Set([...before.keys(), ...after.keys()])) {
    const b = before.get(k);
    const a = after.get(k);
    const bj = asJournal(b);
    const aj = asJournal(a);
    if (bj?.ttl === aj?.ttl && bj?.records === aj?.records) continue;
    const { name, type } = (a ?? b) as SnapshotRRset;
    out.push({ name, type, before: bj, after: aj });
  }
  return out;
}

/** An RRSIG's own TTL: its original-TTL field (RDATA field 4, dnssec-contract §1). */
const rrsigTtl = (rdata: string) => Number(rdata.split(/\s+/, 4)[3]);

/**
 * Applies `diffs` (in the order they were made) to `rrsets`, IN PLACE, and answers the journal
 * entries for what changed: the same as `diffRRsets(before, groupRecords(signer.records()))` but
 * touching only the owners the diffs name, so a one-rrset change to a big zone neither regroups nor
 * compares (nor copies) every DNSSEC rrset (a 10,000-rrset zone: most of a publish's CPU before
 * this). The rrset objects are replaced, never changed, so a caller's reference to one stays valid.
 * In place is safe: the cache entry is taken out while a publish uses it (signForPublish).
 */
export function applyDiffs(rrsets: Map<string, SnapshotRRset>, diffs: readonly DnssecDiff[]): JournalEntry[] {
  // The rrsets as they were before the first change to each (undefined: absent).
  const original = new Map<string, SnapshotRRset | undefined>();
  const touch = (k: string) => {
    if (!original.has(k)) original.set(k, rrsets.get(k));
  };
  for (const diff of diffs) {
    for (const r of diff.removed) {
      const k = rrsetKey(r.name, r.type);
      const current = rrsets.get(k);
      if (!current) continue;
      const i = current.records.indexOf(r.rdata);
      if (i < 0) continue;
      touch(k);
      const records = current.records.filter((_, j) => j !== i);
      if (records.length === 0) rrsets.delete(k);
      else rrsets.set(k, { ...current, records });
    }
    for (const r of diff.added) {
      const k = rrsetKey(r.name, r.type);
      const current = rrsets.get(k);
      touch(k);
      rrsets.set(
        k,
        current
          ? {
              ...current,
              ttl: r.type === "RRSIG" ? current.ttl : r.ttl,
              records: [...current.records, r.rdata],
            }
          : { name: r.name, type: r.type, ttl: r.ttl, records: [r.rdata] },
      );
    }
  }
  const entries: JournalEntry[] = [];
  for (const [k, b] of original) {
    const a = rrsets.get(k);
    if (a && a !== b) {
      a.records.sort();
      // The RRSIG rrset's TTL is the least of its records' (groupRecords).
      if (a.type === "RRSIG") a.ttl = Math.min(...a.records.map(rrsigTtl));
    }
    const bj = asJournal(b);
    const aj = asJournal(a);
    if (bj?.ttl === aj?.ttl && bj?.records === aj?.records) continue;
    const { name, type } = (a ?? b) as SnapshotRRset;
    entries.push({ name, type, before: bj, after: aj });
  }
  return entries;
}

function recordsOf(rrsets: Iterable<SnapshotRRset>): ZoneRecordInput[] {
  const out: ZoneRecordInput[] = [];
  for (const r of rrsets)
    for (const rdata of r.records)
      out.push({ name: r.name, type: r.type as WireRecordType, ttl: r.ttl, rdata });
  return out;
}

/** Stored DNSSEC rrsets back to records; each RRSIG's TTL is its original-TTL field (RDATA field 4). */
function storedRecordsOf(stored: readonly SnapshotRRset[]): DnssecRecord[] {
  const out: DnssecRecord[] = [];
  for (const r of stored)
    for (const rdata of r.records)
      out.push(
        dnssecRecordFromText({
          name: r.name,
          type: r.type,
          ttl: r.type === "RRSIG" ? Number(rdata.split(/\s+/)[3]) : r.ttl,
          rdata,
        }),
      );
  return out;
}

/** An RRSIG (presentation RDATA, type covered first) over DNSKEY, CDS or CDNSKEY. */
function coversKeyRrset(rdata: string): boolean {
  const covered = rdata.trimStart().split(/\s+/, 1)[0]?.toUpperCase();
  return covered === "DNSKEY" || covered === "CDS" || covered === "CDNSKEY";
}

function keySetOf(rows: readonly { id: string; state: string }[], deleteDs: boolean): string {
  return `${rows.map((k) => `${k.id}:${k.state}`).join(",")}|${deleteDs}`;
}

/**
 * Signs the zone at `zone.serial` (the serial being published; its content is the rrsets table,
 * the zone row being locked). Null for a zone that is not signed.
 */
export async function signForPublish(
  tx: DbTransaction,
  cache: SignerCache,
  settings: DomainSettings,
  zone: SigningZone,
  now: Date,
): Promise<SignedPublish | null> {
  if (zone.dnssecState !== "signed" && zone.dnssecState !== "going-insecure") return null;
  const secret = settings.dnssec.keySecret;
  if (secret === undefined)
    throw new Error(`zone ${zone.id} is signed but DNSCOVE_DNSSEC_KEY_SECRET is not set: cannot publish it`);
  const rows = await readKeyRows(tx, zone.id);
  const deleteDs = zone.dnssecState === "going-insecure";
  const { keys } = zoneKeysOf(rows, secret, { deleteDs, dnskeyTtl: settings.dnssec.dnskeyTtl });
  const keySet = keySetOf(rows, deleteDs);
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const validity = validityAt(nowSeconds);
  const apex = apexRRsets(zone.origin, zone.serial, settings.zone);
  const cached = cache.get(zone.id);
  // Taken out while in use: if this transaction fails, the next publish rebuilds from the database.
  cache.delete(zone.id);
  let signer: SignedZone;
  let before: Map<string, SnapshotRRset>;
  // The reads below run on the transaction's connection (SQLite has one writer; PostgreSQL sees the locked zone).
  const reader = tx as unknown as Db;
  // The data changes since the published serial, and the SOA as served at the new serial
  // (dnssec-contract §2: every publish re-signs it).
  const applyChanges = async (target: SignedZone): Promise<DnssecDiff> => {
    const changes: RrsetChange[] = netChanges(
      await readZoneChanges(reader, zone.id, zone.publishedSerial, zone.serial),
    )
      .filter((e) => !isDnssecType(e.type))
      .map((e) => ({
        name: e.name,
        type: e.type as WireRecordType,
        ttl: e.after?.ttl ?? 0,
        records: e.after ? (JSON.parse(e.after.records) as string[]) : [],
      }));
    const soa = apex.find((r) => r.type === "SOA") as SnapshotRRset;
    changes.push({ name: soa.name, type: "SOA", ttl: soa.ttl, records: soa.records });
    return target.apply(changes, validity);
  };
  // On a cache hit, the diffs the signer made since the cached serial (see applyDiffs).
  let diffs: DnssecDiff[] | null = null;
  const published =
    cached && cached.serial === zone.publishedSerial
      ? null
      : zone.publishedSerial > 0
        ? await readZoneAt(reader, zone.id, zone.publishedSerial)
        : null;
  const stored = (published?.rrsets ?? []).filter((r) => isDnssecType(r.type));
  if (cached && cached.serial === zone.publishedSerial) {
    signer = cached.zone;
    before = cached.rrsets;
    diffs = [await applyChanges(signer)];
    if (cached.keySet !== keySet) diffs.push(signer.setKeys(keys, validity));
  } else if (published && stored.some((r) => r.type === "DNSKEY")) {
    // Another process published last (or this one failed): rebuild the signer at the published
    // serial from what is stored there, then apply the changes since, as on a cache hit. The stored
    // signatures were made by this service over exactly that content, so they are kept without
    // verifying each one again (a 2,000-rrset zone: ~1 s of CPU for the verification); those made
    // by keys that no longer sign are dropped and made again. Except the signatures over the key
    // rrsets (DNSKEY, CDS, CDNSKEY): those rrsets come from the key rows, which may have changed
    // since that serial without any journalled change (a dnssec job step, a KSK rollover start,
    // disabling), so a kept signature would cover the old key set and the zone would be bogus.
    // They are always made again (a few signatures).
    before = new Map(stored.map((r) => [rrsetKey(r.name, r.type), { ...r, records: [...r.records].sort() }]));
    const base = published.rrsets.filter((r) => !isDnssecType(r.type));
    const kept = storedRecordsOf(stored).filter((r) => !(r.type === "RRSIG" && coversKeyRrset(r.rdata)));
    signer = SignedZone.restore(`${zone.origin}.`, recordsOf(base), kept, keys, validity, {
      verify: false,
    }).zone;
    await applyChanges(signer);
  } else {
    const data = await tx.$queryRaw<StoredRRsetRow[]>`
      SELECT "name", "type", "ttl", "records" FROM "rrsets" WHERE "zone_id" = ${zone.id}`;
    const current: SnapshotRRset[] = [
      ...apex,
      ...data.map((r) => ({
        name: r.name,
        type: r.type,
        ttl: Number(r.ttl),
        records: JSON.parse(r.records) as string[],
      })),
    ];
    // First signing (or signed records lost): everything is signed against the content now.
    before = new Map(stored.map((r) => [rrsetKey(r.name, r.type), { ...r, records: [...r.records].sort() }]));
    signer = SignedZone.restore(
      `${zone.origin}.`,
      recordsOf(current),
      storedRecordsOf(stored),
      keys,
      validity,
    ).zone;
  }
  const refreshed = signer.refresh(nowSeconds, SIGNATURE_POLICY.refreshWithin, validity);
  let after: Map<string, SnapshotRRset>;
  let entries: JournalEntry[];
  if (diffs) {
    after = before;
    entries = applyDiffs(after, [...diffs, refreshed]);
  } else {
    after = groupRecords(signer.records());
    entries = diffRRsets(before, after);
  }
  const earliest = signer.earliestExpiration();
  const refreshAt =
    earliest === undefined ? null : new Date((earliest - SIGNATURE_POLICY.refreshWithin) * 1000);
  return {
    entries,
    rrsets: [...after.values()],
    refreshAt,
    commit: () => cache.set(zone.id, { serial: zone.serial, zone: signer, keySet, rrsets: after }),
  };
}
