/**
 * probeDelegation against a real hierarchy: NSD root -> Knot "test." -> per-case children, unbound
 * as the resolver, all inside a private network namespace. Each case lives in the one "test."
 * zone (or in a parent zone of its own below it, for the server-failure cases).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DelegationProbe, DnsCheckConfig } from "../../src/dns-checks/index.js";
import { type Hierarchy, RESOLVER, startHierarchy, zoneText } from "./helpers/hierarchy.js";

const OURS = ["ns1.dnscove.test.", "ns2.dnscove.test."];
const OLD = ["ns1.oldprovider.test.", "ns2.oldprovider.test."];
/** A UDP/TCP listener that reads and never answers. */
const BLACKHOLE = "127.0.0.98";
/** Nothing listens here: ICMP port unreachable, i.e. an immediate "connection refused". */
const CLOSED = "127.0.0.99";
/** NSD serving only an unrelated zone: REFUSED for everything else (a lame server). */
const LAME = "127.0.0.30";

const config: DnsCheckConfig = { resolver: RESOLVER, authoritativePort: 53, timeoutMs: 1000, maxQueries: 20 };
/** Worst case for any check: every query of the budget times out one after the other. */
const HARD_BOUND_MS = config.maxQueries * config.timeoutMs;

const soa = (origin: string) => `${origin} IN SOA ns1.nic.test. hostmaster.nic.test. 1 1800 900 604800 60`;
const ns = (owner: string, targets: string[]) => targets.map((t) => `${owner} IN NS ${t}`);
const a = (owner: string, address: string) => `${owner} IN A ${address}`;

const TEST_ZONE = zoneText("test.", [
  soa("test."),
  ...ns("test.", ["ns1.nic.test."]),
  a("ns1.nic.test.", "127.0.0.11"),
  a("ns1.dnscove.test.", "127.0.0.20"),
  a("ns2.dnscove.test.", "127.0.0.21"),
  a("ns1.oldprovider.test.", "127.0.0.30"),
  a("ns2.oldprovider.test.", "127.0.0.31"),
  // notdelegated.test: nothing at all -> NXDOMAIN from the parent.
  ...ns("oldonly.test.", OLD),
  ...ns("mixed.test.", ["ns1.dnscove.test.", "ns1.oldprovider.test."]),
  ...ns("full.test.", OURS),
  ...ns("extra.test.", [...OURS, "ns1.oldprovider.test."]),
  ...ns("cohosted.test.", OURS), // 127.0.0.11 also serves cohosted.test itself
  // Parent zones with problem servers (their children are the checked zones).
  ...ns("lameparent.test.", ["ns1.lameparent.test.", "ns2.lameparent.test."]),
  a("ns1.lameparent.test.", "127.0.0.11"),
  a("ns2.lameparent.test.", LAME),
  ...ns("silentparent.test.", ["ns1.silentparent.test.", "ns2.silentparent.test."]),
  a("ns1.silentparent.test.", "127.0.0.11"),
  a("ns2.silentparent.test.", BLACKHOLE),
  ...ns("closedparent.test.", ["ns1.closedparent.test.", "ns2.closedparent.test."]),
  a("ns1.closedparent.test.", "127.0.0.11"),
  a("ns2.closedparent.test.", CLOSED),
  ...ns("deadparent.test.", ["ns1.deadparent.test."]),
  a("ns1.deadparent.test.", BLACKHOLE),
  ...ns("manyparent.test.", [
    "ns1.manyparent.test.",
    "ns2.manyparent.test.",
    "ns3.manyparent.test.",
    "ns4.manyparent.test.",
  ]),
  ...["ns1", "ns2", "ns3", "ns4"].map((n) => a(`${n}.manyparent.test.`, "127.0.0.11")),
]);

const LAMEPARENT_ZONE = zoneText("lameparent.test.", [
  soa("lameparent.test."),
  ...ns("lameparent.test.", ["ns1.lameparent.test.", "ns2.lameparent.test."]),
  a("ns1.lameparent.test.", "127.0.0.11"),
  a("ns2.lameparent.test.", LAME),
  ...ns("child.lameparent.test.", OURS),
]);

/** A parent zone whose second server is `second`; its child is delegated mixed (one ours, one old). */
function parentWithSecondServer(origin: string, second: string): string {
  return zoneText(origin, [
    soa(origin),
    ...ns(origin, [`ns1.${origin}`, `ns2.${origin}`]),
    a(`ns1.${origin}`, "127.0.0.11"),
    a(`ns2.${origin}`, second),
    ...ns(`child.${origin}`, ["ns1.dnscove.test.", "ns1.oldprovider.test."]),
  ]);
}

