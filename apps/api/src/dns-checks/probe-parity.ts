/**
 * Parity check: does the old provider serve the same data as our edge?
 *
 * Both sides get the same non-recursive questions: one per rrset of the zone (SOA and apex NS
 * excluded, they differ by design), one for a random name that should not exist, and one for a
 * random name under each wildcard (RFC 4592 synthesis). Answers are compared as sets of canonical
 * records (canonical-answer.ts), TTLs separately. Questions at or below a zone cut inside the zone
 * are answered with referrals by both sides (RFC 1034 section 4.3.2), and are compared as such.
 *
 * Bounds: at most `budget` rrsets per run (more: truncated = true); a query budget of
 * config.maxQueries (resolution, failover, retries) plus 4 per question (UDP + TCP on each side);
 * a server that fails twice in a row is not asked again, and when one side has no server left
 * the run stops with an error instead of waiting out every remaining question.
 */
import { randomBytes } from "node:crypto";
import { canonicalOrigin, canonicalTargetName, DnsInputError } from "@dnscove/dns";
import {
  absoluteName,
  describeAnswer,
  type RrsetAnswer,
  rrsetFromResponse,
  typeCode,
} from "./canonical-answer.js";
import { DnsQueryError, QueryBudget, queryDns } from "./dns-client.js";
import { ResolverError, resolveAddresses } from "./find-parent-servers.js";
import { rcodeName, type WireMessage } from "./read-message.js";
import type {
  DnsCheckConfig,
  Endpoint,
  ParityInput,
  ParityMismatch,
  ParityProbe,
  TtlDifference,
} from "./types.js";

/** Questions in flight at once (per side one query each). */
const CONCURRENCY = 4;
/** Queries one question may use: UDP plus a TCP retry, on each side. */
const QUERIES_PER_QUESTION = 4;
/** A server that fails this many times in a row is given up. */
const MAX_CONSECUTIVE_FAILURES = 2;
/** Answers that mean "ask another server of the same side". */
const RETRY_RCODES = new Set([1, 2, 4, 5]); // FORMERR, SERVFAIL, NOTIMP, REFUSED

interface Question {
  kind: "rrset" | "probe";
  name: string;
  type: string;
}

interface Server {
  label: string;
  endpoint: Endpoint;
  failures: number;
}

class BudgetExhausted extends Error {}
class SideDown extends Error {}

/** The servers of one side, asked in order, skipping those that keep failing. */
class Side {
  constructor(
    readonly what: string,
    readonly servers: Server[],
  ) {}

  private alive(): Server[] {
    return this.servers.filter((s) => s.failures < MAX_CONSECUTIVE_FAILURES);
  }

  /** A DNS answer, or a string saying why no server of this side gave one. */
  async ask(
    name: string,
    type: string,
    config: DnsCheckConfig,
    budget: QueryBudget,
    signal: AbortSignal,
  ): Promise<WireMessage | string> {
    const problems: string[] = [];
    for (const server of this.alive()) {
      try {
        const { message } = await queryDns(server.endpoint, name, type, {
          timeoutMs: config.timeoutMs,
          budget,
          signal,
        });
        if (!RETRY_RCODES.has(message.rcode)) {
          server.failures = 0;
          return message;
        }
        // REFUSED and friends for a name of the zone: lame for it, as bad as silence.
        server.failures++;
        problems.push(`${rcodeName(message.rcode)} from ${server.label}`);
      } catch (error) {
        if (!(error instanceof DnsQueryError)) throw error;
        if (error.kind === "budget") throw new BudgetExhausted(error.message);
        if (error.kind === "aborted") throw error;
        server.failures++;
        problems.push(`${error.message} from ${server.label}`);
      }
    }
    if (this.alive().length === 0)
      throw new SideDown(`${this.what}: no server answers any more (${problems.join("; ")})`);
    return `${this.what}: ${problems.join("; ")}`;
  }
}

function probeLabel(): string {
  return `dnscove-parity-${randomBytes(6).toString("hex")}`;
}

/** The rrset questions (at most `budget`) and probes for one run. */
function planQuestions(
  origin: string,
  rrsets: ParityInput["rrsets"],
  budget: number,
): { questions: Question[]; truncated: boolean } {
  const label = probeLabel();
  const compared = rrsets.filter((r) => {
    const name = absoluteName(r.name);
    return r.type !== "SOA" && !(r.type === "NS" && name === origin);
  });
  const taken = compared.slice(0, Math.max(0, budget));
  const questions: Question[] = [{ kind: "probe", name: `${label}.${origin}`, type: "A" }];
  const seen = new Set(questions.map((q) => `${q.name} ${q.type}`));
  for (const rrset of taken) {
    const name = absoluteName(rrset.name);
    questions.push({ kind: "rrset", name, type: rrset.type });
    if (name.startsWith("*.")) {
      const probe: Question = { kind: "probe", name: `${label}.${name.slice(2)}`, type: rrset.type };
      const key = `${probe.name} ${probe.type}`;
      if (!seen.has(key)) {
        seen.add(key);
        questions.push(probe);
      }
    }
  }
  return { questions, truncated: taken.length < compared.length };
}

interface Comparison {
  mismatch?: ParityMismatch;
  ttl?: TtlDifference;
}

