import { lockZone, providerOf } from "@dnscove/db";
import { ACME_CHALLENGE_LABEL } from "@dnscove/dns";
import type { Actor } from "../actor.js";
import { DomainError } from "../errors.js";
import { prismaTransaction } from "../history/dry-run.js";
import { publishZoneById } from "../publish/publish-zone.js";
import { changeRRsetsIn } from "../rrsets/change-rrsets.js";
import { readRRsetsAt } from "../rrsets/rrset-rows.js";
import type { RRsetChangeInput } from "../rrsets/schemas.js";
import type { Services } from "../services.js";
import {
  type Prerequisite,
  UPDATE_RCODE,
  type Update,
  UpdateRefused,
  type UpdateRequest,
} from "./update-message.js";

/** The verified TSIG key an UPDATE was signed with. */
export interface UpdateKey {
  id: string;
  tenantId: string;
  zoneId: string;
  keyName: string;
  scope: "acme-dns01" | "zone-admin";
}

/** The key as the audit log and the domain's authorization see it: a zone-bound credential. */
export function updateActor(key: UpdateKey, clientAddress: string, requestId: string): Actor {
  return {
    kind: "token",
    tenantId: key.tenantId,
    tokenId: `tsig:${key.id}`,
    name: key.keyName,
    scope: key.scope,
    zoneId: key.zoneId,
    request: { clientAddress, requestId },
  };
}

interface RRsetState {
  ttl: number;
  records: Set<string>;
}

/**
 * Applies an RFC 2136 UPDATE through the same domain path as the API's rrset changes
 * (changeRRsetsIn: validation, coexistence, quotas, journal, audit), all or nothing, one serial per
 * message, then publishes and waits until the edges serve it. Throws UpdateRefused with the RCODE.
 * Returns the serial served (undefined: the message changed nothing, §3.4.2.7 leaves the serial).
 */
export async function applyUpdate(
  services: Services,
  key: UpdateKey,
  request: UpdateRequest,
  actor: Actor,
): Promise<number | undefined> {
  const { db } = services;
  const zone = await db.zone.findFirst({ where: { id: key.zoneId }, select: { origin: true } });
  // §3.1.2: a zone this key does not serve is NOTAUTH.
  if (!zone || `${zone.origin}.` !== request.zone) {
    throw new UpdateRefused(UPDATE_RCODE.NOTAUTH, `key ${key.keyName} is not for zone ${request.zone}`);
  }
  if (key.scope === "acme-dns01") checkAcmeScope(request);
  const apex = request.zone;
  let serial: number | undefined;
  try {
    serial = await prismaTransaction(db)(async (tx) => {
      if (!(await lockZone(tx, providerOf(db), key.zoneId))) {
        throw new UpdateRefused(UPDATE_RCODE.NOTAUTH, "zone gone");
      }
      const names = [
        ...new Set([...request.prerequisites.map((p) => p.name), ...request.updates.map((u) => u.name)]),
      ];
      const rows = await readRRsetsAt(tx, key.zoneId, names);
      const state = new Map<string, Map<string, RRsetState>>();
      for (const name of names) state.set(name, new Map());
      for (const row of rows) {
        state.get(row.name)?.set(row.type, {
          ttl: Number(row.ttl),
          records: new Set(JSON.parse(row.records) as string[]),
        });
      }
      checkPrerequisites(request.prerequisites, state, apex);
      const before = new Map(
        [...state].map(([name, types]) => [
          name,
          new Map([...types].map(([t, s]) => [t, { ...s, records: new Set(s.records) }])),
        ]),
      );
      for (const update of request.updates) applyOne(update, state);
      const changes = diff(before, state);
      if (changes.length === 0) return undefined;
      const accepted = await changeRRsetsIn(tx, services, actor, key.zoneId, changes, true, {
        permission: key.scope === "acme-dns01" ? "acme" : "zone-records",
      });
      return accepted.serial;
    });
  } catch (error) {
    if (error instanceof DomainError) {
      // Validation, coexistence (RFC 2136 §3.4.2.2's CNAME rules), quotas: the change is refused.
      throw new UpdateRefused(UPDATE_RCODE.REFUSED, error.message);
    }
    throw error;
  }
  if (serial === undefined) return undefined;
  // Answered NOERROR only once published, like POST /zones/{id}/publish.
  const published = (await publishZoneById(services, key.zoneId, { by: actor })) ?? serial;
  const problem = await services.edges.awaitServing(key.zoneId, published);
  if (problem !== null) throw new UpdateRefused(UPDATE_RCODE.SERVFAIL, `not served: ${problem}`);
  return published;
}

/**
 * acme-dns01 keys may only touch `_acme-challenge` TXT rrsets (the token scope's rule), and may only
 * ask about them: a prerequisite elsewhere (or a name-level one, which answers for every type at a
 * name) would let the key probe rows its API token cannot read (403). Checked before any
 * prerequisite is evaluated, so the answer is REFUSED whatever the zone holds and leaks nothing.
 */
