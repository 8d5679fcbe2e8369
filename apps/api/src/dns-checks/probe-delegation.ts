/**
 * Delegation check: does the parent zone delegate `origin` to our nameservers?
 *
 * We ask the parent's servers, not the child's: a non-recursive NS question to a parent server
 * is answered with a referral (RFC 1034 section 4.3.2 step 3b: aa=0, the delegation NS set in the
 * authority section), which is what resolvers will follow. Only when the same server is also
 * authoritative for the child does the NS set come back as an authoritative answer instead
 * (step 3a), and then that is read. Design after deSEC's delegation checker: few queries, at most
 * 3 parent servers, a short timeout each; a lame or silent server is reported, never waited on
 * beyond its timeout. Everything is bounded by config.timeoutMs and config.maxQueries.
 */
import { canonicalOrigin, canonicalTargetName } from "@dnscove/dns";
import { nsTargets } from "./canonical-answer.js";
import { DnsQueryError, QueryBudget, queryDns } from "./dns-client.js";
import { findParentServers, type ParentServer, ResolverError } from "./find-parent-servers.js";
import { rcodeName, type WireMessage } from "./read-message.js";
import type { DelegationProbe, DnsCheckConfig, ServerProbe } from "./types.js";

const TYPE_NS = 2;
const TYPE_SOA = 6;
const RCODE_NOERROR = 0;
const RCODE_NXDOMAIN = 3;

/** What one parent server says about the delegation. */
type ServerVerdict =
  | { answered: true; nameservers: string[]; error?: string }
  | { answered: false; error: string };

/** Reads the delegation of `origin` out of one parent server's response. */
export function readDelegation(message: WireMessage, origin: string, parentZone: string): ServerVerdict {
  if (message.rcode === RCODE_NXDOMAIN) {
    // RFC 1034 section 4.3.2 step 3c: the authoritative "no such name", i.e. no delegation.
    if (message.aa) return { answered: true, nameservers: [] };
    return { answered: false, error: "lame: NXDOMAIN without the authoritative flag" };
  }
  if (message.rcode !== RCODE_NOERROR) {
    return {
      answered: false,
      error: `lame: answered ${rcodeName(message.rcode)} (not serving ${parentZone})`,
    };
  }
  const answer = nsTargets(message.answers, origin);
  if (message.aa && answer.length > 0) return { answered: true, nameservers: answer };
  const referral = nsTargets(message.authorities, origin);
  if (referral.length > 0) return { answered: true, nameservers: referral };
  if (message.aa) {
    // NODATA (SOA in authority) from the parent itself: the name exists there but is no zone cut.
    if (message.answers.length === 0) return { answered: true, nameservers: [] };
    return { answered: true, nameservers: [], error: "answer holds no NS set for the zone" };
  }
  const cut = message.authorities.find((r) => r.type === TYPE_NS);
  if (cut && cut.name !== origin && !message.authorities.some((r) => r.type === TYPE_SOA)) {
    // A referral to some other zone: upwards (a lame server's root referral) or sideways.
    return { answered: false, error: `lame: not authoritative, referred to ${cut.name}` };
  }
  return { answered: false, error: "lame: not authoritative and no referral" };
}

function normaliseExpected(expected: string[]): string[] {
  return [...new Set(expected.map((name) => canonicalTargetName(name)))].sort();
}

/**
 * Finds the parent zone's servers through config.resolver, asks up to 3 of them (in parallel,
 * without recursion) for NS of `origin`, and compares the referral with `expected`.
 * delegated = at least one parent server answered and every answering server lists every
 * expected nameserver (found ⊇ expected); `extra` lists the other names in the referral.
 */
export async function probeDelegation(
  origin: string,
  expected: string[],
  config: DnsCheckConfig,
): Promise<DelegationProbe> {
  const fqdn = `${canonicalOrigin(origin)}.`;
  const ours = normaliseExpected(expected);
  const result: DelegationProbe = {
    origin: fqdn,
    delegated: false,
    expected: ours,
    found: [],
    missing: ours,
    extra: [],
    servers: [],
  };
  if (ours.length === 0) return { ...result, error: "no expected nameservers to compare with" };
  const budget = new QueryBudget(config.maxQueries);
  let parent: { zone: string; servers: ParentServer[] };
  try {
    parent = await findParentServers(fqdn, {
      resolver: config.resolver,
      timeoutMs: config.timeoutMs,
      budget,
    });
  } catch (error) {
    if (!(error instanceof ResolverError)) throw error;
    return { ...result, error: `could not find the parent zone's servers: ${error.message}` };
  }

  const verdicts = await Promise.all(
    parent.servers.map(async (server): Promise<{ report: ServerProbe; verdict?: ServerVerdict }> => {
      if (!server.address) {
        return {
          report: { name: server.name, address: "", answered: false, error: server.error ?? "no address" },
        };
      }
      let verdict: ServerVerdict;
      try {
        const response = await queryDns(
          { host: server.address, port: config.authoritativePort },
          fqdn,
          TYPE_NS,
          {
            timeoutMs: config.timeoutMs,
            budget,
          },
        );
        verdict = readDelegation(response.message, fqdn, parent.zone);
      } catch (error) {
        if (!(error instanceof DnsQueryError)) throw error;
        verdict = { answered: false, error: error.message };
      }
      const report: ServerProbe = { name: server.name, address: server.address, answered: verdict.answered };
      if (verdict.error) report.error = verdict.error;
      return { report, verdict };
    }),
  );

  const servers = verdicts.map((v) => v.report);
  const sets = verdicts.flatMap((v) => (v.verdict?.answered ? [v.verdict.nameservers] : []));
  if (sets.length === 0) {
    const exhausted = budget.remaining === 0 ? ` (query budget of ${budget.limit} exhausted)` : "";
    return {
      ...result,
      servers,
      error: `no server of the parent zone ${parent.zone} gave a usable answer${exhausted}`,
    };
  }
  const found = [...new Set(sets.flat())].sort();
  // An expected name is only present when every answering parent server lists it.
  const missing = ours.filter((name) => !sets.every((set) => set.includes(name)));
  const extra = found.filter((name) => !ours.includes(name));
  const disagree = sets.some((set) => set.join(" ") !== (sets[0] ?? []).join(" "));
  return {
    ...result,
    delegated: missing.length === 0,
    found,
    missing,
    extra,
    servers,
    ...(disagree ? { error: `the servers of ${parent.zone} disagree about the delegation` } : {}),
  };
}