const MANYPARENT_ZONE = zoneText("manyparent.test.", [
  soa("manyparent.test."),
  ...ns("manyparent.test.", [
    "ns1.manyparent.test.",
    "ns2.manyparent.test.",
    "ns3.manyparent.test.",
    "ns4.manyparent.test.",
  ]),
  ...["ns1", "ns2", "ns3", "ns4"].map((n) => a(`${n}.manyparent.test.`, "127.0.0.11")),
  ...ns("child.manyparent.test.", OURS),
]);

const COHOSTED_ZONE = zoneText("cohosted.test.", [soa("cohosted.test."), ...ns("cohosted.test.", OURS)]);

let h: Hierarchy;

beforeAll(async () => {
  h = await startHierarchy({
    label: "deleg",
    parentZones: [
      { origin: "test.", text: TEST_ZONE },
      { origin: "lameparent.test.", text: LAMEPARENT_ZONE },
      { origin: "silentparent.test.", text: parentWithSecondServer("silentparent.test.", BLACKHOLE) },
      { origin: "closedparent.test.", text: parentWithSecondServer("closedparent.test.", CLOSED) },
      { origin: "manyparent.test.", text: MANYPARENT_ZONE },
      { origin: "cohosted.test.", text: COHOSTED_ZONE },
    ],
    servers: [
      {
        kind: "nsd",
        name: "lame",
        addresses: [LAME],
        zones: [
          {
            origin: "unrelated.test.",
            text: zoneText("unrelated.test.", [
              soa("unrelated.test."),
              ...ns("unrelated.test.", ["ns1.nic.test."]),
            ]),
          },
        ],
      },
    ],
    fakes: [`blackhole=${BLACKHOLE}`],
  });
}, 60_000);

afterAll(async () => {
  await h?.close();
});

async function check(
  origin: string,
  expected = OURS,
): Promise<{ result: DelegationProbe; elapsedMs: number }> {
  const out = await h.runCheck<DelegationProbe>({ op: "delegation", origin, expected, config });
  if (!out.result) throw new Error(`no result: ${JSON.stringify(out)}`);
  return { result: out.result, elapsedMs: out.elapsedMs };
}