function checkAcmeScope(request: UpdateRequest): void {
  const inScope = (name: string) => name.startsWith(`${ACME_CHALLENGE_LABEL}.`) && !name.includes("*");
  for (const update of request.updates) {
    const typeOk = update.kind !== "delete-name" && update.type === "TXT";
    if (!inScope(update.name) || !typeOk) {
      throw new UpdateRefused(
        UPDATE_RCODE.REFUSED,
        `an acme-dns01 key may only change ${ACME_CHALLENGE_LABEL} TXT rrsets`,
      );
    }
  }
  for (const prereq of request.prerequisites) {
    const typeOk = "type" in prereq && prereq.type === "TXT";
    if (!inScope(prereq.name) || !typeOk) {
      throw new UpdateRefused(
        UPDATE_RCODE.REFUSED,
        `an acme-dns01 key's prerequisites may only name ${ACME_CHALLENGE_LABEL} TXT rrsets`,
      );
    }
  }
}

/** §3.2.5: in order, the first failing prerequisite decides the RCODE. */
function checkPrerequisites(
  prereqs: Prerequisite[],
  state: Map<string, Map<string, RRsetState>>,
  apex: string,
): void {
  // Apex SOA and NS are not rows here, but always exist.
  const has = (name: string, type: string) =>
    (name === apex && (type === "SOA" || type === "NS")) || (state.get(name)?.has(type) ?? false);
  const inUse = (name: string) => name === apex || (state.get(name)?.size ?? 0) > 0;
  const equal = new Map<string, { name: string; type: string; records: Set<string> }>();
  for (const p of prereqs) {
    switch (p.kind) {
      case "name-in-use":
        if (!inUse(p.name)) throw new UpdateRefused(UPDATE_RCODE.NXDOMAIN, `${p.name} is not in use`);
        break;
      case "name-not-in-use":
        if (inUse(p.name)) throw new UpdateRefused(UPDATE_RCODE.YXDOMAIN, `${p.name} is in use`);
        break;
      case "rrset-exists":
        if (!has(p.name, p.type)) throw new UpdateRefused(UPDATE_RCODE.NXRRSET, `no ${p.type} at ${p.name}`);
        break;
      case "rrset-absent":
        if (has(p.name, p.type)) throw new UpdateRefused(UPDATE_RCODE.YXRRSET, `${p.type} at ${p.name}`);
        break;
      case "rrset-equals": {
        // §3.2.3: value-dependent prerequisites of one name and type form one rrset, compared whole.
        const k = `${p.name} ${p.type}`;
        const entry = equal.get(k) ?? { name: p.name, type: p.type, records: new Set<string>() };
        for (const r of p.records) entry.records.add(r);
        equal.set(k, entry);
        break;
      }
    }
  }
  for (const { name, type, records } of equal.values()) {
    const current = state.get(name)?.get(type)?.records;
    const same =
      current !== undefined && current.size === records.size && [...records].every((r) => current.has(r));
    if (!same) throw new UpdateRefused(UPDATE_RCODE.NXRRSET, `${type} at ${name} differs`);
  }
}

/** §3.4.2: one update applied to the working copy. */
function applyOne(update: Update, state: Map<string, Map<string, RRsetState>>): void {
  const types = state.get(update.name) ?? new Map<string, RRsetState>();
  state.set(update.name, types);
  switch (update.kind) {
    case "add": {
      const rrset = types.get(update.type);
      // RFC 2181 §5.2: one TTL per rrset; the added record's TTL becomes the rrset's (BIND does so).
      if (rrset) {
        rrset.records.add(update.record);
        rrset.ttl = update.ttl;
      } else types.set(update.type, { ttl: update.ttl, records: new Set([update.record]) });
      break;
    }
    case "delete-rrset":
      types.delete(update.type);
      break;
    case "delete-name":
      // The apex SOA and NS are not rows here, so §3.4.2.3's exception holds by itself.
      types.clear();
      break;
    case "delete-record": {
      const rrset = types.get(update.type);
      rrset?.records.delete(update.record);
      if (rrset && rrset.records.size === 0) types.delete(update.type);
      break;
    }
  }
}

/** The rrset changes that turn `before` into `after`, as the API's change inputs. */
function diff(
  before: Map<string, Map<string, RRsetState>>,
  after: Map<string, Map<string, RRsetState>>,
): RRsetChangeInput[] {
  const changes: RRsetChangeInput[] = [];
  for (const [name, types] of after) {
    const old = before.get(name) ?? new Map<string, RRsetState>();
    for (const [type, rrset] of types) {
      const was = old.get(type);
      const same =
        was !== undefined &&
        was.ttl === rrset.ttl &&
        was.records.size === rrset.records.size &&
        [...rrset.records].every((r) => was.records.has(r));
      if (!same) changes.push({ action: "UPSERT", name, type, ttl: rrset.ttl, records: [...rrset.records] });
    }
    for (const [type, was] of old) {
      if (!types.has(type)) changes.push({ action: "DELETE", name, type, ttl: was.ttl });
    }
  }
  return changes;
}
