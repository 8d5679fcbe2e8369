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
 */
import { CLASS_ANY, CLASS_IN, EDE, OPCODE, RCODE, TYPE } from "../wire/constants.js";
import type { DecodedMessage, DecodedQuestion } from "../wire/decode-message.js";
import type { WireRR } from "../wire/message-builder.js";
import { isAtOrBelow, parentKey } from "../wire/names.js";
import type { LoadedZone, NodeRef, RRsetRef } from "../zones/loaded-zone.js";
import type { ZoneSet } from "../zones/zone-set.js";
import { emptyPlan, type ResponsePlan } from "./response-plan.js";

const MAX_CHAIN = 16;

/** Builds the plan for everything except zone transfers (AXFR/IXFR go to transfer/). */
export function answerQuery(msg: DecodedMessage, zones: ZoneSet): ResponsePlan {
  const h = msg.header;
  const q = msg.questions[0];
  const plan = emptyPlan(h.id, h.opcode, RCODE.NOERROR, msg.header.qdcount === 1 ? q : undefined);
  plan.rd = h.rd;
  // CD stays clear: RFC 4035 section 3.1.6 makes only a security-aware server copy it, and the
  // edge serves no DNSSEC data, so for it the bit is Z, zero in responses (RFC 1035 section
  // 4.1.1). Knot and NSD serving the same unsigned zones clear it too.
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
  plan.aa = true;
  for (let step = 0; step < MAX_CHAIN; step++) {
    const cut = zone.delegationFor(name);
    if (cut !== undefined && !(cut === name && qtype === TYPE.DS)) {
      referral(zone, cut, plan, step === 0);
      return;
    }
    let node: NodeRef = zone.node(name);
    if (node < 0) {
      node = wildcardFor(zone, name);
      if (node < 0) {
        plan.rcode = RCODE.NXDOMAIN; // RFC 1034 section 4.3.2 step 3c, RFC 2308 section 2.1
        plan.authority.push(zone.negativeSoa());
        return;
      }
    }
    if (cut !== undefined) {
      // DS at a zone cut: parent side, authoritative data (only DS lives there).
      const ds = zone.rrsetAt(node, TYPE.DS);
      if (ds >= 0) plan.answer.push(zone.packed(ds, name));
      else plan.authority.push(zone.negativeSoa());
      return;
    }
    if (qtype === TYPE.ANY) {
      let pick: RRsetRef = -1;
      for (let rs = zone.firstRRset(node); rs >= 0; rs = zone.nextRRset(rs)) {
        if (pick < 0 || zone.typeOf(rs) < zone.typeOf(pick)) pick = rs;
      }
      if (pick >= 0) addAnswer(zone, pick, name, plan);
      else plan.authority.push(zone.negativeSoa());
      return;
    }
    const rs = zone.rrsetAt(node, qtype);
    if (rs >= 0) {
      addAnswer(zone, rs, name, plan);
      return;
    }
    const cname = zone.rrsetAt(node, TYPE.CNAME);
    if (cname >= 0 && qtype !== TYPE.CNAME) {
      plan.answer.push(zone.packed(cname, name));
      const target = zone.firstName(cname);
      if (target === undefined || !isAtOrBelow(target, zone.origin) || visited.has(target)) return;
      visited.add(target);
      name = target;
      continue;
    }
    plan.authority.push(zone.negativeSoa()); // NODATA (RFC 2308 section 2.2)
    return;
  }
}

/**
 * RFC 4592 section 3.3.1: find the closest encloser (the longest existing ancestor; empty
 * non-terminals exist and therefore block wildcards below them) and its "*" child.
 */
function wildcardFor(zone: LoadedZone, name: string): NodeRef {
  let ce = parentKey(name);
  while (ce !== undefined && !zone.hasName(ce)) ce = parentKey(ce);
  if (ce === undefined || !isAtOrBelow(ce, zone.origin)) return -1;
  return zone.node(ce === "." ? "*." : `*.${ce}`);
}

function addAnswer(zone: LoadedZone, rs: RRsetRef, owner: string, plan: ResponsePlan): void {
  plan.answer.push(zone.packed(rs, owner));
  addTargets(zone, rs, plan);
}

/**
 * A/AAAA of in-zone targets (additional section processing, RFC 1035 section 4.3.2 step 6).
 * A target that exists only through a wildcard gets the synthesized records, owned by the target
 * name (RFC 4592 section 3.3.1 applies to any lookup, and additional processing is a lookup; Knot
 * and NSD both do this). Targets are read from the RDATA here, only for NS, MX and SRV rrsets.
 */
function addTargets(zone: LoadedZone, rs: RRsetRef, plan: ResponsePlan): void {
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
    if (a >= 0) plan.additional.push(zone.packed(a, t));
    const aaaa = zone.rrsetAt(node, TYPE.AAAA);
    if (aaaa >= 0) plan.additional.push(zone.packed(aaaa, t));
  }
}

function referral(zone: LoadedZone, cut: string, plan: ResponsePlan, first: boolean): void {
  const ns = zone.rrset(cut, TYPE.NS);
  if (ns < 0) return;
  if (first) plan.aa = false; // RFC 1034 section 4.3.2 step 3b: a referral is not authoritative
  plan.authority.push(zone.packed(ns, cut));
  addTargets(zone, ns, plan);
}

export type { WireRR };
