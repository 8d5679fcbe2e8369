/**
 * Finds the zone that holds the delegation of `origin` and the addresses of its servers, asking
 * the configured recursive resolver only (so a private hierarchy with its own root hints works).
 *
 * The parent is the closest proper ancestor of `origin` that owns an NS set (a zone apex,
 * RFC 1034 section 4.2): walk up one label at a time, NXDOMAIN and NODATA meaning "not a zone
 * here, keep going"; any other failure stops the walk, because a guess would compare the
 * delegation against the wrong zone.
 */
import { nsTargets } from "./canonical-answer.js";
import { DnsQueryError, type QueryBudget, queryDns } from "./dns-client.js";
import { rcodeName, type WireMessage } from "./read-message.js";
import type { Endpoint } from "./types.js";

const RCODE_NOERROR = 0;
const RCODE_NXDOMAIN = 3;
const TYPE_A = 1;
const TYPE_AAAA = 28;

export interface ResolverContext {
  resolver: Endpoint;
  timeoutMs: number;
  budget: QueryBudget;
}

export class ResolverError extends Error {
  override name = "ResolverError";
}

/** Proper ancestors of an absolute name, closest first: "a.b.c." -> ["b.c.", "c.", "."]. */
export function properAncestors(fqdn: string): string[] {
  const labels = fqdn.replace(/\.$/, "").split(".");
  const out: string[] = [];
  for (let i = 1; i < labels.length; i++) out.push(`${labels.slice(i).join(".")}.`);
  out.push(".");
  return out;
}

/**
 * Asks the resolver; a timeout is retried once (resolvers may still be iterating on the first
 * try). Budget exhaustion and network errors are not retried.
 */
async function askResolver(name: string, type: number, ctx: ResolverContext): Promise<WireMessage> {
  let lastError: DnsQueryError | undefined;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const response = await queryDns(ctx.resolver, name, type, {
        timeoutMs: ctx.timeoutMs,
        budget: ctx.budget,
        recursionDesired: true,
      });
      return response.message;
    } catch (error) {
      if (!(error instanceof DnsQueryError)) throw error;
      lastError = error;
      if (error.kind !== "timeout") break;
    }
  }
  throw new ResolverError(
    `resolver ${ctx.resolver.host}:${ctx.resolver.port} gave no answer for ${name}: ${lastError?.message}`,
  );
}

export interface ParentZone {
  /** Absolute name of the parent zone, "." for the root. */
  zone: string;
  /** NS names of the parent zone, sorted. */
  nameservers: string[];
}

export async function findParentZone(origin: string, ctx: ResolverContext): Promise<ParentZone> {
  for (const candidate of properAncestors(origin)) {
    const message = await askResolver(candidate, 2, ctx);
    if (message.rcode === RCODE_NXDOMAIN) continue;
    if (message.rcode !== RCODE_NOERROR) {
      throw new ResolverError(`resolver answered ${rcodeName(message.rcode)} for ${candidate} NS`);
    }
    // Only an NS set owned by the candidate itself makes it a zone; a CNAME or an empty answer
    // (NODATA) does not.
    const nameservers = nsTargets(message.answers, candidate);
    if (nameservers.length > 0) return { zone: candidate, nameservers };
  }
  throw new ResolverError(`no NS set found above ${origin}, not even for the root`);
}

/**
 * Addresses of one server name through the resolver: A first, AAAA only when there is no A
 * (keeps the query count down; the test hierarchy and most parents have IPv4).
 */
export async function resolveAddresses(name: string, ctx: ResolverContext): Promise<string[]> {
  const addressesOf = (message: WireMessage, type: number) =>
    message.answers
      .filter((r) => r.type === type && r.class === 1 && r.rdata.length === (type === TYPE_A ? 4 : 16))
      .map((r) => (type === TYPE_A ? Array.from(r.rdata).join(".") : ipv6Text(r.rdata)));
  // Follow the resolver's CNAME chain implicitly: take every address record in the answer.
  const v4 = addressesOf(await askResolver(name, TYPE_A, ctx), TYPE_A);
  if (v4.length > 0) return [...new Set(v4)].sort();
  const v6 = addressesOf(await askResolver(name, TYPE_AAAA, ctx), TYPE_AAAA);
  return [...new Set(v6)].sort();
}

function ipv6Text(bytes: Uint8Array): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2)
    groups.push((((bytes[i] as number) << 8) | (bytes[i + 1] as number)).toString(16));
  return groups.join(":");
}

export interface ParentServer {
  /** NS name of the parent zone. */
  name: string;
  /** One address of it; "" when it did not resolve. */
  address: string;
  error?: string;
}

export interface ParentServers {
  zone: string;
  /** Usable servers (with an address) first in NS-name order, at most `maxServers` of them. */
  servers: ParentServer[];
}

/**
 * The parent zone and up to `maxServers` of its servers with one address each (deSEC's
 * delegation checker asks at most 3 parent servers). Names that do not resolve are reported with
 * an error and the next name is tried instead.
 */
export async function findParentServers(
  origin: string,
  ctx: ResolverContext,
  maxServers = 3,
): Promise<ParentServers> {
  const parent = await findParentZone(origin, ctx);
  const usable: ParentServer[] = [];
  const unresolved: ParentServer[] = [];
  const resolveOne = async (name: string): Promise<ParentServer> => {
    try {
      const [address] = await resolveAddresses(name, ctx);
      return address ? { name, address } : { name, address: "", error: "name has no A or AAAA record" };
    } catch (error) {
      if (!(error instanceof ResolverError)) throw error;
      return { name, address: "", error: error.message };
    }
  };
  // Resolve as many names at once as servers are still wanted, so a slow name costs one
  // timeout for the batch rather than one per name.
  let next = 0;
  while (usable.length < maxServers && next < parent.nameservers.length) {
    const batch = parent.nameservers.slice(next, next + (maxServers - usable.length));
    next += batch.length;
    for (const server of await Promise.all(batch.map(resolveOne))) {
      (server.address ? usable : unresolved).push(server);
    }
  }
  const byName = (a: ParentServer, b: ParentServer) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  return { zone: parent.zone, servers: [...usable.sort(byName), ...unresolved.sort(byName)] };
}
