/**
 * probeParity against real servers: "ours" is Knot at 127.0.0.20 (ns1.dnscove.test.), the old
 * provider is NSD at 127.0.0.30 (ns1.oldprovider.test.), both serving per-case zones generated
 * from one fixture; the old provider's server names are resolved through unbound and the fake
 * hierarchy, all inside a private network namespace.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DnsCheckConfig, ParityInput, ParityProbe, ParityRrset } from "../../src/dns-checks/index.js";
import { type Hierarchy, RESOLVER, startHierarchy, zoneText } from "./helpers/hierarchy.js";

const OURS_ADDRESS = "127.0.0.20";
const THEIRS_ADDRESS = "127.0.0.30";
const BLACKHOLE = "127.0.0.98";
const CLOSED = "127.0.0.99";
const OURS_NS = ["ns1.dnscove.test.", "ns2.dnscove.test."];
const THEIR_NS = ["ns1.oldprovider.test."];

const config: DnsCheckConfig = { resolver: RESOLVER, authoritativePort: 53, timeoutMs: 1000, maxQueries: 20 };

/** The zone as we publish it (SOA and apex NS included, as in a snapshot). */
function fixture(o: string): ParityRrset[] {
  const big = Array.from(
    { length: 40 },
    (_, i) => `"record ${String(i).padStart(2, "0")} ${"x".repeat(40)}"`,
  );
  return [
    {
      name: o,
      type: "SOA",
      ttl: 3600,
      records: ["ns1.dnscove.test. hostmaster.dnscove.test. 1 7200 3600 1209600 300"],
    },
    { name: o, type: "NS", ttl: 3600, records: OURS_NS },
    { name: o, type: "A", ttl: 300, records: ["192.0.2.1"] },
    { name: o, type: "MX", ttl: 300, records: [`10 mail.${o}`, "20 backup-mx.example.net."] },
    { name: o, type: "TXT", ttl: 300, records: ['"v=spf1 -all"'] },
    { name: o, type: "CAA", ttl: 300, records: ['0 issue "letsencrypt.org"'] },
    { name: `www.${o}`, type: "A", ttl: 300, records: ["192.0.2.2", "192.0.2.3"] },
    { name: `www.${o}`, type: "AAAA", ttl: 300, records: ["2001:db8::2"] },
    { name: `mail.${o}`, type: "A", ttl: 300, records: ["192.0.2.25"] },
    { name: `alias.${o}`, type: "CNAME", ttl: 300, records: [`www.${o}`] },
    { name: `_sip._tcp.${o}`, type: "SRV", ttl: 300, records: [`10 5 5060 sip.${o}`] },
    { name: `txt.${o}`, type: "TXT", ttl: 300, records: ['"hello world" "second chunk"'] },
    // Larger than the 1232-octet EDNS buffer: both servers truncate over UDP, the client retries over TCP.
    { name: `big.${o}`, type: "TXT", ttl: 300, records: big },
    // A delegation inside the zone (out-of-zone target) and one with in-zone glue: both sides
    // answer these with referrals.
    { name: `sub.${o}`, type: "NS", ttl: 3600, records: ["ns1.elsewhere.test."] },
    { name: `dsub.${o}`, type: "NS", ttl: 3600, records: [`ns1.dsub.${o}`] },
    { name: `ns1.dsub.${o}`, type: "A", ttl: 3600, records: ["192.0.2.53"] },
    { name: `*.wild.${o}`, type: "A", ttl: 300, records: ["192.0.2.99"] },
  ];
}
/** Rrsets compared per run: the fixture minus SOA and apex NS. */
const COMPARED = fixture("x.").length - 2;
/** Probes: one random non-existent name, one name under *.wild. */
const PROBES = 2;

type Edit = (rrsets: ParityRrset[], o: string) => ParityRrset[];
const same: Edit = (r) => r;
const replace =
  (name: string, type: string, change: Partial<ParityRrset>): Edit =>
  (rrsets, o) =>
    rrsets.map((r) => (r.name === `${name}${o}` && r.type === type ? { ...r, ...change } : r));
const remove =
  (name: string, type: string): Edit =>
  (rrsets, o) =>
    rrsets.filter((r) => !(r.name === `${name}${o}` && r.type === type));

/** Per case: what our server serves and what the old provider serves (the input is always the fixture). */
const CASES: Record<string, { ours: Edit; theirs: Edit }> = {
  "p-match.test.": { ours: same, theirs: same },
  "p-changed.test.": { ours: same, theirs: replace("www.", "A", { records: ["192.0.2.2", "192.0.2.30"] }) },
  "p-missing.test.": { ours: remove("mail.", "A"), theirs: remove("txt.", "TXT") },
  "p-ttl.test.": { ours: same, theirs: replace("www.", "A", { ttl: 600 }) },
  "p-wild.test.": { ours: same, theirs: replace("*.wild.", "A", { records: ["192.0.2.98"] }) },
};