function compareRrset(
  question: Question,
  ours: WireMessage | string,
  theirs: WireMessage | string,
): Comparison {
  const code = typeCode(question.type);
  const read = (side: WireMessage | string): RrsetAnswer | string =>
    typeof side === "string" ? side : rrsetFromResponse(side, question.name, code);
  const a = read(ours);
  const b = read(theirs);
  const records = (x: RrsetAnswer | string) => (typeof x === "string" ? [] : x.records);
  if (typeof a === "string" || typeof b === "string") {
    const error = [a, b].filter((x): x is string => typeof x === "string").join("; ");
    return {
      mismatch: { name: question.name, type: question.type, ours: records(a), theirs: records(b), error },
    };
  }
  if (a.records.join("\n") !== b.records.join("\n")) {
    return { mismatch: { name: question.name, type: question.type, ours: a.records, theirs: b.records } };
  }
  if (a.ttl !== undefined && b.ttl !== undefined && a.ttl !== b.ttl && a.via !== "cname") {
    return { ttl: { name: question.name, type: question.type, ours: a.ttl, theirs: b.ttl } };
  }
  return {};
}

function compareProbe(
  question: Question,
  ours: WireMessage | string,
  theirs: WireMessage | string,
): Comparison {
  const describe = (side: WireMessage | string) => (typeof side === "string" ? [] : describeAnswer(side));
  const a = describe(ours);
  const b = describe(theirs);
  const errors = [ours, theirs].filter((x): x is string => typeof x === "string");
  if (errors.length > 0 || a.join("\n") !== b.join("\n")) {
    const mismatch: ParityMismatch = { name: question.name, type: question.type, ours: a, theirs: b };
    if (errors.length > 0) mismatch.error = errors.join("; ");
    return { mismatch };
  }
  return {};
}

async function resolveTheirServers(
  names: string[],
  config: DnsCheckConfig,
  budget: QueryBudget,
): Promise<{ servers: Server[]; problems: string[] }> {
  const servers: Server[] = [];
  const problems: string[] = [];
  const ctx = { resolver: config.resolver, timeoutMs: config.timeoutMs, budget };
  const valid: string[] = [];
  for (const raw of names) {
    try {
      valid.push(canonicalTargetName(raw));
    } catch (error) {
      if (!(error instanceof DnsInputError)) throw error;
      problems.push(`${JSON.stringify(raw)} is not a valid nameserver name: ${error.message}`);
    }
  }
  for (const name of [...new Set(valid)]) {
    try {
      const addresses = await resolveAddresses(name, ctx);
      if (addresses.length === 0) problems.push(`${name} has no address`);
      for (const address of addresses) {
        servers.push({
          label: `${name} (${address})`,
          endpoint: { host: address, port: config.authoritativePort },
          failures: 0,
        });
      }
    } catch (error) {
      if (!(error instanceof ResolverError)) throw error;
      problems.push(error.message);
    }
  }
  return { servers, problems };
}

function byNameAndType<T extends { name: string; type: string }>(a: T, b: T): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : a.type < b.type ? -1 : a.type > b.type ? 1 : 0;
}

/**
 * Asks the old provider's nameservers (names resolved through config.resolver, queried on
 * config.authoritativePort) and our edge the same questions and compares the answers.
 */
export async function probeParity(input: ParityInput, config: DnsCheckConfig): Promise<ParityProbe> {
  const origin = `${canonicalOrigin(input.origin)}.`;
  const { questions, truncated } = planQuestions(origin, input.rrsets, input.budget);
  const budget = new QueryBudget(config.maxQueries + QUERIES_PER_QUESTION * questions.length);
  const result: ParityProbe = {
    origin,
    matches: false,
    checked: 0,
    mismatched: 0,
    truncated,
    mismatches: [],
    ttlDifferences: [],
    theirServers: [],
  };

  const resolved = await resolveTheirServers(input.oldNameservers, config, budget);
  result.theirServers = resolved.servers.map((s) => s.label);
  if (resolved.servers.length === 0) {
    const why = resolved.problems.length > 0 ? resolved.problems.join("; ") : "no old nameservers given";
    return { ...result, error: `no server of the old provider to ask: ${why}` };
  }
  const theirs = new Side("theirs", resolved.servers);
  const ours = new Side("ours", [
    { label: `${input.ours.host}:${input.ours.port}`, endpoint: input.ours, failures: 0 },
  ]);

  let stop: string | undefined;
  // Once the run is over (budget gone, a side down) queries still in flight are abandoned.
  const abort = new AbortController();
  const halt = (why: string) => {
    stop ??= why;
    abort.abort();
  };
  let next = 0;
  const worker = async () => {
    while (stop === undefined && next < questions.length) {
      const question = questions[next++] as Question;
      try {
        typeCode(question.type);
      } catch (error) {
        result.checked++;
        result.mismatches.push({
          name: question.name,
          type: question.type,
          ours: [],
          theirs: [],
          error: String(error),
        });
        continue;
      }
      try {
        const [a, b] = await Promise.all([
          ours.ask(question.name, question.type, config, budget, abort.signal),
          theirs.ask(question.name, question.type, config, budget, abort.signal),
        ]);
        const outcome =
          question.kind === "rrset" ? compareRrset(question, a, b) : compareProbe(question, a, b);
        result.checked++;
        if (outcome.mismatch) result.mismatches.push(outcome.mismatch);
        if (outcome.ttl) result.ttlDifferences.push(outcome.ttl);
      } catch (error) {
        if (error instanceof BudgetExhausted) halt(`query budget exhausted (${budget.limit} queries)`);
        else if (error instanceof SideDown) halt(error.message);
        else if (!(error instanceof DnsQueryError && error.kind === "aborted")) throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, questions.length) }, worker));

  result.mismatches.sort(byNameAndType);
  result.ttlDifferences.sort(byNameAndType);
  result.mismatched = result.mismatches.length;
  const complete = result.checked === questions.length;
  if (stop !== undefined) {
    result.error = `stopped after ${result.checked} of ${questions.length} questions: ${stop}`;
    result.truncated = true;
  } else if (resolved.problems.length > 0) {
    result.error = `some old nameservers were not asked: ${resolved.problems.join("; ")}`;
  }
  result.matches = complete && result.mismatched === 0;
  return result;
}
