/**
 * Authoritative query answering (RFC 1034 section 4.3.2), pure: no I/O, no clock.
 *
 * Decisions (documented here because clients can observe them):
 * - ANY (RFC 8482 section 4.2): answered with ONE existing RRset of the node, the one with the
 *   lowest type code (so A when the name has one). An empty non-terminal gives NODATA.
 * - CNAME chains are followed inside the same zone only, at most 16 links; a loop stops the chain.
 *   The RCODE is the one of the last name of the chain (RFC 6604 section 2).
 * - DS at a zone cut is answered from the parent side, authoritatively (RFC 4035 section 3.1.4.1).
 *   DS for a hosted zone's apex is answered from its hosted parent zone when there is one.
 * - Referrals: NS of the cut in authority, AA clear, in-zone A/AAAA of the NS targets (glue) in
 *   additional (RFC 1034 section 4.3.2 step 3b).
 * - Additional section processing for NS, MX and SRV targets inside the zone (RFC 1035 section 3.3,
 *   RFC 2782), wildcard-synthesized targets included (RFC 4592); additional records are dropped
 *   rather than causing truncation (RFC 2181 section 9).
 * - REFUSED for names outside every hosted zone carries EDE 20 "Not Authoritative" (RFC 8914).
 * Where the RFCs leave room, answers follow what Knot and NSD do on the same data; the differential
 * test (test/differential-knot-nsd.test.ts) checks that.
 * - Only class IN (and the QCLASS ANY wildcard) is served; any other class is REFUSED.
 * - NOTIFY requests for a hosted zone are acknowledged (NOERROR, AA); we are the primary, so there
 *   is nothing to do. Others get NOTAUTH.
 * - DNSSEC (docs/dnssec.md "Serving"): with DO on a signed zone (an apex DNSKEY), every answer and
 *   authority rrset gets its RRSIGs and negative answers the NSEC3 proofs of RFC 5155 section 7.2;
 *   without DO nothing is added. Compared with Knot in test/dnssec-knot.test.ts.
 */
import { CLASS_ANY, CLASS_IN, EDE, OPCODE, RCODE, TYPE } from "../wire/constants.js";
import type { DecodedMessage, DecodedQuestion } from "../wire/decode-message.js";
import type { WireRR } from "../wire/message-builder.js";
import { isAtOrBelow, parentKey } from "../wire/names.js";
import type { LoadedZone, NodeRef, RRsetRef } from "../zones/loaded-zone.js";
import type { ZoneSet } from "../zones/zone-set.js";
import { emptyPlan, type PlanRRset, type ResponsePlan } from "./response-plan.js";

const MAX_CHAIN = 16;

/** Builds the plan for everything except zone transfers (AXFR/IXFR go to transfer/). */
export function answerQuery(msg: DecodedMessage, zones: ZoneSet): ResponsePlan {
  const h = msg.header;
  const q = msg.questions[0];
  const plan = emptyPlan(h.id, h.opcode, RCODE.NOERROR, msg.header.qdcount === 1 ? q : undefined);
  plan.rd = h.rd;
  // CD stays clear: a security-aware authoritative server SHOULD clear it (RFC 4035 section
  // 3.1.6), and for unsigned zones it is Z, zero in responses (RFC 1035 section 4.1.1). Knot
  // clears it for signed and unsigned zones alike (test/dnssec-knot.test.ts, differential test).
  plan.cd = false;
  if (msg.edns) plan.edns = { dnssecOk: msg.edns.dnssecOk };
  if (h.opcode !== OPCODE.QUERY && h.opcode !== OPCODE.NOTIFY) {
    plan.rcode = RCODE.NOTIMP;
    return plan;
  }
  if (h.qdcount !== 1 || !q) {
    plan.rcode = RCODE.FORMERR;
    return plan;
  }
  if (msg.edns && msg.edns.version > 0) {
    // RFC 6891 section 6.1.3: unsupported version -> BADVERS, no answer.
    plan.rcode = RCODE.BADVERS;
    return plan;
  }
  if (q.qclass !== CLASS_IN && q.qclass !== CLASS_ANY) {
    plan.rcode = RCODE.REFUSED;
    return plan;
  }
  if (h.opcode === OPCODE.NOTIFY) {
    const zone = zones.findForName(q.name.key);
    if (zone && zone.origin === q.name.key) plan.aa = true;
    else plan.rcode = RCODE.NOTAUTH;
    return plan;
  }
  if (q.qtype === TYPE.AXFR || q.qtype === TYPE.IXFR) {
    // Transfers are handled by the transfer module.
    plan.rcode = RCODE.REFUSED;
    return plan;
  }
  // The meta-TYPEs OPT and TSIG (RFC 6895 section 3.1) are looked up like any other type: no zone
  // can hold them, so the answer is NODATA or NXDOMAIN (a CNAME is followed), as Knot and NSD do.
  let zone = zones.findForName(q.name.key);
  if (zone && q.qtype === TYPE.DS && q.name.key === zone.origin) {
    // DS lives in the parent zone (RFC 4035 section 3.1.4.1).
    const parent = parentKey(zone.origin);
    const parentZone = parent === undefined ? undefined : zones.findForName(parent);
    if (parentZone) zone = parentZone;
  }
  if (!zone) {
    // Not our zone: REFUSED with Extended DNS Error 20 "Not Authoritative" (RFC 8914 section
    // 4.21), as Knot and NSD answer it when the query has EDNS.
    plan.rcode = RCODE.REFUSED;
    if (plan.edns) plan.edns.ede = EDE.NOT_AUTHORITATIVE;
    return plan;
  }
  resolveInZone(zone, q, plan);
  return plan;
}

