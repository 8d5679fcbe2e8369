/**
 * The body of an incremental zone transfer (RFC 1995 section 4) from the change journal: one
 * condensed difference sequence from the client's serial C to the served serial S (RFC 1995
 * section 5 lets a server condense the intermediate versions into one):
 *
 *   SOA(S), SOA(C), RRs deleted since C, SOA(S), RRs added since C, SOA(S)
 *
 * Per rrset, the journal's net change (`netChanges` of @dnscove/db) gives its state at C (`before`)
 * and at S (`after`). Records only in `before` are deleted, records only in `after` are added,
 * compared in wire form (what the client holds). A TTL change deletes and adds the whole rrset: an
 * IXFR record carries its TTL, and RFC 2181 section 5.2 wants one TTL per rrset, so the client must
 * drop every record of the old TTL.
 *
 * SOA(C) is the served SOA with serial C: the apex SOA (and NS) come from the API's zone settings
 * and are not journaled, so an SOA field other than the serial that changed between C and S reaches
 * the client only as SOA(S), and apex NS changes only through AXFR (a compaction). Journal rows of
 * the SOA are left out for that reason: the SOA is the framing, never part of a difference.
 */
import type { JournalEntry, JournalRRset } from "@dnscove/db";
import { TYPE_CODES } from "@dnscove/dns";
import { TYPE } from "../wire/constants.js";
import type { WireRR } from "../wire/message-builder.js";
import { toKey } from "../wire/names.js";
import { encodeOne, type LoadedZone } from "../zones/loaded-zone.js";
import { rrsigOriginalTtl } from "../zones/nsec3.js";

const TYPE_BY_NAME = TYPE_CODES as Readonly<Record<string, number>>;

/** The records and TTL of one rrset state, in wire form. */
function wireRecords(name: string, type: string, state: JournalRRset | null): Uint8Array[] {
  if (!state) return [];
  return (JSON.parse(state.records) as string[]).map((record) => encodeOne(name, type, record));
}

function hex(rdata: Uint8Array): string {
  return Buffer.from(rdata.buffer, rdata.byteOffset, rdata.byteLength).toString("hex");
}

/** The served SOA with `serial` written in (RFC 1035 section 3.3.13: SERIAL follows MNAME and RNAME). */
export function soaWithSerial(soa: WireRR, serial: number): WireRR {
  const rdata = Buffer.from(soa.rdata);
  let p = 0;
  for (let names = 0; names < 2; names++) {
    // Zone RDATA is stored uncompressed: a name is length-prefixed labels ending in a zero octet.
    while ((rdata[p] as number) !== 0) p += 1 + (rdata[p] as number);
    p++;
  }
  rdata.writeUInt32BE(serial >>> 0, p);
  return { ...soa, rdata };
}

export interface IxfrDifference {
  /** Every RR of the answer, first SOA(S) to last SOA(S). */
  records: WireRR[];
  deleted: number;
  added: number;
}

/** Records in the zone: O(zone), so asked only when a difference may be as big as the zone. */
function recordCount(zone: LoadedZone): number {
  let n = 0;
  for (const { owner, ref } of zone.transferRRsets()) n += zone.packed(ref, owner).count;
  return n;
}

/**
 * The difference sequence from `clientSerial` to the zone's serial, or null when it would carry
 * more records than the zone holds (then the whole zone in AXFR form is smaller; RFC 1995 section 4
 * lets the server send it instead). The zone's rrset count bounds its record count from below, so
 * the records are counted only once a difference outgrows it. `entries` are the net journal changes between the
 * two serials. Throws ZoneLoadError when a journal record does not encode (the caller falls back).
 */
export function ixfrDifference(
  zone: LoadedZone,
  clientSerial: number,
  entries: readonly JournalEntry[],
): IxfrDifference | null {
  const deleted: WireRR[] = [];
  const added: WireRR[] = [];
  let limit = zone.rrsetCount;
  let counted = false;
  for (const entry of entries) {
    const type = TYPE_BY_NAME[entry.type];
    if (type === undefined || type === TYPE.SOA) continue;
    const owner = toKey(entry.name);
    const before = wireRecords(entry.name, entry.type, entry.before);
    const after = wireRecords(entry.name, entry.type, entry.after);
    // An RRSIG rrset's TTL is only the least of its records' (the DNSSEC contract): each RRSIG
    // carries its own, the original-TTL field in its RDATA (RFC 4035 section 2.2), so records
    // compare by RDATA alone.
    const rrsig = type === TYPE.RRSIG;
    const ttlChanged =
      !rrsig && entry.before !== null && entry.after !== null && entry.before.ttl !== entry.after.ttl;
    const ttlOf = (rdata: Uint8Array, rrsetTtl: number | undefined) =>
      rrsig ? rrsigOriginalTtl(rdata, 0) : (rrsetTtl ?? 0);
    const kept = ttlChanged ? new Set<string>() : new Set(after.map(hex));
    const held = ttlChanged ? new Set<string>() : new Set(before.map(hex));
    for (const rdata of before)
      if (!kept.has(hex(rdata))) deleted.push({ owner, type, ttl: ttlOf(rdata, entry.before?.ttl), rdata });
    for (const rdata of after)
      if (!held.has(hex(rdata))) added.push({ owner, type, ttl: ttlOf(rdata, entry.after?.ttl), rdata });
    if (deleted.length + added.length > limit) {
      if (counted) return null;
      limit = recordCount(zone);
      counted = true;
      if (deleted.length + added.length > limit) return null;
    }
  }
  const [soa] = zone.toWire(zone.soa, zone.origin);
  if (!soa) throw new Error("zone without SOA");
  return {
    records: [soa, soaWithSerial(soa, clientSerial), ...deleted, soa, ...added, soa],
    deleted: deleted.length,
    added: added.length,
  };
}
