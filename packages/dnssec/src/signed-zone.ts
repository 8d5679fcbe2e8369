/**
 * A signed zone that can be changed incrementally. `SignedZone.sign` signs a whole zone; `apply`
 * takes rrset replacements and re-signs only the changed rrsets, the NSEC3 records whose bitmap or
 * next-hash link changed, and their signatures, and returns exactly the DNSSEC records added and
 * removed (what an IXFR must carry besides the data changes themselves). Full signing and
 * incremental changes run the same per-name reconciliation, so both paths produce the same records.
 *
 * Zone content rules (RFC 4035 sections 2.2-2.3, RFC 5155 section 7.1):
 * - every authoritative rrset is signed; at a delegation point only DS is; names below a delegation
 *   (glue and anything else occluded) are neither signed nor given NSEC3 records;
 * - every authoritative name and every empty non-terminal has an NSEC3 record; a delegation point's
 *   bitmap holds NS, and DS plus RRSIG when it is secure; no opt-out;
 * - the apex carries DNSKEY, CDS, CDNSKEY and NSEC3PARAM; DNSKEY, CDS and CDNSKEY are signed by the
 *   KSKs, everything else by the ZSKs.
 */
import { nameToWire, rdataToWire, type WireRecordType } from "@dnscove/dns";
import { compareOctets, type DnssecRecordType, parseSigTime, serialDiff } from "./encoding.js";
import {
  CDNSKEY_DELETE_TEXT,
  CDNSKEY_DELETE_WIRE,
  CDS_DELETE_TEXT,
  CDS_DELETE_WIRE,
  type SigningKey,
} from "./keys.js";
import { NSEC3PARAM_TEXT, NSEC3PARAM_WIRE, nsec3Hash, nsec3Rdata } from "./nsec3.js";
import { type DnssecRecord, typeCode } from "./records.js";
import { type RrsetToSign, signatureOf, signedData, signRrset } from "./rrsig.js";

const NS = 2;
const SOA = 6;
const DS = 43;
const RRSIG = 46;
const DNSKEY = 48;
const NSEC3 = 50;
const NSEC3PARAM = 51;
const CDS = 59;
const CDNSKEY = 60;
const KSK_SIGNED = new Set([DNSKEY, CDS, CDNSKEY]);
const GENERATED = new Set([DNSKEY, NSEC3PARAM, CDS, CDNSKEY]);

/** One key's place in the zone. Rollovers (rollover.ts) move keys through these flags. */
export interface KeyEntry {
  key: SigningKey;
  /** In the DNSKEY rrset. */
  published: boolean;
  /** Signs: a ZSK the zone data and NSEC3 chain, a KSK the DNSKEY, CDS and CDNSKEY rrsets. */
  signing: boolean;
  /** A KSK announced to the parent in CDS/CDNSKEY (RFC 7344). */
  cds: boolean;
}

export interface ZoneKeys {
  entries: readonly KeyEntry[];
  /** Publish the RFC 8078 section 4 delete CDS/CDNSKEY, asking the parent to remove the DS (going insecure). */
  deleteDs?: boolean;
  /** TTL of DNSKEY, CDS and CDNSKEY; default 3600. */
  dnskeyTtl?: number;
}

/**
 * Signature validity, in seconds since the epoch (the RRSIG fields are 32-bit serial numbers). Each
 * rrset's expiration is pulled earlier by a stable per-rrset amount in [0, jitter], so signatures
 * made in one pass fall due for refresh spread over `jitter` seconds instead of all at once.
 */
export interface Validity {
  inception: number;
  expiration: number;
  jitter?: number;
}

export interface ZoneRecordInput {
  name: string;
  type: WireRecordType;
  ttl: number;
  rdata: string;
}

/** Replace the rrset (name, type) with `records` at `ttl`; an empty list deletes it. */
export interface RrsetChange {
  name: string;
  type: WireRecordType;
  ttl: number;
  records: readonly string[];
}

export interface DnssecDiff {
  added: DnssecRecord[];
  removed: DnssecRecord[];
}

