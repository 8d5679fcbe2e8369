/**
 * A signed, validating DNS world for DNSSEC end-to-end tests (issue 16), built on the dns-checks
 * hierarchy started with `dnssec: true` (hierarchy.ts), all in a private network namespace:
 *   127.0.0.10:53  NSD    the root ".", signed (BIND, NSEC); its KSK is the only trust anchor
 *   127.0.0.11:53  Knot   the parent "test.", signed (BIND, NSEC3 per RFC 9276), holding the
 *                         delegations (NS, glue, DS) `delegateChild` writes
 *   127.0.0.1:53   unbound, validating; also the namespace's resolver for anything started in it
 * plus the servers of the child zones, which a test adds with `world.h.addServer(...)`: today Knot
 * and NSD serving zone texts signed by @dnscove/dnssec; next, the API's embedded edge and Knot/NSD
 * secondaries fed by its transfers (see the bridge notes at `startSignedWorld`).
 *
 * Every change (`delegateChild`, `removeDelegation`, `serveChild`) returns once every server
 * concerned serves the new SOA serial, and flushes the resolver's caches, so the next question is
 * answered from the world as it is now. Validators: `resolve` (unbound, AD/rcode/EDE), `delv`
 * (independent validation from the root anchor), `dnsviz` (probe + grok, errors and warnings).
 */
import { existsSync } from "node:fs";
import {
  type Hierarchy,
  PARENT_ADDRESS,
  soaSerial,
  startHierarchy,
  zoneText,
} from "../../dns-checks/helpers/hierarchy.js";
import { requireTools } from "../../dns-checks/helpers/netns.js";
import {
  type DelvResult,
  type DnsvizResult,
  delv,
  dnsviz,
  PYTHON,
  type ResolverAnswer,
  resolve,
  VALIDATOR_TOOLS,
} from "./validators.js";

export interface Delegation {
  /** Absolute NS target names, e.g. ["ns1.signed.test.", "ns2.signed.test."]. */
  nameservers: readonly string[];
  /**
   * Address records the parent holds for server names, name → IPv4 addresses: glue for names
   * below the cut (unsigned), ordinary signed data for other names in "test." (e.g.
   * ns1.dnscove.test.). Several delegations may name the same server; give its address once.
   */
  glue?: Readonly<Record<string, readonly string[]>>;
  /** DS RDATA ("<key tag> <alg> <digest type> <hex digest>"); none = an insecure delegation. */
  ds?: readonly string[];
}

export interface SignedWorld {
  h: Hierarchy;
  /**
   * Makes the signed parent "test." delegate `origin` (absolute, e.g. "signed.test.") as given,
   * replacing any earlier delegation of it; the parent is re-signed, served at a new serial, and
   * the resolver flushed. `ds: []` makes the delegation insecure (the parent's NSEC3 proves no DS).
   */
  delegateChild(origin: string, delegation: Delegation): Promise<void>;
  /** Replaces only the DS records of an existing delegation (KSK rollover, going insecure). */
  setDs(origin: string, ds: readonly string[]): Promise<void>;
  /** Removes the delegation of `origin` from the parent (its names then do not exist). */
  removeDelegation(origin: string): Promise<void>;
  /**
   * Makes a server started with `h.addServer` serve `text` for `origin` (a primary zone file; see
   * Hierarchy.serveZone), then waits for that serial on every `followers` address (its
   * secondaries, fed by NOTIFY + IXFR/AXFR) and flushes the resolver.
   */
  serveChild(server: string, origin: string, text: string, followers?: readonly string[]): Promise<void>;
  /** The parent's current text for "test." (unsigned), for a failing test's message. */
  parentText(): string;
  resolve(name: string, type: string): Promise<ResolverAnswer>;
  delv(name: string, type: string): Promise<DelvResult>;
  dnsviz(names: readonly string[]): Promise<DnsvizResult>;
  close(): Promise<void>;
}

const absolute = (name: string) => (name.endsWith(".") ? name.toLowerCase() : `${name.toLowerCase()}.`);