function zoneOf(origin: string, rrsets: ParityRrset[], side: "ours" | "theirs"): string {
  const soa =
    side === "ours"
      ? "ns1.dnscove.test. hostmaster.dnscove.test. 2026112801 7200 3600 1209600 300"
      : "ns1.oldprovider.test. hostmaster.oldprovider.test. 7 7200 3600 1209600 300";
  const ns = side === "ours" ? OURS_NS : THEIR_NS;
  const lines = rrsets
    .filter((r) => !(r.name === origin && (r.type === "SOA" || r.type === "NS")))
    .flatMap((r) => r.records.map((record) => `${r.name} ${r.ttl} IN ${r.type} ${record}`));
  return zoneText(origin, [
    `${origin} 3600 IN SOA ${soa}`,
    ...ns.map((n) => `${origin} 3600 IN NS ${n}`),
    ...lines,
  ]);
}

function zonesFor(side: "ours" | "theirs") {
  return Object.entries(CASES).map(([origin, edits]) => ({
    origin,
    text: zoneOf(origin, edits[side](fixture(origin), origin), side),
  }));
}

const TEST_ZONE = zoneText("test.", [
  "test. IN SOA ns1.nic.test. hostmaster.nic.test. 1 1800 900 604800 60",
  "test. IN NS ns1.nic.test.",
  "ns1.nic.test. IN A 127.0.0.11",
  `ns1.dnscove.test. IN A ${OURS_ADDRESS}`,
  "ns2.dnscove.test. IN A 127.0.0.21",
  `ns1.oldprovider.test. IN A ${THEIRS_ADDRESS}`,
  `nsdown.oldprovider.test. IN A ${CLOSED}`,
  `nsdead.oldprovider.test. IN A ${BLACKHOLE}`,
  ...Object.keys(CASES).map((origin) => `${origin} IN NS ns1.oldprovider.test.`),
]);

let h: Hierarchy;

beforeAll(async () => {
  h = await startHierarchy({
    label: "parity",
    parentZones: [{ origin: "test.", text: TEST_ZONE }],
    servers: [
      { kind: "knot", name: "ours", addresses: [OURS_ADDRESS, "127.0.0.21"], zones: zonesFor("ours") },
      { kind: "nsd", name: "oldprovider", addresses: [THEIRS_ADDRESS], zones: zonesFor("theirs") },
    ],
    fakes: [`blackhole=${BLACKHOLE}`],
  });
}, 60_000);

afterAll(async () => {
  await h?.close();
});

async function parity(
  origin: string,
  overrides: Partial<ParityInput> = {},
  cfg: DnsCheckConfig = config,
): Promise<{ result: ParityProbe; elapsedMs: number }> {
  const input: ParityInput = {
    origin,
    rrsets: fixture(`${origin}.`),
    oldNameservers: THEIR_NS,
    ours: { host: OURS_ADDRESS, port: 53 },
    budget: 2000,
    ...overrides,
  };
  const out = await h.runCheck<ParityProbe>({ op: "parity", input, config: cfg });
  if (!out.result) throw new Error(`no result: ${JSON.stringify(out)}`);
  return { result: out.result, elapsedMs: out.elapsedMs };
}

const PROBE = /^dnscove-parity-[0-9a-f]{12}\./;

