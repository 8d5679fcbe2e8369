/**
 * Issue 16's "Done when", end to end: a zone the REAL API signs at publish (enabled through the
 * API, ECDSAP256SHA256) validates through the validating unbound of the signed world, with the DS
 * `GET /api/zones/{id}/dnssec` shows in the signed parent — from the API's edge, from the Knot
 * secondary and from the NSD secondary (both fed by the edge's transfers), each alone and all three
 * together; delv agrees; dnsviz finds no errors; dnssec-verify, kzonecheck and ldns-verify-zone
 * accept each server's AXFR. Then through changes, a ZSK rollover, a signature refresh and a KSK
 * rollover (the new DS from the API into the parent), disable → enable, and a rogue server.
 * (helpers/api-signed-zone.ts sets the world up; the ED25519 case is api-signed-ed25519.test.ts.)
 *
 * The steps run in order and share the world. Every step waits for the published serial on every
 * server and flushes the resolver before asking; nothing sleeps.
 *
 * Needs root (ip netns), the API built, and what validating-hierarchy.test.ts needs.
 */
import { verifySignedZone } from "@dnscove/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ApiSignedZone,
  EDGE,
  KNOT,
  NSD,
  type Rrset,
  SERVERS,
  startApiSignedZone,
} from "./helpers/api-signed-zone.js";
import type { ResolverAnswer } from "./helpers/validators.js";

const ORIGIN = "shop.test.";
const WWW = `www.${ORIGIN}`;
const RRSETS: Rrset[] = [
  { name: WWW, type: "A", records: ["192.0.2.7"] },
  { name: WWW, type: "TXT", records: ['"hello"'] },
  { name: `*.wild.${ORIGIN}`, type: "A", records: ["192.0.2.80"] },
  // ent.shop.test. is an empty non-terminal (RFC 5155 section 7.1: it has its own NSEC3).
  { name: `deep.ent.${ORIGIN}`, type: "TXT", records: ['"deep"'] },
];

let z: ApiSignedZone;

beforeAll(async () => {
  z = await startApiSignedZone({ label: "dnssec-api", origin: ORIGIN, rrsets: RRSETS });
}, 240_000);

afterAll(async () => {
  await z?.close();
});

const why = (a: ResolverAnswer) => `${a.raw}\n--- parent test.:\n${z.world.parentText()}`;
const ask = (name: string, type: string) => z.world.resolve(name, type);

async function expectAd(name: string, type: string, rdata: string, context: string) {
  const a = await ask(name, type);
  expect([a.status, a.ad], `${context}: ${name} ${type}\n${why(a)}`).toEqual(["NOERROR", true]);
  expect(
    // dig splits long hex (a DS digest) with a space: compare without spaces.
    a.answer.filter(
      (l) =>
        l.startsWith(`${name} `) && l.replace(/\s/g, "").endsWith(`IN${type}${rdata}`.replace(/\s/g, "")),
    ),
    `${context}: ${name} ${type} ${rdata}\n${why(a)}`,
  ).toHaveLength(1);
}

async function expectNx(name: string, context: string) {
  const a = await ask(name, "A");
  expect([a.status, a.ad], `${context}: ${name} NXDOMAIN\n${why(a)}`).toEqual(["NXDOMAIN", true]);
}

async function expectNodata(name: string, type: string, context: string) {
  const a = await ask(name, type);
  expect([a.status, a.ad, a.answer.length], `${context}: ${name} ${type} NODATA\n${why(a)}`).toEqual([
    "NOERROR",
    true,
    0,
  ]);
}

/** AD for an answer, an NXDOMAIN, a NODATA, an empty non-terminal and a wildcard answer. */
async function expectSecure(context: string) {
  await expectAd(WWW, "A", "192.0.2.7", context);
  await expectNx(`nosuch.${ORIGIN}`, context);
  await expectNodata(WWW, "AAAA", context);
  await expectNodata(`ent.${ORIGIN}`, "A", context);
  await expectAd(`anything.wild.${ORIGIN}`, "A", "192.0.2.80", context);
}

