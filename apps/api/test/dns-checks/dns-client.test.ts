/**
 * queryDns against misbehaving servers (helpers/fake-dns-servers.mjs) and a real Knot, inside a
 * private network namespace: TC -> TCP retry, ignored non-matching datagrams, the EDNS fallback,
 * timeouts, ICMP "nothing listening", and the query budget.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Hierarchy, startHierarchy, zoneText } from "./helpers/hierarchy.js";

interface QuerySummary {
  rcode: string;
  aa: boolean;
  tc: boolean;
  edns: boolean;
  transport: "udp" | "tcp";
  attempts: number;
  answers: { name: string; type: string; ttl: number; rdata: string }[];
  authorities: { name: string; type: string; ttl: number; rdata: string }[];
}

const TRUNCATE = "127.0.0.41";
const NOISE = "127.0.0.42";
const NOEDNS = "127.0.0.43";
const BLACKHOLE = "127.0.0.98";
const CLOSED = "127.0.0.99";

let h: Hierarchy;

beforeAll(async () => {
  h = await startHierarchy({
    label: "client",
    parentZones: [
      {
        origin: "test.",
        text: zoneText("test.", [
          "test. IN SOA ns1.nic.test. hostmaster.nic.test. 1 1800 900 604800 60",
          "test. IN NS ns1.nic.test.",
          "ns1.nic.test. IN A 127.0.0.11",
          "child.test. IN NS ns1.child.test.",
          "ns1.child.test. IN A 192.0.2.53",
        ]),
      },
    ],
    fakes: [`truncate=${TRUNCATE}`, `noise=${NOISE}`, `noedns=${NOEDNS}`, `blackhole=${BLACKHOLE}`],
  });
}, 60_000);

afterAll(async () => {
  await h?.close();
});

function query(host: string, name: string, type: string, timeoutMs = 1000, maxQueries = 5) {
  return h.runCheck<QuerySummary>({
    op: "query",
    server: { host, port: 53 },
    name,
    type,
    timeoutMs,
    maxQueries,
  });
}

describe("queryDns", () => {
  it("retries over TCP when the UDP answer is truncated (RFC 7766)", async () => {
    const out = await query(TRUNCATE, "tc.example.", "A");
    expect(out.result).toMatchObject({ transport: "tcp", attempts: 2, rcode: "NOERROR" });
    expect(out.result?.answers.map((a) => a.rdata)).toEqual(["192.0.2.1"]);
    expect(out.budgetUsed).toBe(2);
  });

  it("ignores datagrams with another ID or another question and takes the matching one", async () => {
    const out = await query(NOISE, "noise.example.", "A");
    expect(out.result).toMatchObject({ transport: "udp", attempts: 1 });
    expect(out.result?.answers).toEqual([{ name: "noise.example.", type: "A", ttl: 60, rdata: "192.0.2.7" }]);
  });

  it("asks again without EDNS when the server answers FORMERR to an OPT record (RFC 6891)", async () => {
    const out = await query(NOEDNS, "old.example.", "A");
    expect(out.result).toMatchObject({ rcode: "NOERROR", edns: false, attempts: 2 });
    expect(out.result?.answers.map((a) => a.rdata)).toEqual(["192.0.2.8"]);
    expect(out.budgetUsed).toBe(2);
  });

  it("a server that never answers: timeout after timeoutMs, not later", async () => {
    const out = await query(BLACKHOLE, "x.example.", "A", 300);
    expect(out.error).toMatchObject({ kind: "timeout", message: "no answer over UDP within 300 ms" });
    expect(out.elapsedMs).toBeGreaterThanOrEqual(290);
    expect(out.elapsedMs).toBeLessThan(800);
  });

  it("nothing listening: fails at once with connection refused", async () => {
    const out = await query(CLOSED, "x.example.", "A", 5000);
    expect(out.error).toMatchObject({ kind: "network", message: "connection refused (nothing listening)" });
    expect(out.elapsedMs).toBeLessThan(500);
  });

  it("a budget too small for the TCP retry fails with kind budget", async () => {
    const out = await query(TRUNCATE, "tc.example.", "A", 1000, 1);
    expect(out.error).toMatchObject({ kind: "budget" });
    expect(out.budgetUsed).toBe(1);
  });

  it("a real Knot referral: mixed-case question accepted, NS set in the authority section", async () => {
    const out = await query("127.0.0.11", "WWW.Child.TEST.", "A");
    expect(out.result).toMatchObject({ rcode: "NOERROR", aa: false, answers: [] });
    expect(out.result?.authorities).toEqual([
      { name: "child.test.", type: "NS", ttl: 3600, rdata: "ns1.child.test." },
    ]);
  });

  it("refuses a hostname as server address (it would go to the machine's resolver)", async () => {
    const out = await query("localhost", "x.example.", "A");
    expect(out.error).toMatchObject({
      kind: "network",
      message: expect.stringMatching(/must be an IP address/),
    });
    expect(out.budgetUsed).toBe(0);
  });
});