interface Rrset {
  typeCode: number;
  type: string;
  ttl: number;
  /** Presentation RDATA in the same order as `wires`. */
  texts: string[];
  /** Canonical wire RDATA, sorted per RFC 4034 section 6.3, no duplicates. */
  wires: Uint8Array[];
}

interface Nsec3Entry {
  hash: string;
  types: number[];
}

function parent(name: string): string {
  const i = name.indexOf(".");
  return i === name.length - 1 ? "." : name.slice(i + 1);
}

function stableJitter(key: string, jitter: number): number {
  if (jitter <= 0) return 0;
  // FNV-1a: stable across runs and processes, so a full re-sign and an incremental one agree.
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193) >>> 0;
  return h % (jitter + 1);
}

function recordKey(r: DnssecRecord): string {
  return `${r.name}\t${r.type}\t${r.rdata}`;
}

export class SignedZone {
  readonly origin: string;
  private keys: ZoneKeys;
  private validity: Validity;
  private readonly data = new Map<string, Map<number, Rrset>>();
  /** How many names with data lie strictly below each name (to find empty non-terminals). */
  private readonly below = new Map<string, number>();
  private readonly sigs = new Map<string, Map<number, DnssecRecord[]>>();
  private readonly nsec3ByName = new Map<string, Nsec3Entry>();
  private readonly nsec3Records = new Map<string, DnssecRecord>();
  private chain: string[] = [];
  private nsec3Ttl = -1;
  private diff: DnssecDiff = { added: [], removed: [] };

  private constructor(origin: string, keys: ZoneKeys, validity: Validity) {
    const o = origin.toLowerCase();
    this.origin = o.endsWith(".") ? o : `${o}.`;
    nameToWire(this.origin);
    this.keys = keys;
    this.validity = validity;
  }

  /** Signs a whole zone (cold). `records` must include the apex SOA. */
  static sign(
    origin: string,
    records: readonly ZoneRecordInput[],
    keys: ZoneKeys,
    validity: Validity,
  ): SignedZone {
    const zone = new SignedZone(origin, keys, validity);
    zone.loadData(records);
    zone.run(true);
    zone.diff = { added: [], removed: [] };
    return zone;
  }

  /**
   * Rebuilds a signed zone from its data and the DNSSEC records stored earlier (`records()` output),
   * keeping every stored signature that still fits: made by a key that signs now, over the rrset as
   * it is now (checked with the public key unless `verify` is false), and not due for refresh is the
   * caller's business (`refresh`). What is missing or stale is signed again; `diff` says what changed
   * against the stored records. A process restart thus costs verification, not a new signature on
   * every rrset and an IXFR of the whole zone.
   */
  static restore(
    origin: string,
    records: readonly ZoneRecordInput[],
    stored: readonly DnssecRecord[],
    keys: ZoneKeys,
    validity: Validity,
    options: { verify?: boolean } = {},
  ): { zone: SignedZone; diff: DnssecDiff } {
    const zone = new SignedZone(origin, keys, validity);
    zone.loadData(records);
    // The apex DNSKEY/CDS/CDNSKEY/NSEC3PARAM are new to this object, not changed: their stored signatures are checked below.
    zone.dirty.clear();
    for (const r of stored) {
      if (r.type === "NSEC3") zone.nsec3Records.set(r.name.slice(0, r.name.indexOf(".")), r);
    }
    const byRrset = new Map<string, DnssecRecord[]>();
    for (const r of stored) {
      if (r.type !== "RRSIG") continue;
      const f = r.rdata.split(" ");
      const covers = typeCode(f[0] ?? "");
      const sig: DnssecRecord = {
        ...r,
        covers,
        keyTag: Number(f[6]),
        expiration: parseSigTime(f[4] ?? ""),
        inception: parseSigTime(f[5] ?? ""),
      };
      const k = `${r.name}\t${covers}`;
      byRrset.set(k, [...(byRrset.get(k) ?? []), sig]);
    }
    for (const [k, list] of byRrset) {
      const [name, code] = k.split("\t") as [string, string];
      const typeCodeN = Number(code);
      const rrset = zone.rrsetToSign(name, typeCodeN);
      if (!rrset) continue;
      let wanted: SigningKey[];
      try {
        wanted = zone.signers(typeCodeN);
      } catch {
        continue;
      }
      const ok =
        list.length === wanted.length &&
        wanted.every((key) =>
          list.some(
            (s) =>
              s.keyTag === key.keyTag &&
              (options.verify === false || key.verify(signedData(s.wire, rrset), signatureOf(s.wire))),
          ),
        );
      if (!ok) continue;
      let m = zone.sigs.get(name);
      if (!m) {
        m = new Map();
        zone.sigs.set(name, m);
      }
      m.set(typeCodeN, list);
    }
    zone.run(false);
    // Stored NSEC3 records (and their signatures) for names that no longer exist.
    for (const [hash, rec] of [...zone.nsec3Records]) {
      if (!zone.hashOwner.has(hash)) {
        zone.nsec3Records.delete(hash);
        zone.sigs.delete(rec.name);
      }
    }
    zone.diff = { added: [], removed: [] };
    const key = (r: DnssecRecord) => recordKey(r);
    const before = new Map(stored.map((r) => [key(r), r]));
    const after = new Map(zone.records().map((r) => [key(r), r]));
    const diff: DnssecDiff = {
      added: [...after].filter(([k]) => !before.has(k)).map(([, r]) => r),
      removed: [...before].filter(([k]) => !after.has(k)).map(([, r]) => r),
    };
    return { zone, diff };
  }

