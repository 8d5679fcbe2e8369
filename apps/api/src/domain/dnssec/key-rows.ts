import { createHash } from "node:crypto";
import type { DbTransaction } from "@dnscove/db";
import { nameToWire } from "@dnscove/dns";
import {
  type Algorithm,
  generateKey,
  type KeyEntry,
  openPrivateKey,
  type SigningKey,
  sealPrivateKey,
  type ZoneKeys,
} from "@dnscove/dnssec";
import { newId } from "../../lib/ids.js";

/** A `dnssec_keys` row as the domain reads it. */
export interface DnssecKeyRow {
  id: string;
  zoneId: string;
  role: string;
  algorithm: number;
  keyTag: number;
  flags: number;
  publicKey: string;
  sealedPrivateKey: string;
  state: string;
  createdAt: Date;
  publishedAt: Date | null;
  activatedAt: Date | null;
  inactiveAt: Date | null;
}

export type KeyState = "published" | "active" | "retiring";

/** DNSKEY RDATA wire form from its presentation ("257 3 13 base64"). */
export function dnskeyWire(text: string): Uint8Array {
  const [flags, protocol, algorithm, ...key] = text.trim().split(/\s+/);
  const f = Number(flags);
  return Uint8Array.from([
    f >> 8,
    f & 0xff,
    Number(protocol),
    Number(algorithm),
    ...Buffer.from(key.join(""), "base64"),
  ]);
}

/**
 * The DS (digest type 2, RFC 4509) of a stored key, from its public half only (RFC 4034 section
 * 5.1.4: SHA-256 over the owner name and the DNSKEY RDATA), so showing it needs no secret.
 */
export function dsLine(
  origin: string,
  row: Pick<DnssecKeyRow, "keyTag" | "algorithm" | "publicKey">,
): string {
  const owner = origin.endsWith(".") ? origin : `${origin}.`;
  const digest = createHash("sha256").update(nameToWire(owner)).update(dnskeyWire(row.publicKey)).digest();
  return `${owner} IN DS ${row.keyTag} ${row.algorithm} 2 ${digest.toString("hex").toUpperCase()}`;
}

/** A new key's row: the private half sealed with the key secret, never stored in the clear. */
export function newKeyRow(
  zoneId: string,
  key: SigningKey,
  secret: string,
  state: KeyState,
  now: Date,
): DnssecKeyRow {
  return {
    id: newId("dk"),
    zoneId,
    role: key.role,
    algorithm: key.algorithm,
    keyTag: key.keyTag,
    flags: key.flags,
    publicKey: key.dnskeyText(),
    sealedPrivateKey: sealPrivateKey(key, secret),
    state,
    createdAt: now,
    publishedAt: now,
    activatedAt: state === "active" ? now : null,
    inactiveAt: null,
  };
}

export async function readKeyRows(tx: DbTransaction, zoneId: string): Promise<DnssecKeyRow[]> {
  return tx.dnssecKey.findMany({ where: { zoneId }, orderBy: [{ role: "asc" }, { createdAt: "asc" }] });
}

/** How a key row's state places the key in the signer (see DnssecKey.state in the schema). */
function entryFlags(role: string, state: string): Omit<KeyEntry, "key"> {
  if (state === "published") return { published: true, signing: false, cds: false };
  if (state === "retiring")
    return role === "ksk"
      ? { published: true, signing: true, cds: false }
      : { published: true, signing: false, cds: false };
  return { published: true, signing: true, cds: role === "ksk" };
}

/** Opens every key of the zone (the secret is needed) into the signer's key set. */
export function zoneKeysOf(
  rows: readonly DnssecKeyRow[],
  secret: string,
  options: { deleteDs: boolean; dnskeyTtl: number },
): { keys: ZoneKeys; byId: Map<string, SigningKey> } {
  const byId = new Map<string, SigningKey>();
  const entries: KeyEntry[] = rows.map((row) => {
    const key = openPrivateKey(row.sealedPrivateKey, secret, {
      role: row.role as "ksk" | "zsk",
      algorithm: row.algorithm as Algorithm,
      dnskeyRdata: dnskeyWire(row.publicKey),
    });
    byId.set(row.id, key);
    return { key, ...entryFlags(row.role, row.state) };
  });
  return { keys: { entries, deleteDs: options.deleteDs, dnskeyTtl: options.dnskeyTtl }, byId };
}

/**
 * A new key whose tag no key of the zone has: validators pick candidate keys by tag (RFC 4034
 * Appendix B), and the rollover steps refuse a collision.
 */
export function generateDistinctKey(
  role: "ksk" | "zsk",
  algorithm: Algorithm,
  taken: Iterable<number>,
): SigningKey {
  const tags = new Set(taken);
  for (;;) {
    const key = generateKey(role, algorithm);
    if (!tags.has(key.keyTag)) return key;
  }
}

export async function insertKeyRow(tx: DbTransaction, row: DnssecKeyRow): Promise<void> {
  await tx.dnssecKey.create({ data: row });
}
