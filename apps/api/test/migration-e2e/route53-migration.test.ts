/**
 * A user's migration of shop.test from Route53 to DNSCove, end to end through the REAL API process
 * (`node apps/api/dist/src/main.js`, the embedded default: API + edge in one process) running in a
 * private network namespace with a real DNS hierarchy (helpers/migration-world.ts):
 *   root NSD 127.0.0.10 → parent Knot "test." 127.0.0.11 → shop.test delegated to the old provider
 *   (NSD on 127.0.0.30/.31) and/or to us (the API's edge on 127.0.0.20:53); unbound 127.0.0.1:53 is
 *   the API's resolver (DNSCOVE_RESOLVER).
 * The old provider serves what the Route53 export (fixtures/shop-test.json) holds, as the
 * hand-written fixtures/shop-test.expected.json says the importer must read it. The steps run in
 * order and build on each other; each change of the world (parent delegation, old provider's data)
 * is waited for before the API is asked.
 *
 * Needs root (ip netns) and knotd, knotc, nsd, unbound, dig; it fails loudly without them (never
 * skips): scripts/install-test-peers.sh. Build the API first: pnpm --filter @dnscove/api build.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type ApiInNetns, startApiInNetns } from "@dnscove/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PARENT_ADDRESS, RESOLVER } from "../dns-checks/helpers/hierarchy.js";
import { hierarchyApiEnv } from "./helpers/hierarchy-api-env.js";
import {
  bare,
  type MigrationWorld,
  OLD,
  OLD_ADDRESSES,
  OUR_EDGE,
  OURS,
  type Rrset,
  startMigrationWorld,
} from "./helpers/migration-world.js";

const ORIGIN = "shop.test";
const fixture = (file: string) => fileURLToPath(new URL(`./fixtures/${file}`, import.meta.url));
const EXPORT = readFileSync(fixture("shop-test.json"), "utf8");
const EXPECTED = JSON.parse(readFileSync(fixture("shop-test.expected.json"), "utf8")) as {
  origin: string;
  rrsets: Rrset[];
  skipped: { name: string; type: string; reason: string }[];
  previousNameservers: string[];
};
/**
 * Route53 answers cdn.shop.test (an alias to CloudFront, skipped at import) with CloudFront's
 * addresses at the time; the old provider serves a stand-in. Parity asks about skipped records too,
 * so it is a mismatch until the user hosts a replacement (step 1b).
 */
const OLD_EXTRA = ["cdn.shop.test. 60 IN A 192.0.2.200"];

/**
 * Parity questions: one per imported rrset, one for the replacement of the skipped alias (step 1b),
 * one random non-existent name, one per wildcard.
 */
const PARITY_QUESTIONS =
  EXPECTED.rrsets.length + 1 + 1 + EXPECTED.rrsets.filter((r) => r.name.startsWith("*.")).length;
const THEIR_SERVERS = OLD.map((name, i) => `${name} (${OLD_ADDRESSES[i]})`);
const PARENT_SERVERS = [{ name: "ns1.nic.test", address: PARENT_ADDRESS, answered: true }];
/** Rrsets at or below the zone cut eu.shop.test: the edge answers them with a referral. */
const BELOW_CUT = (name: string) => name === "eu.shop.test." || name.endsWith(".eu.shop.test.");

const isoNow = () =>
  expect.toSatisfy(
    (v: unknown) => typeof v === "string" && Math.abs(Date.parse(v) - Date.now()) < 60_000,
    "an ISO time within the last minute",
  );

let world: MigrationWorld;
let api: ApiInNetns;
let token: string;
let zoneId: string;

beforeAll(async () => {
  // At the start the parent delegates shop.test to the old provider only.
  world = await startMigrationWorld({
    label: "mig",
    origin: ORIGIN,
    delegation: OLD,
    oldRrsets: EXPECTED.rrsets,
    oldExtraLines: OLD_EXTRA,
  });
  api = await startApiInNetns({
    netns: world.h.ns.name,
    env: hierarchyApiEnv({ edge: OUR_EDGE, nameservers: OURS, resolver: RESOLVER }),
  });
  token = await api.signIn("migrating-user@example.test");
}, 120_000);