  private loadData(records: readonly ZoneRecordInput[]): void {
    const grouped = new Map<string, RrsetChange & { records: string[] }>();
    for (const r of records) {
      const name = this.ownerName(r.name);
      const k = `${name}\t${r.type}`;
      let g = grouped.get(k);
      if (!g) {
        g = { name, type: r.type, ttl: r.ttl, records: [] };
        grouped.set(k, g);
      }
      g.records.push(r.rdata);
    }
    for (const g of grouped.values())
      this.putRrset(g.name, this.buildRrset(g.type, typeCode(g.type), g.ttl, g.records));
    if (!this.data.get(this.origin)?.has(SOA)) throw new Error("the zone has no SOA at its apex");
    this.putGenerated();
    for (const name of [...this.data.keys()])
      for (const a of this.ancestors(name)) if (!this.data.has(a)) this.reconcileTargets.add(a);
    for (const name of this.data.keys()) this.reconcileTargets.add(name);
  }

  private reconcileTargets = new Set<string>();
  private dirty = new Set<string>();

  /** Applies rrset replacements and returns the DNSSEC records added and removed. */
  apply(changes: readonly RrsetChange[], validity: Validity = this.validity): DnssecDiff {
    this.validity = validity;
    for (const c of changes) {
      const name = this.ownerName(c.name);
      const code = typeCode(c.type);
      if (GENERATED.has(code) || code === RRSIG || code === NSEC3)
        throw new Error(`${c.type} records are managed by the signer`);
      if (name === this.origin && code === SOA && c.records.length === 0)
        throw new Error("the apex SOA cannot be deleted");
      const rrset = c.records.length > 0 ? this.buildRrset(c.type, code, c.ttl, c.records) : undefined;
      const hadName = this.data.has(name);
      const hadNs = this.data.get(name)?.has(NS) ?? false;
      if (rrset) this.putRrset(name, rrset);
      else this.deleteRrset(name, code);
      this.reconcileTargets.add(name);
      this.dirty.add(`${name}\t${code}`);
      if (hadName !== this.data.has(name)) for (const a of this.ancestors(name)) this.reconcileTargets.add(a);
      const hasNs = this.data.get(name)?.has(NS) ?? false;
      if (name !== this.origin && code === NS && hadNs !== hasNs) this.addDescendants(name);
    }
    this.run(false);
    return this.takeDiff();
  }