function resolveInZone(zone: LoadedZone, q: DecodedQuestion, plan: ResponsePlan): void {
  const qtype = q.qtype;
  let name = q.name.key;
  const visited = new Set<string>([name]);
  // DNSSEC records only for DO=1 on a signed zone (RFC 3225 section 3, RFC 4035 section 3.1).
  const proofs = plan.edns?.dnssecOk && zone.signed ? new Proofs(zone, plan) : undefined;
  plan.aa = true;
  for (let step = 0; step < MAX_CHAIN; step++) {
    const cut = zone.delegationFor(name);
    if (cut !== undefined && !(cut === name && qtype === TYPE.DS)) {
      referral(zone, cut, plan, step === 0, proofs);
      return;
    }
    let node: NodeRef = zone.node(name);
    /** The closest encloser when the answer comes from a wildcard (RFC 4592 section 3.3.1). */
    let encloser: string | undefined;
    if (node < 0) {
      encloser = closestEncloser(zone, name);
      node = encloser === undefined ? -1 : zone.node(wildcardOf(encloser));
      if (node < 0) {
        plan.rcode = RCODE.NXDOMAIN; // RFC 1034 section 4.3.2 step 3c, RFC 2308 section 2.1
        negative(zone, plan, proofs);
        if (encloser !== undefined) proofs?.nameError(name, encloser);
        return;
      }
    }
    if (cut !== undefined) {
      // DS at a zone cut: parent side, authoritative data (only DS lives there).
      const ds = zone.rrsetAt(node, TYPE.DS);
      if (ds >= 0) addAnswer(zone, ds, node, name, plan, proofs);
      else {
        negative(zone, plan, proofs);
        proofs?.noData(name); // RFC 5155 section 7.2.4
      }
      return;
    }
    let rs: RRsetRef = -1;
    if (qtype === TYPE.ANY) {
      // RRSIGs are never the one rrset: they come along with it under DO.
      for (let r = zone.firstRRset(node); r >= 0; r = zone.nextRRset(r)) {
        if (zone.typeOf(r) === TYPE.RRSIG) continue;
        if (rs < 0 || zone.typeOf(r) < zone.typeOf(rs)) rs = r;
      }
    } else if (qtype === TYPE.RRSIG) {
      // An explicit RRSIG query is answered as data, DO or not, each with its own TTL.
      const sigs = zone.allSignatures(node, name);
      if (sigs.length > 0) {
        plan.answer.push(sigs);
        if (encloser !== undefined) proofs?.wildcardAnswer(name, encloser);
        return;
      }
    } else rs = zone.rrsetAt(node, qtype);
    if (rs >= 0) {
      addAnswer(zone, rs, node, name, plan, proofs);
      if (encloser !== undefined) proofs?.wildcardAnswer(name, encloser);
      return;
    }
    const cname = zone.rrsetAt(node, TYPE.CNAME);
    if (cname >= 0 && qtype !== TYPE.CNAME && qtype !== TYPE.ANY) {
      addAnswer(zone, cname, node, name, plan, proofs);
      if (encloser !== undefined) proofs?.wildcardAnswer(name, encloser);
      const target = zone.firstName(cname);
      if (target === undefined || !isAtOrBelow(target, zone.origin) || visited.has(target)) return;
      visited.add(target);
      name = target;
      continue;
    }
    negative(zone, plan, proofs); // NODATA (RFC 2308 section 2.2)
    if (encloser !== undefined) proofs?.wildcardNoData(name, encloser);
    else proofs?.noData(name);
    return;
  }
}