async function expectZoneValid(context: string) {
  for (const address of SERVERS) {
    const axfr = await z.axfr(address);
    expect(axfr, `${context}: AXFR from ${address}`).toMatch(/\sIN\s+NSEC3PARAM\s+1 0 0 -/);
    for (const r of await verifySignedZone(axfr, ORIGIN))
      expect(
        r.code,
        `${context}: ${r.tool} rejected the AXFR from ${address}:\n${r.output.slice(0, 3000)}`,
      ).toBe(0);
  }
}

describe("a zone the API signs (ECDSAP256SHA256), its DS from the API in the signed parent", () => {
  it("validates from the edge alone, the Knot secondary alone, the NSD secondary alone, and all three", async () => {
    const ds = await z.dsFromApi();
    expect(ds).toHaveLength(1);
    expect(ds[0]).toMatch(/^\d+ 13 2 [0-9A-F]{64}$/);
    try {
      for (const [name, address] of [
        ["edge", EDGE.host],
        ["knot", KNOT.address],
        ["nsd", NSD.address],
      ] as const) {
        await z.delegate(ds, [address]);
        await expectSecure(`${name} alone`);
      }
    } finally {
      await z.delegate(ds);
    }
    await expectSecure("all three");
  }, 180_000);

  it("delv agrees, validating alone from the root's key", async () => {
    const answer = await z.world.delv(WWW, "A");
    expect(answer.verdict, answer.output).toBe("secure");
    const nx = await z.world.delv(`nosuch.${ORIGIN}`, "A");
    expect([nx.verdict, nx.negative], nx.output).toEqual(["secure-negative", "nxdomain"]);
    const nodata = await z.world.delv(WWW, "AAAA");
    expect([nodata.verdict, nodata.negative], nodata.output).toEqual(["secure-negative", "nxrrset"]);
    const ent = await z.world.delv(`ent.${ORIGIN}`, "A");
    expect([ent.verdict, ent.negative], ent.output).toEqual(["secure-negative", "nxrrset"]);
    const wildcard = await z.world.delv(`anything.wild.${ORIGIN}`, "A");
    expect(wildcard.verdict, wildcard.output).toBe("secure");
  }, 120_000);

  it("dnsviz probe + grok find no errors; the three zone validators accept each server's AXFR", async () => {
    const report = await z.world.dnsviz([ORIGIN, WWW, `anything.wild.${ORIGIN}`]);
    const detail = JSON.stringify({ errors: report.errors, warnings: report.warnings }, null, 2);
    expect(report.errors, detail).toEqual([]);
    expect(report.delegation, detail).toMatchObject({ "test.": "SECURE", [ORIGIN]: "SECURE" });
    expect(report.warnings, detail).toEqual([]);
    await expectZoneValid("after enabling");
  }, 240_000);

  it("through changes (add, change, delete names, delegations with glue and with a DS, a wildcard), each published", async () => {
    await z.change([{ name: `new.${ORIGIN}`, type: "A", records: ["192.0.2.20"] }]);
    await expectAd(`new.${ORIGIN}`, "A", "192.0.2.20", "added");

    await z.change([{ name: WWW, type: "A", records: ["192.0.2.8"] }]);
    await expectAd(WWW, "A", "192.0.2.8", "changed");

    await z.change([{ name: `new.${ORIGIN}`, type: "A", records: [] }]);
    await expectNx(`new.${ORIGIN}`, "deleted");
    const deleted = await z.world.delv(`new.${ORIGIN}`, "A");
    expect([deleted.verdict, deleted.negative], deleted.output).toEqual(["secure-negative", "nxdomain"]);

    // An insecure delegation with glue (nothing serves it: the proof of no DS is what matters) and
    // a secure one (its DS signed by the zone): the resolver's validated answers for the DS.
    await z.change([
      { name: `sub.${ORIGIN}`, type: "NS", records: [`ns.sub.${ORIGIN}`] },
      { name: `ns.sub.${ORIGIN}`, type: "A", records: ["192.0.2.53"] },
      { name: `sec.${ORIGIN}`, type: "NS", records: [`ns.sub.${ORIGIN}`] },
      {
        name: `sec.${ORIGIN}`,
        type: "DS",
        records: ["12345 13 2 0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF"],
      },
    ]);
    const noDs = await ask(`sub.${ORIGIN}`, "DS");
    expect([noDs.status, noDs.ad, noDs.answer], why(noDs)).toEqual(["NOERROR", true, []]);
    await expectAd(
      `sec.${ORIGIN}`,
      "DS",
      "12345 13 2 0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF",
      "a delegation with a DS",
    );

    await z.change([{ name: `*.${ORIGIN}`, type: "TXT", records: ['"any"'] }]);
    await expectAd(`whatever.${ORIGIN}`, "TXT", '"any"', "a new wildcard");
    // The apex wildcard turns names that did not exist into wildcard answers; an A there is NODATA.
    await expectNodata(`whatever.${ORIGIN}`, "A", "the new wildcard, another type");
    await z.change([{ name: `*.${ORIGIN}`, type: "TXT", records: [] }]);
    await expectNx(`whatever.${ORIGIN}`, "the wildcard deleted");

    await z.change([{ name: WWW, type: "A", records: ["192.0.2.7"] }]);
    await expectSecure("after the changes");
    await expectZoneValid("after the changes");
  }, 300_000);
});