afterAll(async () => {
  await api?.stop();
  await world?.close();
});

const post = (urlPath: string, body?: unknown) =>
  api.call("POST", urlPath, { bearer: token, ...(body === undefined ? {} : { body }) });

/** One non-recursive query, from inside the namespace, through the dns-checks client. */
interface QueryResult {
  rcode: string;
  aa: boolean;
  answers: { name: string; type: string; ttl: number; rdata: string }[];
  authorities: { name: string; type: string; ttl: number; rdata: string }[];
}
async function query(server: { host: string; port: number }, name: string, type: string, recursive = false) {
  const out = await world.h.runCheck<QueryResult>({
    op: "query",
    server,
    name,
    type,
    timeoutMs: 2000,
    maxQueries: 4,
    recursionDesired: recursive,
  });
  if (!out.result) throw new Error(`query ${name} ${type} @${server.host}: ${JSON.stringify(out)}`);
  return out.result;
}
const absolute = (name: string) => `${name.toLowerCase().replace(/\.$/, "")}.`;
const rdataOf = (records: QueryResult["answers"], name: string, type: string) =>
  records
    .filter((r) => absolute(r.name) === absolute(name) && r.type === type)
    .map((r) => r.rdata)
    .sort();

async function delegation() {
  const response = await post(`/api/zones/${zoneId}/delegation`);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body;
}
async function parity() {
  const response = await post(`/api/zones/${zoneId}/parity`);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body;
}
async function storedStatus() {
  const response = await api.call("GET", `/api/zones/${zoneId}`, { bearer: token });
  expect(response.status).toBe(200);
  return (response.body as { status: string }).status;
}

const matchingParity = (status: string, safe: boolean) => ({
  parity: {
    origin: ORIGIN,
    matches: true,
    checked: PARITY_QUESTIONS,
    mismatched: 0,
    truncated: false,
    mismatches: [],
    ttl_differences: [],
    their_servers: THEIR_SERVERS,
    not_compared: [],
    checked_at: isoNow(),
  },
  safe_to_delete: safe,
  status,
});