describe("probeParity against a real old-provider server", () => {
  it("sanity: the big rrset is truncated over UDP by both servers and comes whole over TCP", async () => {
    for (const host of [OURS_ADDRESS, THEIRS_ADDRESS]) {
      const out = await h.runCheck<{ transport: string; answers: unknown[]; attempts: number }>({
        op: "query",
        server: { host, port: 53 },
        name: "big.p-match.test.",
        type: "TXT",
        timeoutMs: 1000,
        maxQueries: 5,
      });
      expect(out.result).toMatchObject({ transport: "tcp", attempts: 2 });
      expect(out.result?.answers).toHaveLength(40);
    }
  });

  it("all match: every rrset and both probes agree; SOA and apex NS are not compared", async () => {
    const { result, elapsedMs } = await parity("p-match.test");
    expect(result).toEqual({
      origin: "p-match.test.",
      matches: true,
      checked: COMPARED + PROBES,
      mismatched: 0,
      truncated: false,
      mismatches: [],
      ttlDifferences: [],
      theirServers: ["ns1.oldprovider.test. (127.0.0.30)"],
    });
    expect(elapsedMs).toBeLessThan(config.timeoutMs);
  });

  it("one value changed: the mismatch lists both sides' canonical records", async () => {
    const { result } = await parity("p-changed.test");
    expect(result).toMatchObject({
      matches: false,
      checked: COMPARED + PROBES,
      mismatched: 1,
      truncated: false,
    });
    expect(result.mismatches).toEqual([
      {
        name: "www.p-changed.test.",
        type: "A",
        ours: ["192.0.2.2", "192.0.2.3"],
        theirs: ["192.0.2.2", "192.0.2.30"],
      },
    ]);
  });

  it("one rrset missing on each side", async () => {
    const { result } = await parity("p-missing.test");
    expect(result).toMatchObject({ matches: false, mismatched: 2, truncated: false });
    expect(result.mismatches).toEqual([
      // Published but not (yet) served by our edge.
      { name: "mail.p-missing.test.", type: "A", ours: [], theirs: ["192.0.2.25"] },
      // Served by us, absent at the old provider.
      { name: "txt.p-missing.test.", type: "TXT", ours: ['"hello world" "second chunk"'], theirs: [] },
    ]);
  });

  it("TTL-only difference: reported separately, still matches", async () => {
    const { result } = await parity("p-ttl.test");
    expect(result).toMatchObject({ matches: true, mismatched: 0, mismatches: [] });
    expect(result.ttlDifferences).toEqual([{ name: "www.p-ttl.test.", type: "A", ours: 300, theirs: 600 }]);
  });

  it("a changed wildcard: the rrset and the probe under it both mismatch", async () => {
    const { result } = await parity("p-wild.test");
    expect(result).toMatchObject({ matches: false, mismatched: 2 });
    const rrset = result.mismatches.find((m) => m.name === "*.wild.p-wild.test.");
    const probe = result.mismatches.find((m) => PROBE.test(m.name));
    expect(rrset).toEqual({
      name: "*.wild.p-wild.test.",
      type: "A",
      ours: ["192.0.2.99"],
      theirs: ["192.0.2.98"],
    });
    expect(probe?.name).toMatch(PROBE);
    expect(probe?.name.endsWith(".wild.p-wild.test.")).toBe(true);
    expect(probe?.ours).toEqual(["NOERROR", `${probe?.name} A 192.0.2.99`]);
    expect(probe?.theirs).toEqual(["NOERROR", `${probe?.name} A 192.0.2.98`]);
  });

  it("truncated: a budget smaller than the zone compares that many rrsets (plus the probe)", async () => {
    const { result } = await parity("p-match.test", { budget: 4 });
    expect(result).toMatchObject({ truncated: true, checked: 4 + 1, mismatched: 0, matches: true });
    expect(result.error).toBeUndefined();
  });

  it("truncated while mismatching: only what was compared is reported", async () => {
    const { result } = await parity("p-changed.test", { budget: 4 });
    expect(result).toMatchObject({ truncated: true, checked: 5, mismatched: 0 });
    const full = await parity("p-changed.test", { budget: 5 });
    expect(full.result).toMatchObject({ truncated: true, checked: 6, mismatched: 1 });
  });

  it("one old server down (nothing listening): the other answers, still matches", async () => {
    const { result } = await parity("p-match.test", {
      oldNameservers: ["nsdown.oldprovider.test.", "NS1.oldprovider.test"],
    });
    expect(result).toMatchObject({ matches: true, mismatched: 0, truncated: false });
    expect(result.theirServers).toEqual([
      "nsdown.oldprovider.test. (127.0.0.99)",
      "ns1.oldprovider.test. (127.0.0.30)",
    ]);
  });

  it("the old provider never answers: a clear error after about one timeout, not one per question", async () => {
    const { result, elapsedMs } = await parity("p-match.test", {
      oldNameservers: ["nsdead.oldprovider.test."],
    });
    expect(result).toMatchObject({ matches: false, truncated: true });
    expect(result.error).toMatch(/theirs: no server answers any more/);
    expect(result.checked).toBeLessThan(COMPARED + PROBES);
    // The first batch of questions all wait on the silent server at once: one timeout in all.
    expect(elapsedMs).toBeGreaterThanOrEqual(config.timeoutMs - 50);
    expect(elapsedMs).toBeLessThan(config.timeoutMs + 500);
  });

  it("our edge not listening: stops at once with an error", async () => {
    const { result, elapsedMs } = await parity("p-match.test", { ours: { host: CLOSED, port: 53 } });
    expect(result).toMatchObject({ matches: false, truncated: true });
    expect(result.error).toMatch(/ours: no server answers any more/);
    expect(elapsedMs).toBeLessThan(config.timeoutMs);
  });

  it("an invalid old nameserver name is reported; the valid ones are still asked", async () => {
    const { result } = await parity("p-match.test", { oldNameservers: ["1.2.3.4", "ns1.oldprovider.test."] });
    expect(result).toMatchObject({ matches: true, theirServers: ["ns1.oldprovider.test. (127.0.0.30)"] });
    expect(result.error).toMatch(/"1.2.3.4" is not a valid nameserver name/);
  });

  it("old nameserver names that do not resolve: an error, nothing compared", async () => {
    const { result } = await parity("p-match.test", { oldNameservers: ["nosuch.oldprovider.test."] });
    expect(result).toMatchObject({ matches: false, checked: 0, theirServers: [] });
    expect(result.error).toMatch(
      /no server of the old provider to ask: nosuch.oldprovider.test. has no address/,
    );
  });

  it("maxQueries covers only the overhead: with 0, every question still gets its own allowance", async () => {
    const { result } = await parity("p-match.test", {}, { ...config, maxQueries: 0 });
    expect(result.matches).toBe(true);
  });
});
