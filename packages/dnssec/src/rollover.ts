/**
 * Key rollovers as explicit steps the caller drives; each returns a new ZoneKeys for
 * `SignedZone.setKeys`. The caller waits between steps (the waits are the DNSKEY TTL and the
 * longest TTL of the zone's signatures; RFC 6781 section 4.1); this module keeps no clock.
 *
 * ZSK, pre-publish (RFC 6781 section 4.1.1.1):
 *   1. zskPublish(new)  -- new ZSK in DNSKEY, not signing yet;           wait DNSKEY TTL
 *   2. zskActivate(new) -- new ZSK signs everything, old stays published; wait the largest zone TTL
 *   3. zskRetire(old)   -- old ZSK removed from DNSKEY.
 * KSK, double-KSK (RFC 6781 section 4.1.2) with the parent told through CDS/CDNSKEY (RFC 7344):
 *   1. kskStart(new)    -- new KSK published and signing the DNSKEY rrset beside the old one; CDS and
 *                          CDNSKEY now name only the new KSK, asking the parent to swap the DS;
 *   2. kskFinish(old)   -- once the caller has seen the parent's DS change (and its TTL pass), the old
 *                          KSK is removed.
 * Going insecure (RFC 8078 section 4): insecureStart publishes the delete CDS/CDNSKEY; once the parent
 * has removed the DS (and its TTL passed) the caller stops signing the zone altogether.
 */
import type { SigningKey } from "./keys.js";
import type { KeyEntry, ZoneKeys } from "./signed-zone.js";

/** The key set of a newly signed zone: one KSK (announced via CDS/CDNSKEY) and one ZSK. */
export function initialKeys(ksk: SigningKey, zsk: SigningKey, dnskeyTtl?: number): ZoneKeys {
  if (ksk.role !== "ksk" || zsk.role !== "zsk") throw new Error("initialKeys takes a KSK and a ZSK");
  return {
    entries: [
      { key: ksk, published: true, signing: true, cds: true },
      { key: zsk, published: true, signing: true, cds: false },
    ],
    ...(dnskeyTtl === undefined ? {} : { dnskeyTtl }),
  };
}

function withEntries(keys: ZoneKeys, entries: KeyEntry[]): ZoneKeys {
  return { ...keys, entries };
}

function requireRole(key: SigningKey, role: "ksk" | "zsk"): void {
  if (key.role !== role) throw new Error(`expected a ${role.toUpperCase()}, got ${key.toString()}`);
}

function find(keys: ZoneKeys, key: SigningKey): KeyEntry {
  const e = keys.entries.find((x) => x.key === key);
  if (!e) throw new Error(`${key.toString()} is not in the zone's key set`);
  return e;
}

export function zskPublish(keys: ZoneKeys, next: SigningKey): ZoneKeys {
  requireRole(next, "zsk");
  if (keys.entries.some((e) => e.key.keyTag === next.keyTag && e.key.algorithm === next.algorithm)) {
    // RFC 4034 Appendix B: key tags are not unique; two keys with one tag would confuse validators' key selection.
    throw new Error("the new key's key tag collides with a key already in the zone; generate another");
  }
  return withEntries(keys, [...keys.entries, { key: next, published: true, signing: false, cds: false }]);
}

export function zskActivate(keys: ZoneKeys, next: SigningKey): ZoneKeys {
  requireRole(next, "zsk");
  find(keys, next);
  return withEntries(
    keys,
    keys.entries.map((e) => (e.key.role !== "zsk" ? e : { ...e, signing: e.key === next })),
  );
}

export function zskRetire(keys: ZoneKeys, old: SigningKey): ZoneKeys {
  requireRole(old, "zsk");
  if (find(keys, old).signing) throw new Error("activate the new ZSK before retiring the old one");
  return withEntries(
    keys,
    keys.entries.filter((e) => e.key !== old),
  );
}

export function kskStart(keys: ZoneKeys, next: SigningKey): ZoneKeys {
  requireRole(next, "ksk");
  if (keys.entries.some((e) => e.key.keyTag === next.keyTag && e.key.algorithm === next.algorithm)) {
    throw new Error("the new key's key tag collides with a key already in the zone; generate another");
  }
  return withEntries(keys, [
    ...keys.entries.map((e) => (e.key.role === "ksk" ? { ...e, cds: false } : e)),
    { key: next, published: true, signing: true, cds: true },
  ]);
}

/** Call only after the parent's DS names the new KSK (the caller checks the parent). */
export function kskFinish(keys: ZoneKeys, old: SigningKey): ZoneKeys {
  requireRole(old, "ksk");
  if (find(keys, old).cds) throw new Error("the old KSK is still announced in CDS; start the rollover first");
  const rest = keys.entries.filter((e) => e.key !== old);
  if (!rest.some((e) => e.key.role === "ksk" && e.signing))
    throw new Error("the zone would be left without a KSK");
  return withEntries(keys, rest);
}

export function insecureStart(keys: ZoneKeys): ZoneKeys {
  return { ...keys, deleteDs: true };
}