  /** Replaces the key set (a rollover step, or the insecure transition) and re-signs what it affects. */
  setKeys(keys: ZoneKeys, validity: Validity = this.validity): DnssecDiff {
    const signers = (k: ZoneKeys, role: string) =>
      k.entries
        .filter((e) => e.signing && e.key.role === role)
        .map((e) => e.key.keyTag)
        .sort()
        .join(",");
    const zskChanged = signers(keys, "zsk") !== signers(this.keys, "zsk");
    const kskChanged = signers(keys, "ksk") !== signers(this.keys, "ksk");
    this.keys = keys;
    this.validity = validity;
    this.putGenerated();
    this.reconcileTargets.add(this.origin);
    // A new signing ZSK re-signs the whole zone at once (pre-publish, RFC 6781 section 4.1.1.1).
    if (zskChanged) for (const name of this.data.keys()) this.reconcileTargets.add(name);
    if (kskChanged) for (const t of KSK_SIGNED) this.dirty.add(`${this.origin}\t${t}`);
    this.run(zskChanged);
    return this.takeDiff();
  }

  /**
   * Re-signs every rrset (and NSEC3 record) with a signature that expires within `refreshWithin`
   * seconds of `now` (serial arithmetic), using the new `validity`. Nothing else changes.
   */
  refresh(now: number, refreshWithin: number, validity: Validity): DnssecDiff {
    this.validity = validity;
    for (const [name, byType] of this.sigs) {
      for (const [code, list] of byType) {
        if (list.some((s) => serialDiff(now, s.expiration ?? 0) < refreshWithin))
          this.dirty.add(`${name}\t${code}`);
      }
    }
    for (const key of this.dirty) {
      const [name, code] = key.split("\t") as [string, string];
      if (Number(code) === NSEC3) this.resignNsec3(name);
      else this.reconcileTargets.add(name);
    }
    this.run(false);
    return this.takeDiff();
  }

  /** The RRSIGs expiring within `refreshWithin` seconds of `now` (serial arithmetic): what `refresh` replaces. */
  dueForRefresh(now: number, refreshWithin: number): DnssecRecord[] {
    const out: DnssecRecord[] = [];
    for (const byType of this.sigs.values())
      for (const list of byType.values())
        for (const s of list) if (serialDiff(now, s.expiration ?? 0) < refreshWithin) out.push(s);
    return out;
  }

  /** The earliest signature expiration in the zone (when the caller must refresh at the latest). */
  earliestExpiration(): number | undefined {
    let min: number | undefined;
    for (const byType of this.sigs.values())
      for (const list of byType.values())
        for (const s of list)
          if (min === undefined || serialDiff(s.expiration ?? 0, min) > 0) min = s.expiration;
    return min;
  }

  /** Every DNSSEC record of the zone: DNSKEY, CDS, CDNSKEY, NSEC3PARAM, the NSEC3 chain and all RRSIGs. */
  records(): DnssecRecord[] {
    const out: DnssecRecord[] = [];
    const apex = this.data.get(this.origin);
    for (const code of GENERATED) {
      const rrset = apex?.get(code);
      if (rrset) out.push(...this.generatedRecords(rrset));
    }
    out.push(...this.nsec3Records.values());
    for (const byType of this.sigs.values()) for (const list of byType.values()) out.push(...list);
    return out;
  }

  /** The zone's data records (without DNSSEC records), as the signer holds them. */
  dataRecords(): ZoneRecordInput[] {
    const out: ZoneRecordInput[] = [];
    for (const [name, byType] of this.data)
      for (const rrset of byType.values())
        if (!GENERATED.has(rrset.typeCode))
          for (const text of rrset.texts)
            out.push({ name, type: rrset.type as WireRecordType, ttl: rrset.ttl, rdata: text });
    return out;
  }

  /** The rrset as signed (for verifying an RRSIG against it). */
  rrsetToSign(name: string, code: number): RrsetToSign | undefined {
    if (code === NSEC3) {
      const hash = name.slice(0, name.indexOf("."));
      const rec = this.nsec3Records.get(hash);
      return rec ? { name, typeCode: NSEC3, ttl: rec.ttl, rdatas: [rec.wire] } : undefined;
    }
    const r = this.data.get(name)?.get(code);
    return r ? { name, typeCode: code, ttl: r.ttl, rdatas: r.wires } : undefined;
  }