describe("probeDelegation against a real hierarchy", () => {
  it("sanity: the parent really answers with a referral (aa=0, NS in AUTHORITY)", async () => {
    const out = await h.dig(["@127.0.0.11", "full.test", "NS", "+norec"]);
    expect(out).toMatch(/flags: qr;/);
    expect(out).toMatch(/AUTHORITY: 2/);
  });

  it("not delegated: the parent answers NXDOMAIN", async () => {
    const { result, elapsedMs } = await check("notdelegated.test");
    expect(result).toMatchObject({
      origin: "notdelegated.test.",
      delegated: false,
      expected: OURS,
      found: [],
      missing: OURS,
      extra: [],
      servers: [{ name: "ns1.nic.test.", address: "127.0.0.11", answered: true }],
    });
    expect(result.error).toBeUndefined();
    expect(elapsedMs).toBeLessThan(config.timeoutMs);
  });

  it("delegated to the old provider only", async () => {
    const { result, elapsedMs } = await check("oldonly.test");
    expect(result).toMatchObject({ delegated: false, found: OLD, missing: OURS, extra: OLD });
    expect(result.servers).toEqual([{ name: "ns1.nic.test.", address: "127.0.0.11", answered: true }]);
    expect(elapsedMs).toBeLessThan(config.timeoutMs);
  });

  it("mixed: one of ours and one old", async () => {
    const { result } = await check("mixed.test");
    expect(result).toMatchObject({
      delegated: false,
      found: ["ns1.dnscove.test.", "ns1.oldprovider.test."],
      missing: ["ns2.dnscove.test."],
      extra: ["ns1.oldprovider.test."],
    });
  });

  it("fully delegated to ours (expected names are canonicalised: case, missing trailing dot)", async () => {
    const { result, elapsedMs } = await check("FULL.test.", ["NS2.dnscove.TEST", "ns1.dnscove.test"]);
    expect(result).toMatchObject({
      origin: "full.test.",
      delegated: true,
      expected: OURS,
      found: OURS,
      missing: [],
      extra: [],
    });
    expect(result.error).toBeUndefined();
    expect(elapsedMs).toBeLessThan(config.timeoutMs);
  });

  it("delegated to all of ours plus an old server: delegated, with the old one in extra", async () => {
    const { result } = await check("extra.test");
    expect(result).toMatchObject({ delegated: true, missing: [], extra: ["ns1.oldprovider.test."] });
  });

  it("parent also authoritative for the child: the NS set comes as an answer, not a referral", async () => {
    const { result } = await check("cohosted.test");
    expect(result).toMatchObject({ delegated: true, found: OURS, missing: [] });
  });

  it("a lame parent server (answers REFUSED) is reported; the other one decides", async () => {
    const { result, elapsedMs } = await check("child.lameparent.test");
    expect(result).toMatchObject({ delegated: true, found: OURS, missing: [] });
    expect(result.servers).toHaveLength(2);
    expect(result.servers[0]).toEqual({
      name: "ns1.lameparent.test.",
      address: "127.0.0.11",
      answered: true,
    });
    expect(result.servers[1]).toMatchObject({ name: "ns2.lameparent.test.", address: LAME, answered: false });
    expect(result.servers[1]?.error).toMatch(/lame.*REFUSED/);
    expect(elapsedMs).toBeLessThan(config.timeoutMs);
  });

  const MIXED_FOUND = ["ns1.dnscove.test.", "ns1.oldprovider.test."];

  /**
   * What a check reports when one parent server is broken depends on the recursive resolver too:
   * unbound may give up on the parent's NS set, or on the broken server's address, while it waits
   * for that same server. Every outcome must be a bounded, not-delegated answer that says why.
   */
  const expectBrokenParentServer = (
    result: Awaited<ReturnType<typeof check>>["result"],
    server: string,
    address: string,
    error: string,
  ) => {
    expect(result.delegated).toBe(false);
    if (result.error !== undefined) {
      // The resolver could not find the parent's servers, or none of them answered in time (a
      // loaded machine can delay the working one past the timeout too): still bounded and explained.
      expect(result.error).toMatch(/parent zone|resolver/);
      expect(result.found).toEqual([]);
      return;
    }
    // The working server decides; the broken one is reported as not answering.
    expect(result).toMatchObject({ found: MIXED_FOUND, missing: ["ns2.dnscove.test."] });
    const [first, second] = [...result.servers].sort((x, y) => x.name.localeCompare(y.name));
    expect(first).toEqual({ name: server.replace("ns2", "ns1"), address: "127.0.0.11", answered: true });
    expect(second).toMatchObject({ name: server, answered: false });
    if (second?.address === address) expect(second.error).toBe(error);
    else expect(second?.address).toBe("");
  };

  it("a parent server that never answers: reported after one timeout, the other server decides", async () => {
    const { result, elapsedMs } = await check("child.silentparent.test");
    expectBrokenParentServer(
      result,
      "ns2.silentparent.test.",
      BLACKHOLE,
      `no answer over UDP within ${config.timeoutMs} ms`,
    );
    // Parent servers are asked in parallel: one timeout, plus the resolver's work (which may
    // itself wait for the silent server).
    expect(elapsedMs).toBeLessThan(3 * config.timeoutMs + 500);
  });

  it("a parent server with nothing listening: reported at once (ICMP port unreachable)", async () => {
    const { result, elapsedMs } = await check("child.closedparent.test");
    expectBrokenParentServer(
      result,
      "ns2.closedparent.test.",
      CLOSED,
      "connection refused (nothing listening)",
    );
    // No wait for our own query; only the resolver may have waited for the closed server.
    expect(elapsedMs).toBeLessThan(3 * config.timeoutMs + 500);
  });

  it("every parent server silent: the resolver cannot find them; a clear error within the bound", async () => {
    const { result, elapsedMs } = await check("child.deadparent.test");
    expect(result.delegated).toBe(false);
    expect(result.found).toEqual([]);
    expect(result.missing).toEqual(OURS);
    expect(result.error).toMatch(/could not find the parent zone's servers/);
    // The resolver question is retried once on timeout: at most two timeouts.
    expect(elapsedMs).toBeLessThan(2 * config.timeoutMs + 500);
    expect(elapsedMs).toBeLessThan(HARD_BOUND_MS);
  });

  it("a parent with four servers: at most three are asked", async () => {
    const { result } = await check("child.manyparent.test");
    expect(result).toMatchObject({ delegated: true, found: OURS });
    expect(result.servers.map((s) => s.name)).toEqual([
      "ns1.manyparent.test.",
      "ns2.manyparent.test.",
      "ns3.manyparent.test.",
    ]);
  });

  it("a tiny query budget ends the check with an error instead of an answer", async () => {
    const out = await h.runCheck<DelegationProbe>({
      op: "delegation",
      origin: "child.lameparent.test",
      expected: OURS,
      config: { ...config, maxQueries: 2 },
    });
    expect(out.result?.delegated).toBe(false);
    expect(out.result?.error).toMatch(/budget of 2 exhausted/);
  });
});
