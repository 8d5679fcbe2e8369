import type { ParentDs } from "../domain/dnssec/maintain-dnssec.js";
import { DnsQueryError, QueryBudget, queryDns } from "./dns-client.js";
import { findParentServers, ResolverError } from "./find-parent-servers.js";
import type { DnsCheckConfig } from "./types.js";

const TYPE_DS = 43;
const RCODE_NOERROR = 0;

/** DS RDATA (RFC 4034 section 5.1) in presentation form: "tag algorithm digest-type HEX". */
function dsText(rdata: Uint8Array): string {
  const tag = ((rdata[0] ?? 0) << 8) | (rdata[1] ?? 0);
  return `${tag} ${rdata[2] ?? 0} ${rdata[3] ?? 0} ${Buffer.from(rdata.subarray(4)).toString("hex").toUpperCase()}`;
}

/**
 * The DS set the parent zone's servers serve for `origin` (asked directly, without recursion, as
 * the delegation check asks for NS): the union over every server asked, so a server still holding an
 * old DS keeps it in the answer, and the least TTL seen. Null when the parent or any of its servers
 * could not be asked: a KSK rollover or the insecure transition then simply waits.
 */
export async function probeParentDs(origin: string, config: DnsCheckConfig): Promise<ParentDs> {
  const budget = new QueryBudget(config.maxQueries);
  let servers: { name: string; address: string }[];
  try {
    ({ servers } = await findParentServers(origin, {
      resolver: config.resolver,
      timeoutMs: config.timeoutMs,
      budget,
    }));
  } catch (error) {
    if (error instanceof ResolverError) return null;
    throw error;
  }
  if (servers.length === 0 || servers.some((s) => !s.address)) return null;
  const records = new Set<string>();
  let ttl = Number.POSITIVE_INFINITY;
  for (const server of servers) {
    try {
      const { message } = await queryDns(
        { host: server.address, port: config.authoritativePort },
        origin,
        TYPE_DS,
        {
          timeoutMs: config.timeoutMs,
          budget,
        },
      );
      // Only an authoritative answer says what the parent holds; a referral (a server that is not
      // the parent after all) or an error says nothing, and "nothing" must never read as "no DS".
      if (message.rcode !== RCODE_NOERROR || !message.aa) return null;
      for (const rr of message.answers) {
        if (rr.type !== TYPE_DS || rr.name !== origin) continue;
        records.add(dsText(rr.rdata));
        ttl = Math.min(ttl, rr.ttl);
      }
    } catch (error) {
      if (error instanceof DnsQueryError) return null;
      throw error;
    }
  }
  return { records: [...records].sort(), ttl: Number.isFinite(ttl) ? ttl : 0 };
}