  /** The NSEC3 record whose owner is the hash of `name` (NODATA proof, RFC 5155 section 7.2.3), if the name exists. */
  nsec3Matching(name: string): DnssecRecord | undefined {
    const entry = this.nsec3ByName.get(this.ownerName(name));
    return entry ? this.nsec3Records.get(entry.hash) : undefined;
  }

  /** The NSEC3 record whose owner hash precedes the hash of `name` and whose next hash follows it (wrapping). */
  nsec3Covering(name: string): DnssecRecord | undefined {
    if (this.chain.length === 0) return undefined;
    const hash = nsec3Hash(this.ownerName(name));
    const i = this.lowerBound(hash);
    if (this.chain[i] === hash) return undefined;
    const prev = this.chain[(i - 1 + this.chain.length) % this.chain.length] ?? "";
    return this.nsec3Records.get(prev);
  }

  /**
   * The closest encloser proof of RFC 5155 section 7.2.1 for a name that does not exist: the NSEC3
   * matching the closest encloser, the one covering the next closer name, and (unless a wildcard
   * exists there, when the edge answers from the wildcard and proves only the next closer name,
   * section 7.2.6) the one covering the wildcard at the closest encloser. Undefined when the name
   * exists or lies at or below a delegation (the edge answers with a referral there).
   */
  closestEncloserProof(qname: string):
    | {
        closestEncloser: string;
        matching: DnssecRecord;
        nextCloser: DnssecRecord;
        wildcard?: DnssecRecord;
        wildcardExists: boolean;
      }
    | undefined {
    const name = this.ownerName(qname);
    if (this.nsec3ByName.has(name) || this.isOccluded(name) || this.data.get(name)?.has(NS)) return undefined;
    let nextCloser = name;
    let ce = parent(name);
    while (!this.nsec3ByName.has(ce)) {
      if (ce === this.origin || ce === ".") return undefined;
      nextCloser = ce;
      ce = parent(ce);
    }
    const matching = this.nsec3Matching(ce);
    const covering = this.nsec3Covering(nextCloser);
    if (!matching || !covering) return undefined;
    const wildcardName = `*.${ce}`;
    const wildcardExists = this.nsec3ByName.has(wildcardName);
    const wildcard = wildcardExists ? undefined : this.nsec3Covering(wildcardName);
    return {
      closestEncloser: ce,
      matching,
      nextCloser: covering,
      wildcardExists,
      ...(wildcard ? { wildcard } : {}),
    };
  }

  toJSON(): { origin: string; names: number; nsec3: number } {
    return { origin: this.origin, names: this.data.size, nsec3: this.chain.length };
  }

  // ---- internals ----

  private ownerName(input: string): string {
    const n = input.toLowerCase();
    const name = n.endsWith(".") ? n : `${n}.`;
    nameToWire(name);
    if (name !== this.origin && !name.endsWith(`.${this.origin}`) && this.origin !== ".") {
      throw new Error(`${name} is not in zone ${this.origin}`);
    }
    return name;
  }

  private ancestors(name: string): string[] {
    const out: string[] = [];
    let n = name;
    while (n !== this.origin && n !== ".") {
      n = parent(n);
      out.push(n);
    }
    return out;
  }

  private buildRrset(type: string, code: number, ttl: number, records: readonly string[]): Rrset {
    const pairs = records.map((text) => {
      const wire = rdataToWire(type as WireRecordType, text);
      return { text, wire };
    });
    pairs.sort((a, b) => compareOctets(a.wire, b.wire));
    const unique = pairs.filter(
      (p, i) => i === 0 || compareOctets(p.wire, pairs[i - 1]?.wire ?? new Uint8Array()) !== 0,
    );
    return { typeCode: code, type, ttl, texts: unique.map((p) => p.text), wires: unique.map((p) => p.wire) };
  }