/** Every RRSIG's expiration (RDATA field 5, YYYYMMDDHHmmSS) in an AXFR, as seconds since the epoch. */
function expirations(axfr: string): number[] {
  return axfr
    .split("\n")
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f[3] === "RRSIG")
    .map((f) => {
      const t = f[8] ?? "";
      return (
        Date.UTC(
          Number(t.slice(0, 4)),
          Number(t.slice(4, 6)) - 1,
          Number(t.slice(6, 8)),
          Number(t.slice(8, 10)),
          Number(t.slice(10, 12)),
          Number(t.slice(12, 14)),
        ) / 1000
      );
    });
}

const DAY = 86_400;

/** Polls `condition` (a database read) until it holds; the API's job runs every 60 s. */
async function until(condition: () => Promise<boolean>, what: string, timeoutMs = 150_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

describe("rollovers and refresh, driven through the dnssec job's steps", () => {
  const keys = () => z.services.db.dnssecKey.findMany({ where: { zoneId: z.zoneId } });
  const ago = (seconds: number) => new Date(Date.now() - seconds * 1000);
  const dnskeys = async (address: string) =>
    (await z.world.h.dig([`@${address}`, ORIGIN, "DNSKEY", "+short", "+norec"]))
      .trim()
      .split("\n")
      .filter(Boolean);

  it("a ZSK pre-publish rollover, then a signature refresh: AD at every step from every server", async () => {
    const before = await keys();
    const oldZsk = before.find((k) => k.role === "zsk" && k.state === "active");
    expect(oldZsk).toBeDefined();
    await z.services.db.dnssecKey.update({
      where: { id: oldZsk?.id ?? "" },
      data: { activatedAt: ago(91 * DAY) },
    });
    expect(await z.maintain()).toBe("zsk-publish");
    await z.settle();
    for (const address of SERVERS) expect(await dnskeys(address), address).toHaveLength(3);
    await expectSecure("ZSK published");

    // The new ZSK starts signing at a clock ten days back, so every signature it makes expires in
    // 2-4 days from now (14 days minus jitter): the refresh below has real work to do.
    const waiting = (await keys()).find((k) => k.role === "zsk" && k.state === "published");
    await z.services.db.dnssecKey.update({
      where: { id: waiting?.id ?? "" },
      data: { publishedAt: ago(11 * DAY) },
    });
    const serialBefore = (await z.services.db.zone.findUniqueOrThrow({ where: { id: z.zoneId } }))
      .publishedSerial;
    z.clock.shift(-10 * DAY);
    try {
      expect(await z.maintain()).toBe("zsk-activate");
    } finally {
      z.clock.reset();
    }
    // What the activation journalled (the API process's own job may refresh right after it, so the
    // servers may already serve the refreshed signatures): signatures that expire within days.
    const journalled = await z.services.db.zoneChange.findMany({
      where: { zoneId: z.zoneId, serial: { gt: serialBefore }, type: "RRSIG" },
      orderBy: { serial: "asc" },
    });
    const activation = journalled.filter((r) => r.serial === journalled[0]?.serial);
    const soon = Date.now() / 1000 + 5 * DAY;
    const activationLines = activation.flatMap((r) =>
      r.afterRecords
        ? (JSON.parse(r.afterRecords) as string[]).map((rdata) => `${r.name} 0 IN RRSIG ${rdata}`)
        : [],
    );
    expect(
      expirations(activationLines.join("\n")).filter((e) => e < soon).length,
      "signatures made at the clock ten days back",
    ).toBeGreaterThan(10);
    await z.settle();
    await expectSecure("ZSK activated");

    // The old ZSK leaves (its wait has passed at the real clock), and the signatures due are
    // re-signed: by the job's steps from here or by the API process's own job, whichever is first.
    const steps: string[] = [];
    for (let i = 0; i < 4; i++) {
      const step = await z.maintain();
      if (step === null) break;
      steps.push(step);
    }
    await z.settle();
    const after = await keys();
    expect(after.filter((k) => k.role === "zsk").map((k) => k.state)).toEqual(["active"]);
    expect(after.find((k) => k.role === "zsk")?.keyTag).toBe(waiting?.keyTag);
    for (const address of SERVERS) expect(await dnskeys(address), address).toHaveLength(2);
    const week = Date.now() / 1000 + 7 * DAY;
    for (const address of SERVERS) {
      const late = expirations(await z.axfr(address)).filter((e) => e < week);
      expect(late, `${address}: signatures not refreshed (steps ${steps.join(", ")})`).toEqual([]);
    }
    await expectSecure("ZSK retired, signatures refreshed");
    await expectZoneValid("after the ZSK rollover and the refresh");
  }, 300_000);

  it("a KSK rollover through the API: the new DS from the API into the parent, finished by the API's own job once its probe sees the parent serve it", async () => {
    const oldDs = await z.dsFromApi();
    await z.call("POST", `/api/zones/${z.zoneId}/dnssec/ksk-rollover`);
    await z.settle();
    expect((await z.dnssec()).status).toBe("ksk-rollover");
    for (const address of SERVERS) expect(await dnskeys(address), address).toHaveLength(3);
    await expectSecure("KSK rollover started, the old DS in the parent");
    // Nothing ends while the parent still names the old KSK.
    expect(await z.maintain()).toBeNull();

    const newDs = await z.dsFromApi();
    expect(newDs).toHaveLength(1);
    expect(newDs).not.toEqual(oldDs);
    const serialBefore = (await z.services.db.zone.findUniqueOrThrow({ where: { id: z.zoneId } }))
      .publishedSerial;
    // The CDS the zone publishes is the DS the API shows (RFC 7344).
    const cds = (await z.world.h.dig([`@${EDGE.host}`, ORIGIN, "CDS", "+short", "+norec"])).trim();
    expect(cds.split(/\s+/).slice(0, 3).join(" ")).toBe(newDs[0]?.split(" ").slice(0, 3).join(" "));
    await z.delegate(newDs);
    await expectSecure("the new DS in the parent");

    // From here the API process's own dnssec job (every minute), with its own probe of the
    // parent's servers (found through the namespace's resolver): it first notes when it saw the
    // new DS alone, and finishes once the DS TTL has passed since (moved back here, not waited).
    const row = () => z.services.db.zone.findUniqueOrThrow({ where: { id: z.zoneId } });
    await until(async () => (await row()).dnssecParentSeenAt !== null, "the API's job sees the new DS");
    await z.services.db.zone.update({
      where: { id: z.zoneId },
      data: { dnssecParentSeenAt: ago(2 * 3600) },
    });
    await until(
      async () => (await keys()).filter((k) => k.role === "ksk").length === 1,
      "the API's job finishes the KSK rollover",
    );
    await until(async () => (await row()).publishedSerial > serialBefore, "the API publishes the end");
    await z.settle();
    expect((await z.dnssec()).status).toBe("signed");
    for (const address of SERVERS) expect(await dnskeys(address), address).toHaveLength(2);
    await expectSecure("KSK rollover finished");
    const delv = await z.world.delv(WWW, "A");
    expect(delv.verdict, delv.output).toBe("secure");
    await expectZoneValid("after the KSK rollover");
  }, 420_000);
});

describe("enable → disable → enable, resolvable at every step", () => {
  const insecure = async (context: string) => {
    const a = await ask(WWW, "A");
    expect([a.status, a.ad], `${context}\n${why(a)}`).toEqual(["NOERROR", false]);
    expect(a.answer.some((l) => l.endsWith(" IN A 192.0.2.7"))).toBe(true);
    const nx = await ask(`nosuch.${ORIGIN}`, "A");
    expect([nx.status, nx.ad], `${context}\n${why(nx)}`).toEqual(["NXDOMAIN", false]);
    expect((await z.world.delv(WWW, "A")).verdict).toBe("insecure");
  };

  it("disable: delete CDS/CDNSKEY, signed and AD while the DS is in the parent; DS removed: unsigned, no AD, never SERVFAIL; enable: new DS, AD", async () => {
    const ds = await z.dsFromApi();
    await z.call("PUT", `/api/zones/${z.zoneId}/dnssec`, { enabled: false });
    await z.settle();
    expect((await z.dnssec()).status).toBe("going-insecure");
    for (const address of SERVERS) {
      // RFC 8078 section 4: the delete forms.
      expect((await z.world.h.dig([`@${address}`, ORIGIN, "CDS", "+short", "+norec"])).trim()).toBe(
        "0 0 0 00",
      );
      expect((await z.world.h.dig([`@${address}`, ORIGIN, "CDNSKEY", "+short", "+norec"])).trim()).toBe(
        "0 3 0 AA==",
      );
    }
    await expectSecure("going insecure, the DS still in the parent");
    expect(await z.maintain()).toBeNull(); // the parent still has the DS

    await z.delegate([]);
    await insecure("going insecure, the DS gone from the parent, still signed");
    expect(await z.maintain()).toBeNull(); // no DS seen: its TTL starts now
    await z.services.db.zone.update({
      where: { id: z.zoneId },
      data: { dnssecParentSeenAt: ago(2 * 3600) },
    });
    expect(await z.maintain()).toBe("unsigned");
    await z.settle();
    for (const address of SERVERS) {
      const axfr = await z.axfr(address);
      expect(axfr, address).not.toMatch(/\sIN\s+(RRSIG|DNSKEY|NSEC3|NSEC3PARAM|CDS|CDNSKEY)\s/);
      expect(axfr, address).toMatch(/^www\.shop\.test\.\s+\d+\s+IN\s+A\s+192\.0\.2\.7$/m);
    }
    await insecure("unsigned");

    await z.call("PUT", `/api/zones/${z.zoneId}/dnssec`, { enabled: true });
    await z.settle();
    await insecure("signed again, no DS in the parent yet");
    const newDs = await z.dsFromApi();
    expect(newDs).toHaveLength(1);
    expect(newDs).not.toEqual(ds);
    await z.delegate(newDs);
    await expectSecure("enabled again, its new DS in the parent");
    await expectZoneValid("enabled again");
  }, 300_000);

  function ago(seconds: number) {
    return new Date(Date.now() - seconds * 1000);
  }
});

describe("a rogue server", () => {
  /**
   * Serves `text` for the zone from a Knot at `address`, makes it the zone's only delegated server
   * (the parent keeps the API's DS), runs `check`, then delegates back to the real servers and
   * expects the zone secure again.
   */
  async function servedOnlyBy(
    server: { name: string; address: string; nameserver: string },
    text: string,
    check: () => Promise<void>,
  ): Promise<void> {
    const ds = await z.dsFromApi();
    await z.world.h.addServer({
      kind: "knot",
      name: server.name,
      addresses: [server.address],
      zones: [{ origin: ORIGIN, text }],
    });
    try {
      await z.world.delegateChild(ORIGIN, {
        nameservers: [server.nameserver],
        glue: { [server.nameserver]: [server.address] },
        ds,
      });
      await check();
    } finally {
      await z.delegate(ds);
    }
    await expectSecure("the real servers again");
  }

  it("serving the zone's AXFR with one record changed behind the signer's back: SERVFAIL, delv fails; the real servers again: AD", async () => {
    const rogue = { name: "rogue", address: "127.0.0.43", nameserver: "ns2.dnscove.test." };
    const axfr = await z.axfr(EDGE.host);
    const line = /^www\.shop\.test\.\s+300\s+IN\s+A\s+192\.0\.2\.7$/m;
    expect(axfr).toMatch(line);
    await servedOnlyBy(rogue, axfr.replace(line, "www.shop.test. 300 IN A 192.0.2.66"), async () => {
      expect((await z.world.h.dig([`@${rogue.address}`, WWW, "A", "+short", "+norec"])).trim()).toBe(
        "192.0.2.66",
      );
      const bogus = await ask(WWW, "A");
      expect(bogus.status, why(bogus)).toBe("SERVFAIL");
      expect(bogus.ede.join("\n"), why(bogus)).toMatch(/^6 \(DNSSEC Bogus\)/);
      const delv = await z.world.delv(WWW, "A");
      expect([delv.verdict, delv.reason], delv.output).toEqual(["failed", "RRSIG failed to verify"]);
      // Only the forged rrset is bogus: the rest of the rogue's copy is the signer's and validates.
      const txt = await ask(WWW, "TXT");
      expect([txt.status, txt.ad], why(txt)).toEqual(["NOERROR", true]);
    });
  }, 180_000);

  it("serving the zone's AXFR with one rrset's signature stripped (data added unsigned): SERVFAIL, delv fails; the real servers again: AD", async () => {
    const unsigning = { name: "unsigning", address: "127.0.0.44", nameserver: "ns3.dnscove.test." };
    const axfr = await z.axfr(EDGE.host);
    const sig = /^www\.shop\.test\.\s+300\s+IN\s+RRSIG\s+A\s.*$/m;
    expect(axfr).toMatch(sig);
    await servedOnlyBy(unsigning, axfr.replace(sig, ""), async () => {
      const served = await z.world.h.dig([`@${unsigning.address}`, WWW, "A", "+dnssec", "+norec"]);
      expect(served).toMatch(/192\.0\.2\.7/);
      expect(served).not.toMatch(/\sRRSIG\s+A\s/);
      const bogus = await ask(WWW, "A");
      expect(bogus.status, why(bogus)).toBe("SERVFAIL");
      expect(bogus.ede.join("\n"), why(bogus)).toMatch(/^10 \(RRSIGs Missing\)/);
      const delv = await z.world.delv(WWW, "A");
      // The zone is signed (the parent's DS leads to it): an rrset without RRSIG is not insecure.
      expect([delv.verdict, delv.reason], delv.output).toEqual(["failed", "insecurity proof failed"]);
      const txt = await ask(WWW, "TXT");
      expect([txt.status, txt.ad], why(txt)).toEqual(["NOERROR", true]);
    });
  }, 180_000);
});