/**
 * The SOA of a negative answer and, under DO, its signatures, with the SOA's negative TTL
 * min(TTL, MINIMUM) (RFC 2308 section 5, RFC 9077 section 3): a signature must not outlive the
 * record it covers in a cache. Knot does the same.
 */
function negative(zone: LoadedZone, plan: ResponsePlan, proofs: Proofs | undefined): void {
  const soa = zone.negativeSoa();
  plan.authority.push(soa);
  if (!proofs) return;
  const sigs = zone.signatures(zone.node(zone.origin), TYPE.SOA, zone.origin);
  for (const sig of sigs) sig.ttl = soa.ttl;
  if (sigs.length > 0) plan.authority.push(sigs);
}

/**
 * The denial proofs of RFC 5155 section 7.2, from the zone's NSEC3 chain, each NSEC3 with its
 * signatures, in the authority section; an NSEC3 needed twice is written once.
 */
class Proofs {
  private readonly added = new Set<NodeRef>();

  constructor(
    private readonly zone: LoadedZone,
    private readonly plan: ResponsePlan,
  ) {}

  signaturesOf(node: NodeRef, type: number, owner: string, section: PlanRRset[]): void {
    const sigs = this.zone.signatures(node, type, owner);
    if (sigs.length > 0) section.push(sigs);
  }

  private add(nsec3: NodeRef): void {
    if (nsec3 < 0 || this.added.has(nsec3)) return;
    this.added.add(nsec3);
    const zone = this.zone;
    const owner = zone.nameOf(nsec3);
    const ref = zone.rrsetAt(nsec3, TYPE.NSEC3);
    if (ref < 0) return;
    this.plan.authority.push(zone.packed(ref, owner));
    this.signaturesOf(nsec3, TYPE.NSEC3, owner, this.plan.authority);
  }

  /** NXDOMAIN (section 7.2.2): the closest encloser proof and the NSEC3 covering its wildcard. */
  nameError(qname: string, encloser: string): void {
    this.add(this.zone.nsec3Matching(encloser));
    this.add(this.zone.nsec3Covering(nextCloser(qname, encloser)));
    this.add(this.zone.nsec3Covering(wildcardOf(encloser)));
  }

  /** NODATA (sections 7.2.3, 7.2.4): the NSEC3 matching the name (empty non-terminals have one). */
  noData(qname: string): void {
    this.add(this.zone.nsec3Matching(qname));
  }

  /** Wildcard NODATA (section 7.2.5): closest encloser proof and the NSEC3 matching the wildcard. */
  wildcardNoData(qname: string, encloser: string): void {
    this.add(this.zone.nsec3Matching(encloser));
    this.add(this.zone.nsec3Covering(nextCloser(qname, encloser)));
    this.add(this.zone.nsec3Matching(wildcardOf(encloser)));
  }

  /** Wildcard answer (section 7.2.6): the NSEC3 covering the next closer name. */
  wildcardAnswer(qname: string, encloser: string): void {
    this.add(this.zone.nsec3Covering(nextCloser(qname, encloser)));
  }

  /** Referral to an unsigned delegation (section 7.2.7): the NSEC3 matching the cut (no DS bit). */
  insecureDelegation(cut: string): void {
    this.add(this.zone.nsec3Matching(cut));
  }
}