  private putRrset(name: string, rrset: Rrset): void {
    let byType = this.data.get(name);
    if (!byType) {
      byType = new Map();
      this.data.set(name, byType);
      for (const a of this.ancestors(name)) this.below.set(a, (this.below.get(a) ?? 0) + 1);
    }
    byType.set(rrset.typeCode, rrset);
  }

  private deleteRrset(name: string, code: number): void {
    const byType = this.data.get(name);
    if (!byType?.delete(code) || byType.size > 0) return;
    this.data.delete(name);
    for (const a of this.ancestors(name)) {
      const n = (this.below.get(a) ?? 0) - 1;
      if (n > 0) this.below.set(a, n);
      else this.below.delete(a);
    }
  }

  private addDescendants(delegation: string): void {
    const suffix = `.${delegation}`;
    for (const name of this.data.keys()) {
      if (!name.endsWith(suffix)) continue;
      let n = name;
      while (n !== delegation) {
        this.reconcileTargets.add(n);
        for (const code of this.data.get(n)?.keys() ?? []) this.dirty.add(`${n}\t${code}`);
        n = parent(n);
      }
    }
  }

  /** DNSKEY, CDS, CDNSKEY and NSEC3PARAM at the apex, from the key set; marks the changed ones dirty. */
  private putGenerated(): void {
    const ttl = this.keys.dnskeyTtl ?? 3600;
    const published = this.keys.entries.filter((e) => e.published);
    const cds = this.keys.entries.filter((e) => e.cds && e.key.role === "ksk");
    const want: Rrset[] = [
      this.generatedRrset(
        DNSKEY,
        "DNSKEY",
        ttl,
        published.map((e) => ({ text: e.key.dnskeyText(), wire: e.key.dnskeyRdata() })),
      ),
      this.generatedRrset(NSEC3PARAM, "NSEC3PARAM", 0, [{ text: NSEC3PARAM_TEXT, wire: NSEC3PARAM_WIRE }]),
      this.generatedRrset(
        CDS,
        "CDS",
        ttl,
        this.keys.deleteDs
          ? [{ text: CDS_DELETE_TEXT, wire: CDS_DELETE_WIRE }]
          : cds.map((e) => ({ text: e.key.dsText(this.origin), wire: e.key.dsRdata(this.origin) })),
      ),
      this.generatedRrset(
        CDNSKEY,
        "CDNSKEY",
        ttl,
        this.keys.deleteDs
          ? [{ text: CDNSKEY_DELETE_TEXT, wire: CDNSKEY_DELETE_WIRE }]
          : cds.map((e) => ({ text: e.key.dnskeyText(), wire: e.key.dnskeyRdata() })),
      ),
    ];
    for (const rrset of want) {
      const old = this.data.get(this.origin)?.get(rrset.typeCode);
      const same =
        old !== undefined &&
        old.ttl === rrset.ttl &&
        old.wires.length === rrset.wires.length &&
        old.wires.every((w, i) => compareOctets(w, rrset.wires[i] ?? new Uint8Array()) === 0);
      if (same) continue;
      if (old) this.diff.removed.push(...this.generatedRecords(old));
      if (rrset.wires.length > 0) {
        this.putRrset(this.origin, rrset);
        this.diff.added.push(...this.generatedRecords(rrset));
      } else this.deleteRrset(this.origin, rrset.typeCode);
      this.dirty.add(`${this.origin}\t${rrset.typeCode}`);
    }
  }

  private generatedRrset(
    code: number,
    type: string,
    ttl: number,
    items: { text: string; wire: Uint8Array }[],
  ): Rrset {
    const sorted = [...items].sort((a, b) => compareOctets(a.wire, b.wire));
    return { typeCode: code, type, ttl, texts: sorted.map((i) => i.text), wires: sorted.map((i) => i.wire) };
  }

  private generatedRecords(rrset: Rrset): DnssecRecord[] {
    return rrset.texts.map((text, i) => ({
      name: this.origin,
      type: rrset.type as DnssecRecordType,
      ttl: rrset.ttl,
      rdata: text,
      wire: rrset.wires[i] ?? new Uint8Array(),
    }));
  }

