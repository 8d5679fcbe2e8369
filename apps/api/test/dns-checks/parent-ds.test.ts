/**
 * probeParentDs (issue 16: the dnssec job's view of the parent) against a real hierarchy: NSD root
 * -> Knot "test." holding DS records for some children -> unbound as the resolver, in a private
 * network namespace. A KSK rollover ends, and going insecure finishes, only on what this answers.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DnsCheckConfig } from "../../src/dns-checks/index.js";
import type { ParentDs } from "../../src/domain/dnssec/maintain-dnssec.js";
import { type Hierarchy, RESOLVER, startHierarchy, zoneText } from "./helpers/hierarchy.js";

const config: DnsCheckConfig = { resolver: RESOLVER, authoritativePort: 53, timeoutMs: 1000, maxQueries: 20 };
const OURS = ["ns1.dnscove.test.", "ns2.dnscove.test."];
const DS1 = "12345 13 2 E2D3C916F6DEEAC73294E8268FB5885044A833FC5459588F4A9184CFC41A5766";
const DS2 = "54321 15 2 0A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4E5F60718293A4B5C6D7E8F9";
/** A UDP/TCP listener that reads and never answers. */
const BLACKHOLE = "127.0.0.98";

const soa = (origin: string) => `${origin} IN SOA ns1.nic.test. hostmaster.nic.test. 1 1800 900 604800 60`;
const ns = (owner: string, targets: string[]) => targets.map((t) => `${owner} IN NS ${t}`);

let h: Hierarchy;

beforeAll(async () => {
  h = await startHierarchy({
    label: "parentds",
    parentZones: [
      {
        origin: "test.",
        text: zoneText("test.", [
          soa("test."),
          ...ns("test.", ["ns1.nic.test."]),
          "ns1.nic.test. IN A 127.0.0.11",
          "ns1.dnscove.test. IN A 127.0.0.20",
          "ns2.dnscove.test. IN A 127.0.0.21",
          ...ns("signed.test.", OURS),
          `signed.test. 7200 IN DS ${DS1}`,
          ...ns("rolling.test.", OURS),
          `rolling.test. IN DS ${DS1}`,
          `rolling.test. IN DS ${DS2}`,
          ...ns("unsigned.test.", OURS),
          ...ns("silentparent.test.", ["ns1.silentparent.test."]),
          `ns1.silentparent.test. IN A ${BLACKHOLE}`,
        ]),
      },
    ],
    fakes: [`blackhole=${BLACKHOLE}`],
  });
}, 60_000);

afterAll(async () => {
  await h?.close();
});

async function parentDs(origin: string): Promise<ParentDs> {
  const out = await h.runCheck<ParentDs>({ op: "parentDs", origin, config });
  if (out.thrown) throw new Error(JSON.stringify(out.thrown));
  return out.result ?? null;
}

describe("the parent's DS set", () => {
  it("reads the DS records and their TTL", async () => {
    expect(await parentDs("signed.test.")).toEqual({ records: [DS1], ttl: 7200 });
  });

  it("reads every DS of a rollover in progress", async () => {
    expect(await parentDs("rolling.test.")).toEqual({ records: [DS1, DS2].sort(), ttl: 3600 });
  });

  it("answers an empty set when the parent has no DS (insecure delegation)", async () => {
    expect(await parentDs("unsigned.test.")).toEqual({ records: [], ttl: 0 });
  });

  it("answers null (unknown: keep waiting) when the parent's servers do not answer", async () => {
    expect(await parentDs("child.silentparent.test.")).toBeNull();
  });
});