function parentZone(
  serial: number,
  extraLines: readonly string[],
  delegations: ReadonlyMap<string, Delegation>,
): string {
  const glue = new Map<string, Set<string>>();
  for (const d of delegations.values())
    for (const [name, addresses] of Object.entries(d.glue ?? {})) {
      const set = glue.get(absolute(name)) ?? new Set<string>();
      for (const a of addresses) set.add(a);
      glue.set(absolute(name), set);
    }
  return zoneText("test.", [
    `test. IN SOA ns1.nic.test. hostmaster.nic.test. ${serial} 1800 900 604800 60`,
    "test. IN NS ns1.nic.test.",
    `ns1.nic.test. IN A ${PARENT_ADDRESS}`,
    ...extraLines,
    ...[...delegations].flatMap(([origin, d]) => [
      ...d.nameservers.map((ns) => `${origin} IN NS ${absolute(ns)}`),
      ...(d.ds ?? []).map((ds) => `${origin} IN DS ${ds}`),
    ]),
    ...[...glue].flatMap(([name, addresses]) => [...addresses].map((a) => `${name} IN A ${a}`)),
  ]);
}

/**
 * Starts the signed world. For the next step (the real API's edge as the child's server), after
 * h27 and h28 have merged:
 *
 *   const world = await startSignedWorld({ label: "edge-dnssec" });
 *   const api = await startApiInNetns({
 *     netns: world.h.ns.name,
 *     env: {
 *       ...hierarchyApiEnv({ edge: { host: "127.0.0.20", port: 53 },
 *                            nameservers: ["ns1.dnscove.test.", "ns2.dnscove.test."], resolver: RESOLVER }),
 *       DNSCOVE_SECONDARIES: "127.0.0.41:53,127.0.0.42:53",  // the edge NOTIFYs them
 *     },
 *   });
 *   // ... create the zone "shop.test", add records, enable DNSSEC, publish; read the DS from the API.
 *   await world.h.addServer({ kind: "knot", name: "sec-knot", addresses: ["127.0.0.41"],
 *     zones: [{ origin: "shop.test.", primary: { host: "127.0.0.20", port: 53 } }] });
 *   await world.h.addServer({ kind: "nsd", name: "sec-nsd", addresses: ["127.0.0.42"],
 *     zones: [{ origin: "shop.test.", primary: { host: "127.0.0.20", port: 53 } }] });
 *   await world.delegateChild("shop.test.", {
 *     nameservers: ["ns1.dnscove.test.", "ns2.dnscove.test.", "ns3.dnscove.test."],
 *     glue: { "ns1.dnscove.test.": ["127.0.0.20"], "ns2.dnscove.test.": ["127.0.0.41"],
 *             "ns3.dnscove.test.": ["127.0.0.42"] },
 *     ds: dsFromApi,            // the RDATA strings GET /api/zones/{id}/dnssec shows
 *   });
 *   expect((await world.resolve("www.shop.test.", "A")).ad).toBe(true);
 *
 * After a publish, wait for the new serial on the edge and each secondary
 * (`world.h.waitForSerial(address, "shop.test.", serial)`) and call `world.h.flushResolver()`
 * before asking again. To test one server alone, delegate to it alone.
 */
export async function startSignedWorld(options: {
  label: string;
  /** More records of "test." (absolute names), e.g. address records of shared server names. */
  parentLines?: readonly string[];
}): Promise<SignedWorld> {
  requireTools(VALIDATOR_TOOLS);
  if (!existsSync(PYTHON)) throw new Error(`dnsviz needs Debian's ${PYTHON}: scripts/install-test-peers.sh`);
  const extraLines = options.parentLines ?? [];
  const delegations = new Map<string, Delegation>();
  let serial = 1;
  const h = await startHierarchy({
    label: options.label,
    dnssec: true,
    parentZones: [{ origin: "test.", text: parentZone(serial, extraLines, delegations) }],
  });
  const republishParent = async () => {
    serial++;
    await h.serveParentZone("test.", parentZone(serial, extraLines, delegations));
  };
  return {
    h,
    async delegateChild(origin, delegation) {
      delegations.set(absolute(origin), delegation);
      await republishParent();
    },
    async setDs(origin, ds) {
      const current = delegations.get(absolute(origin));
      if (!current) throw new Error(`the parent does not delegate ${origin}`);
      delegations.set(absolute(origin), { ...current, ds });
      await republishParent();
    },
    async removeDelegation(origin) {
      delegations.delete(absolute(origin));
      await republishParent();
    },
    async serveChild(server, origin, text, followers = []) {
      await h.serveZone(server, origin, text);
      for (const address of followers) await h.waitForSerial(address, origin, soaSerial(text));
      await h.flushResolver();
    },
    parentText: () => parentZone(serial, extraLines, delegations),
    resolve: (name, type) => resolve(h, name, type),
    delv: (name, type) => delv(h, name, type),
    dnsviz: (names) => dnsviz(h, names),
    close: () => h.close(),
  };
}