  private isOccluded(name: string): boolean {
    let n = name;
    while (n !== this.origin && n !== ".") {
      n = parent(n);
      if (n !== this.origin && this.data.get(n)?.has(NS)) return true;
    }
    return false;
  }

  private signers(code: number): SigningKey[] {
    const role = KSK_SIGNED.has(code) ? "ksk" : "zsk";
    const keys = this.keys.entries.filter((e) => e.signing && e.key.role === role).map((e) => e.key);
    if (keys.length === 0) throw new Error(`the zone has no signing ${role.toUpperCase()}`);
    return keys;
  }

  private sign(rrset: RrsetToSign): DnssecRecord[] {
    const exp =
      this.validity.expiration - stableJitter(`${rrset.name}\t${rrset.typeCode}`, this.validity.jitter ?? 0);
    return this.signers(rrset.typeCode).map((k) =>
      signRrset(rrset, k, this.origin, this.validity.inception, exp),
    );
  }

  private setSigs(name: string, code: number, next: DnssecRecord[] | undefined): void {
    let byType = this.sigs.get(name);
    const old = byType?.get(code);
    if (old) this.diff.removed.push(...old);
    if (next && next.length > 0) {
      if (!byType) {
        byType = new Map();
        this.sigs.set(name, byType);
      }
      byType.set(code, next);
      this.diff.added.push(...next);
    } else if (byType) {
      byType.delete(code);
      if (byType.size === 0) this.sigs.delete(name);
    }
  }

  private pendingNsec3 = new Set<string>();
  private chainSorted = true;

  private resignNsec3(nsec3Name: string): void {
    this.pendingNsec3.add(nsec3Name.slice(0, nsec3Name.indexOf(".")));
  }

  /** Reconciles every target name, then rebuilds the NSEC3 records whose content or link changed. */
  private run(all: boolean): void {
    for (const name of this.reconcileTargets) this.reconcile(name, all);
    this.reconcileTargets.clear();
    if (!this.chainSorted) {
      this.chain.sort();
      this.chainSorted = true;
    }
    const soa = this.data.get(this.origin)?.get(SOA);
    const soaMinimum = Number(soa?.texts[0]?.trim().split(/\s+/).at(-1) ?? 0);
    // RFC 9077: the NSEC3 TTL is the lesser of the SOA's TTL and its MINIMUM field.
    const ttl = Math.min(soa?.ttl ?? 0, soaMinimum);
    if (ttl !== this.nsec3Ttl || all) {
      this.nsec3Ttl = ttl;
      for (const h of this.chain) this.pendingNsec3.add(h);
    }
    for (const hash of this.pendingNsec3) this.emitNsec3(hash, all);
    this.pendingNsec3.clear();
    this.dirty.clear();
  }

  private reconcile(name: string, all: boolean): void {
    const occluded = this.isOccluded(name);
    const byType = this.data.get(name);
    const delegation = name !== this.origin && (byType?.has(NS) ?? false);
    const shouldSign = (code: number) => !occluded && (!delegation || code === DS);
    const sigMap = this.sigs.get(name);
    if (sigMap) {
      for (const code of [...sigMap.keys()])
        if (!byType?.has(code) || !shouldSign(code)) this.setSigs(name, code, undefined);
    }
    for (const [code, rrset] of byType ?? []) {
      if (!shouldSign(code)) continue;
      if (all || this.dirty.has(`${name}\t${code}`) || !this.sigs.get(name)?.has(code)) {
        this.setSigs(name, code, this.sign({ name, typeCode: code, ttl: rrset.ttl, rdatas: rrset.wires }));
      }
    }
    // NSEC3 membership and bitmap.
    const exists = !occluded && ((byType?.size ?? 0) > 0 || (this.below.get(name) ?? 0) > 0);
    let types: number[] = [];
    if (byType && byType.size > 0) {
      types = delegation ? [...byType.keys()].filter((c) => c === NS || c === DS) : [...byType.keys()];
      if (!delegation || byType.has(DS)) types.push(RRSIG);
      types.sort((a, b) => a - b);
    }
    const cur = this.nsec3ByName.get(name);
    if (exists && !cur) {
      const hash = nsec3Hash(name);
      this.nsec3ByName.set(name, { hash, types });
      this.insertHash(hash, name);
    } else if (exists && cur) {
      if (cur.types.join(",") !== types.join(",")) {
        cur.types = types;
        this.pendingNsec3.add(cur.hash);
      }
    } else if (!exists && cur) {
      this.nsec3ByName.delete(name);
      this.removeHash(cur.hash);
    }
  }