describe("Route53 migration of shop.test through the real API process", () => {
  it("1. the export imports (201, published) and the edge answers every imported rrset", async () => {
    const response = await post("/api/import/route53", { json: EXPORT });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    const body = response.body as { zone: { id: string } };
    expect(body).toEqual({
      zone: {
        id: expect.any(String),
        tenant_id: expect.any(String),
        origin: ORIGIN,
        status: "PENDING_VERIFICATION",
        ns: bare(OURS),
        serial: 1,
        published_serial: 1,
        created_at: isoNow(),
        updated_at: isoNow(),
      },
      imported: EXPECTED.rrsets.length,
      skipped: EXPECTED.skipped,
      published: true,
      ns: bare(OURS),
    });
    zoneId = body.zone.id;

    // Our apex: our SOA and our NS set, authoritatively.
    const soa = await query(OUR_EDGE, ORIGIN, "SOA");
    expect(soa).toMatchObject({ rcode: "NOERROR", aa: true });
    expect(rdataOf(soa.answers, ORIGIN, "SOA")).toEqual([
      expect.stringMatching(/^ns1\.dnscove\.test\. hostmaster\.dnscove\.test\. 1 /),
    ]);
    const apexNs = await query(OUR_EDGE, ORIGIN, "NS");
    expect(rdataOf(apexNs.answers, ORIGIN, "NS")).toEqual([...OURS]);

    // Every imported rrset, exactly (records and TTL), as the fixture expects.
    const answers = await Promise.all(EXPECTED.rrsets.map((r) => query(OUR_EDGE, r.name, r.type)));
    EXPECTED.rrsets.forEach((rrset, i) => {
      const answer = answers[i] as QueryResult;
      const what = `${rrset.name} ${rrset.type}: ${JSON.stringify(answer)}`;
      expect(answer.rcode, what).toBe("NOERROR");
      if (BELOW_CUT(rrset.name)) {
        // Delegated away inside the zone: a referral to eu.shop.test's servers.
        expect(answer.aa, what).toBe(false);
        expect(answer.answers, what).toEqual([]);
        expect(rdataOf(answer.authorities, "eu.shop.test", "NS"), what).toEqual(["ns1.eu.shop.test."]);
        return;
      }
      expect(answer.aa, what).toBe(true);
      expect(rdataOf(answer.answers, rrset.name, rrset.type), what).toEqual([...rrset.records].sort());
      expect(
        answer.answers.filter((r) => absolute(r.name) === rrset.name).map((r) => r.ttl),
        what,
      ).toEqual(rrset.records.map(() => rrset.ttl));
    });
    // The skipped alias is not hosted by us.
    expect((await query(OUR_EDGE, "cdn.shop.test", "A")).rcode).toBe("NXDOMAIN");
  });

  it("1b. a record the import skipped is a mismatch while the old provider serves it, until replaced", async () => {
    const before = (await parity()) as {
      parity: { matches: boolean; mismatches: unknown[] };
      safe_to_delete: boolean;
    };
    expect(before.parity.matches).toBe(false);
    expect(before.parity.mismatches).toEqual([
      { name: "cdn.shop.test.", type: "A", ours: [], theirs: ["192.0.2.200"] },
    ]);
    expect(before.safe_to_delete).toBe(false);

    // The user reads `skipped` and hosts a replacement for the CloudFront alias.
    const changed = await post(`/api/zones/${zoneId}/rrsets`, {
      name: "cdn",
      type: "A",
      ttl: 60,
      records: ["192.0.2.200"],
    });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    const published = await post(`/api/zones/${zoneId}/publish`);
    expect(published.status).toBe(200);
    expect((await query(OUR_EDGE, "cdn.shop.test", "A")).rcode).toBe("NOERROR");
  });

  it("2. parent delegates to the old provider only: not delegated, PENDING_VERIFICATION; parity matches but not safe", async () => {
    expect(await delegation()).toEqual({
      delegation: {
        origin: ORIGIN,
        delegated: false,
        expected: bare(OURS),
        found: bare(OLD),
        missing: bare(OURS),
        extra: bare(OLD),
        servers: PARENT_SERVERS,
        checked_at: isoNow(),
      },
      status: "PENDING_VERIFICATION",
    });
    expect(await storedStatus()).toBe("PENDING_VERIFICATION");
    expect(await parity()).toEqual(matchingParity("PENDING_VERIFICATION", false));
  });

  it("3. parent delegates to ours only: delegated, ACTIVE; parity matches, complete, safe to delete", async () => {
    await world.setDelegation(ORIGIN, OURS);
    expect(await delegation()).toEqual({
      delegation: {
        origin: ORIGIN,
        delegated: true,
        expected: bare(OURS),
        found: bare(OURS),
        missing: [],
        extra: [],
        servers: PARENT_SERVERS,
        checked_at: isoNow(),
      },
      status: "ACTIVE",
    });
    expect(await storedStatus()).toBe("ACTIVE");
    expect(await parity()).toEqual(matchingParity("ACTIVE", true));
  });

  it("4a. mixed, one of ours and one old: not delegated (ns2 missing), back to PENDING_VERIFICATION, not safe", async () => {
    await world.setDelegation(ORIGIN, ["ns1.dnscove.test.", "ns1.oldprovider.test."]);
    expect(await delegation()).toEqual({
      delegation: {
        origin: ORIGIN,
        delegated: false,
        expected: bare(OURS),
        found: ["ns1.dnscove.test", "ns1.oldprovider.test"],
        missing: ["ns2.dnscove.test"],
        extra: ["ns1.oldprovider.test"],
        servers: PARENT_SERVERS,
        checked_at: isoNow(),
      },
      status: "PENDING_VERIFICATION",
    });
    expect(await storedStatus()).toBe("PENDING_VERIFICATION");
    expect(await parity()).toEqual(matchingParity("PENDING_VERIFICATION", false));
  });

  it("4b. all of ours plus one old: delegated and ACTIVE, but not safe to delete (extra is non-empty)", async () => {
    await world.setDelegation(ORIGIN, [...OURS, "ns2.oldprovider.test."]);
    expect(await delegation()).toEqual({
      delegation: {
        origin: ORIGIN,
        delegated: true,
        expected: bare(OURS),
        found: ["ns1.dnscove.test", "ns2.dnscove.test", "ns2.oldprovider.test"],
        missing: [],
        extra: ["ns2.oldprovider.test"],
        servers: PARENT_SERVERS,
        checked_at: isoNow(),
      },
      status: "ACTIVE",
    });
    expect(await storedStatus()).toBe("ACTIVE");
    // Everything matches and nothing is truncated: only the old server at the parent holds it back.
    expect(await parity()).toEqual(matchingParity("ACTIVE", false));
  });

  it("5. one value changed at the old provider: parity lists the mismatch, not safe; fixed, safe again", async () => {
    await world.setDelegation(ORIGIN, OURS);
    expect((await delegation()) as { status: string }).toMatchObject({
      delegation: { delegated: true, extra: [] },
      status: "ACTIVE",
    });
    const changed = EXPECTED.rrsets.map((r) =>
      r.name === "mail.shop.test." && r.type === "A" ? { ...r, records: ["192.0.2.250"] } : r,
    );
    await world.serveAtOldProvider(changed, OLD_EXTRA);
    expect(await parity()).toEqual({
      parity: {
        origin: ORIGIN,
        matches: false,
        checked: PARITY_QUESTIONS,
        mismatched: 1,
        truncated: false,
        mismatches: [{ name: "mail.shop.test.", type: "A", ours: ["192.0.2.25"], theirs: ["192.0.2.250"] }],
        ttl_differences: [],
        their_servers: THEIR_SERVERS,
        not_compared: [],
        checked_at: isoNow(),
      },
      safe_to_delete: false,
      status: "ACTIVE",
    });
    // The world already resolves through us: the resolver answers with our value, not theirs.
    const resolved = await query(RESOLVER, "mail.shop.test", "A", true);
    expect(resolved.rcode).toBe("NOERROR");
    expect(rdataOf(resolved.answers, "mail.shop.test", "A")).toEqual(["192.0.2.25"]);

    await world.serveAtOldProvider(EXPECTED.rrsets, OLD_EXTRA);
    expect(await parity()).toEqual(matchingParity("ACTIVE", true));
  });

  it("6. the delegation disappears later: the check moves the zone back to PENDING_VERIFICATION", async () => {
    expect(await storedStatus()).toBe("ACTIVE");
    await world.setDelegation(ORIGIN, []);
    expect(await delegation()).toEqual({
      delegation: {
        origin: ORIGIN,
        delegated: false,
        expected: bare(OURS),
        found: [],
        missing: bare(OURS),
        extra: [],
        servers: PARENT_SERVERS,
        checked_at: isoNow(),
      },
      status: "PENDING_VERIFICATION",
    });
    expect(await storedStatus()).toBe("PENDING_VERIFICATION");
    // Still served either way, and no longer safe to delete the old zone.
    const mail = await query(OUR_EDGE, "mail.shop.test", "A");
    expect(rdataOf(mail.answers, "mail.shop.test", "A")).toEqual(["192.0.2.25"]);
    expect(await parity()).toEqual(matchingParity("PENDING_VERIFICATION", false));
  });
});