/** The name one label longer than the closest encloser on the way to `qname` (RFC 5155 section 1.3). */
function nextCloser(qname: string, encloser: string): string {
  let name = qname;
  for (;;) {
    const parent = parentKey(name);
    if (parent === undefined || parent === encloser) return name;
    name = parent;
  }
}

function wildcardOf(encloser: string): string {
  return encloser === "." ? "*." : `*.${encloser}`;
}

/**
 * RFC 4592 section 3.3.1: the closest encloser is the longest existing ancestor (empty
 * non-terminals exist and therefore block wildcards below them); undefined above the zone.
 */
function closestEncloser(zone: LoadedZone, name: string): string | undefined {
  let ce = parentKey(name);
  while (ce !== undefined && !zone.hasName(ce)) ce = parentKey(ce);
  if (ce === undefined || !isAtOrBelow(ce, zone.origin)) return undefined;
  return ce;
}

function wildcardFor(zone: LoadedZone, name: string): NodeRef {
  const ce = closestEncloser(zone, name);
  return ce === undefined ? -1 : zone.node(wildcardOf(ce));
}

function addAnswer(
  zone: LoadedZone,
  rs: RRsetRef,
  node: NodeRef,
  owner: string,
  plan: ResponsePlan,
  proofs: Proofs | undefined,
): void {
  plan.answer.push(zone.packed(rs, owner));
  proofs?.signaturesOf(node, zone.typeOf(rs), owner, plan.answer);
  addTargets(zone, rs, plan, proofs);
}

/**
 * A/AAAA of in-zone targets (additional section processing, RFC 1035 section 4.3.2 step 6).
 * A target that exists only through a wildcard gets the synthesized records, owned by the target
 * name (RFC 4592 section 3.3.1 applies to any lookup, and additional processing is a lookup; Knot
 * and NSD both do this). Targets are read from the RDATA here, only for NS, MX and SRV rrsets.
 * Under DO each gets its signatures (RFC 4035 section 3.1.1; glue has none), dropped like any
 * additional record when they do not fit.
 */
function addTargets(zone: LoadedZone, rs: RRsetRef, plan: ResponsePlan, proofs: Proofs | undefined): void {
  const type = zone.typeOf(rs);
  if (type !== TYPE.NS && type !== TYPE.MX && type !== TYPE.SRV) return;
  const seen = new Set<string>();
  for (const t of zone.targets(rs)) {
    if (seen.has(t) || !isAtOrBelow(t, zone.origin)) continue;
    seen.add(t);
    let node = zone.node(t);
    if (node < 0) node = wildcardFor(zone, t);
    if (node < 0) continue;
    const a = zone.rrsetAt(node, TYPE.A);
    if (a >= 0) {
      plan.additional.push(zone.packed(a, t));
      proofs?.signaturesOf(node, TYPE.A, t, plan.additional);
    }
    const aaaa = zone.rrsetAt(node, TYPE.AAAA);
    if (aaaa >= 0) {
      plan.additional.push(zone.packed(aaaa, t));
      proofs?.signaturesOf(node, TYPE.AAAA, t, plan.additional);
    }
  }
}

/**
 * A referral; under DO the DS rrset and its signatures (a secure delegation), or the NSEC3 proving
 * there is none (RFC 4035 section 3.1.4, RFC 5155 section 7.2.7).
 */
function referral(
  zone: LoadedZone,
  cut: string,
  plan: ResponsePlan,
  first: boolean,
  proofs: Proofs | undefined,
): void {
  const node = zone.node(cut);
  const ns = zone.rrsetAt(node, TYPE.NS);
  if (ns < 0) return;
  if (first) plan.aa = false; // RFC 1034 section 4.3.2 step 3b: a referral is not authoritative
  plan.authority.push(zone.packed(ns, cut));
  if (proofs) {
    const ds = zone.rrsetAt(node, TYPE.DS);
    if (ds >= 0) {
      plan.authority.push(zone.packed(ds, cut));
      proofs.signaturesOf(node, TYPE.DS, cut, plan.authority);
    } else proofs.insecureDelegation(cut);
  }
  addTargets(zone, ns, plan, undefined);
}

export type { WireRR };