  private hashOwner = new Map<string, string>();

  private insertHash(hash: string, name: string): void {
    this.hashOwner.set(hash, name);
    this.pendingNsec3.add(hash);
    if (!this.chainSorted || this.chain.length === 0) {
      this.chain.push(hash);
      this.chainSorted = false;
      return;
    }
    const i = this.lowerBound(hash);
    this.chain.splice(i, 0, hash);
    this.pendingNsec3.add(this.chain[(i - 1 + this.chain.length) % this.chain.length] ?? hash);
  }

  private removeHash(hash: string): void {
    if (!this.chainSorted) {
      this.chain.sort();
      this.chainSorted = true;
    }
    const i = this.lowerBound(hash);
    if (this.chain[i] === hash) this.chain.splice(i, 1);
    this.hashOwner.delete(hash);
    this.pendingNsec3.delete(hash);
    const old = this.nsec3Records.get(hash);
    if (old) {
      this.diff.removed.push(old);
      this.nsec3Records.delete(hash);
      this.setSigs(old.name, NSEC3, undefined);
    }
    if (this.chain.length > 0)
      this.pendingNsec3.add(this.chain[(i - 1 + this.chain.length) % this.chain.length] ?? "");
  }

  private lowerBound(hash: string): number {
    let lo = 0;
    let hi = this.chain.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.chain[mid] ?? "") < hash) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private emitNsec3(hash: string, all: boolean): void {
    const i = this.lowerBound(hash);
    if (this.chain[i] !== hash) return;
    const ownerName = this.hashOwner.get(hash);
    const entry = ownerName === undefined ? undefined : this.nsec3ByName.get(ownerName);
    if (!entry) return;
    const next = this.chain[(i + 1) % this.chain.length] ?? hash;
    const { wire, text } = nsec3Rdata(next, entry.types);
    const name = `${hash}.${this.origin}`;
    const old = this.nsec3Records.get(hash);
    const dirty = this.dirty.has(`${name}\t${NSEC3}`);
    const signed = this.sigs.get(name)?.has(NSEC3) ?? false;
    if (old && old.rdata === text && old.ttl === this.nsec3Ttl && !all && !dirty && signed) return;
    const rec: DnssecRecord = { name, type: "NSEC3", ttl: this.nsec3Ttl, rdata: text, wire };
    if (old) this.diff.removed.push(old);
    this.diff.added.push(rec);
    this.nsec3Records.set(hash, rec);
    this.setSigs(name, NSEC3, this.sign({ name, typeCode: NSEC3, ttl: rec.ttl, rdatas: [wire] }));
  }

  /** Returns the accumulated diff with pairs that cancel out (removed then re-added unchanged) dropped. */
  private takeDiff(): DnssecDiff {
    const { added, removed } = this.diff;
    this.diff = { added: [], removed: [] };
    const addedKeys = new Map<string, number>();
    for (const r of added) addedKeys.set(recordKey(r), (addedKeys.get(recordKey(r)) ?? 0) + 1);
    const removedKeys = new Map<string, number>();
    for (const r of removed) removedKeys.set(recordKey(r), (removedKeys.get(recordKey(r)) ?? 0) + 1);
    const cancel = (list: DnssecRecord[], other: Map<string, number>) =>
      list.filter((r) => {
        const k = recordKey(r);
        const n = other.get(k) ?? 0;
        if (n > 0) {
          other.set(k, n - 1);
          return false;
        }
        return true;
      });
    const a = cancel(added, new Map(removedKeys));
    const r = cancel(removed, new Map(addedKeys));
    return { added: a, removed: r };
  }
}
