/**
 * The edge answering real clients: every behaviour checked with dig (BIND 9.18) and, where the
 * flag matters, kdig (Knot 3.2). The wire encoding of every record type is checked by comparing
 * what dig decodes and prints with the snapshot's canonical presentation.
 */
import { canonicalRecord, type RecordType } from "@dnscove/dns";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningDnsServer, startDnsServer, ZoneSet } from "../src/index.js";
import { dig, kdig, run } from "./helpers/dig.js";
import { fixtureZone } from "./helpers/fixture-zone.js";

const KEY = {
  name: "q-key",
  algorithm: "hmac-sha256" as const,
  secret: Buffer.from("query-test-secret-0123456789abcdef").toString("base64"),
};
const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const zone = fixtureZone("edge.test.", 2024010101);
let server: RunningDnsServer;
let port: number;

beforeAll(async () => {
  const zones = new ZoneSet();
  zones.put("Zedge", zone);
  // A second, bigger zone to force multi-message AXFR.
  const big = fixtureZone("big.test.", 7);
  for (let i = 0; i < 3000; i++)
    big.rrsets.push({
      name: `h${i}.big.test.`,
      type: "TXT",
      ttl: 60,
      records: [`"record number ${i} with some padding text"`],
    });
  zones.put("Zbig", big);
  server = await startDnsServer({
    host: "127.0.0.1",
    port: 0,
    zones,
    transfer: { allow: ["127.0.0.1"], tsigKeys: [KEY], requireTsig: false },
    logger: quiet,
  });
  port = server.port;
});
afterAll(async () => server?.close());

const below = (name: string, cut: string) => name === cut || name.endsWith(`.${cut}`);

describe("record types as decoded by dig", () => {
  it("every RRset's RDATA round-trips through a real client (dig +short) to the canonical form", async () => {
    const failures: string[] = [];
    for (const rs of zone.rrsets) {
      if (below(rs.name, "sub.edge.test.") && rs.type !== "DS") continue; // referral, tested below
      const r = await run("dig", [
        "@127.0.0.1",
        "-p",
        String(port),
        "+norec",
        "+time=2",
        "+tries=1",
        "+short",
        rs.name,
        rs.type,
      ]);
      const lines = r.stdout
        .split("\n")
        .map((l) => l.trim())
        .filter(Boolean);
      const got = lines
        .map((l) => (rs.type === "SOA" ? l : canonicalRecord(rs.type as RecordType, l)))
        .sort();
      const want = [...rs.records].sort();
      if (JSON.stringify(got) !== JSON.stringify(want))
        failures.push(`${rs.name} ${rs.type}: dig ${JSON.stringify(lines)} want ${JSON.stringify(want)}`);
    }
    expect(failures).toEqual([]);
  });

  it("a TXT record with several strings keeps them apart", async () => {
    const r = await dig(port, ["txt.edge.test", "TXT"]);
    expect(r.answer.map((a) => a.rdata).sort()).toEqual(['"hello world" "second chunk"', '"single"']);
  });
});

describe("authoritative answers", () => {
  it("positive answer: aa, NOERROR, EDNS echoed with 1232 (dig and kdig)", async () => {
    for (const client of [dig, kdig]) {
      const r = await client(port, ["+edns", "edge.test", "SOA"]);
      expect(r.status).toBe("NOERROR");
      expect(r.flags).toContain("aa");
      expect(r.flags).not.toContain("tc");
      expect(r.answer).toHaveLength(1);
      expect(r.answer[0]?.rdata).toContain("2024010101");
      expect(r.udpSize).toBe(1232);
    }
  });

  it("NXDOMAIN has the SOA in authority with TTL min(SOA TTL, MINIMUM) (RFC 2308)", async () => {
    const r = await dig(port, ["nosuch.edge.test", "A"]);
    expect(r.status).toBe("NXDOMAIN");
    expect(r.flags).toContain("aa");
    expect(r.answer).toEqual([]);
    expect(r.authority).toHaveLength(1);
    expect(r.authority[0]).toMatchObject({ owner: "edge.test.", type: "SOA", ttl: 300 });
  });

  it("NODATA: NOERROR, empty answer, SOA in authority", async () => {
    const r = await kdig(port, ["host.edge.test", "AAAA"]);
    expect(r.status).toBe("NOERROR");
    expect(r.flags).toContain("aa");
    expect(r.answer).toEqual([]);
    expect(r.authority[0]).toMatchObject({ type: "SOA", ttl: 300 });
  });

  it("in-zone CNAME chains are followed", async () => {
    const r = await dig(port, ["www.edge.test", "A"]);
    expect(r.status).toBe("NOERROR");
    expect(r.flags).toContain("aa");
    expect(r.answer.map((a) => `${a.owner} ${a.type} ${a.rdata}`)).toEqual([
      "www.edge.test. CNAME www2.edge.test.",
      "www2.edge.test. CNAME host.edge.test.",
      "host.edge.test. A 192.0.2.10",
    ]);
  });

  it("CNAME loops terminate; a dangling in-zone CNAME gives NXDOMAIN with the CNAME; out-of-zone targets are left to the client", async () => {
    const loop = await dig(port, ["loop1.edge.test", "A"]);
    expect(loop.status).toBe("NOERROR");
    expect(loop.answer.map((a) => a.owner)).toEqual(["loop1.edge.test.", "loop2.edge.test."]);
    const dangling = await dig(port, ["dangling.edge.test", "A"]);
    expect(dangling.status).toBe("NXDOMAIN");
    expect(dangling.answer.map((a) => a.type)).toEqual(["CNAME"]);
    expect(dangling.authority[0]?.type).toBe("SOA");
    const out = await dig(port, ["out.edge.test", "A"]);
    expect(out.status).toBe("NOERROR");
    expect(out.answer.map((a) => a.rdata)).toEqual(["target.example.net."]);
  });

  it("wildcards (RFC 4592): synthesis, empty non-terminals block them, exact ENT is NODATA", async () => {
    const a = await dig(port, ["foo.wild.edge.test", "A"]);
    expect(a.status).toBe("NOERROR");
    expect(a.flags).toContain("aa");
    expect(a.answer).toEqual([{ owner: "foo.wild.edge.test.", ttl: 120, type: "A", rdata: "192.0.2.99" }]);
    const deeper = await dig(port, ["a.b.wild.edge.test", "TXT"]);
    expect(deeper.answer.map((x) => `${x.owner} ${x.rdata}`)).toEqual(['a.b.wild.edge.test. "wildcard"']);
    const nodata = await dig(port, ["foo.wild.edge.test", "MX"]);
    expect(nodata.status).toBe("NOERROR");
    expect(nodata.answer).toEqual([]);
    expect(nodata.authority[0]?.type).toBe("SOA");
    const ent = await dig(port, ["deep.wild.edge.test", "A"]);
    expect(ent.status).toBe("NOERROR");
    expect(ent.answer).toEqual([]);
    const blocked = await kdig(port, ["x.deep.wild.edge.test", "A"]);
    expect(blocked.status).toBe("NXDOMAIN");
  });

  it("wildcard CNAME is synthesized and followed", async () => {
    const r = await dig(port, ["anything.cn.edge.test", "A"]);
    expect(r.answer.map((a) => `${a.owner} ${a.type} ${a.rdata}`)).toEqual([
      "anything.cn.edge.test. CNAME host.edge.test.",
      "host.edge.test. A 192.0.2.10",
    ]);
  });

  it("delegation: referral with NS in authority, glue in additional, AA clear", async () => {
    for (const q of ["sub.edge.test", "www.sub.edge.test", "ns1.sub.edge.test"]) {
      const r = await dig(port, [q, "A"]);
      expect(r.status).toBe("NOERROR");
      expect(r.flags).not.toContain("aa");
      expect(r.answer).toEqual([]);
      expect(r.authority.map((a) => a.rdata).sort()).toEqual(["ns.outside.example.", "ns1.sub.edge.test."]);
      expect(r.additional).toEqual([
        { owner: "ns1.sub.edge.test.", ttl: 3600, type: "A", rdata: "192.0.2.53" },
      ]);
    }
  });

  it("DS at the delegation point is answered authoritatively from the parent side", async () => {
    const r = await kdig(port, ["sub.edge.test", "DS"]);
    expect(r.status).toBe("NOERROR");
    expect(r.flags).toContain("aa");
    expect(r.answer.map((a) => a.type)).toEqual(["DS"]);
  });

  it("ANY is answered minimally with one RRset (RFC 8482)", async () => {
    const r = await dig(port, ["edge.test", "ANY"]);
    expect(r.status).toBe("NOERROR");
    expect(r.flags).toContain("aa");
    expect(new Set(r.answer.map((a) => a.type)).size).toBe(1);
  });

  it("MX answers carry in-zone target addresses in additional", async () => {
    const r = await dig(port, ["edge.test", "MX"]);
    expect(r.answer).toHaveLength(2);
    expect(r.additional).toEqual([{ owner: "mail.edge.test.", ttl: 300, type: "A", rdata: "192.0.2.25" }]);
  });

  it("names in no hosted zone are REFUSED without AA", async () => {
    for (const client of [dig, kdig]) {
      const r = await client(port, ["example.com", "A"]);
      expect(r.status).toBe("REFUSED");
      expect(r.flags).not.toContain("aa");
    }
  });

  it("matching is case-insensitive and the question keeps the query's case", async () => {
    const r = await dig(port, ["WwW.EdGe.TeSt", "A"]);
    expect(r.status).toBe("NOERROR");
    expect(r.raw).toMatch(/^;WwW\.EdGe\.TeSt\.\s+IN\s+A$/m);
    expect(r.answer.at(-1)?.rdata).toBe("192.0.2.10");
  });

  it("unknown opcode -> NOTIMP; EDNS version 1 -> BADVERS", async () => {
    const notimp = await dig(port, ["+opcode=2", "edge.test", "SOA"]);
    expect(notimp.status).toBe("NOTIMP");
    const badvers = await dig(port, ["+edns=1", "+noednsneg", "edge.test", "SOA"]);
    expect(badvers.status).toBe("BADVERS");
    expect(badvers.answer).toEqual([]);
  });

  it("UPDATE without a forward target (EDGE_UPDATE_FORWARD) -> NOTIMP", async () => {
    // nsupdate reads its commands from a file (execFile gives it no stdin).
    const file = `${process.env.TMPDIR ?? "/tmp"}/edge-update-${process.pid}.txt`;
    const { writeFileSync, rmSync } = await import("node:fs");
    writeFileSync(
      file,
      `server 127.0.0.1 ${port}\nzone edge.test\nupdate add x.edge.test 300 A 192.0.2.1\nsend\n`,
    );
    const result = await run("nsupdate", [file]);
    rmSync(file, { force: true });
    expect(result.code).not.toBe(0);
    expect(result.stdout + result.stderr).toContain("NOTIMP");
  });
});

describe("UDP size limits and TCP", () => {
  it("a long TXT over UDP is truncated (TC) with EDNS 1232, with a larger client size, and without EDNS", async () => {
    for (const extra of [["+bufsize=1232"], ["+bufsize=4096"], ["+noedns"]]) {
      const r = await dig(port, ["+notcp", "+ignore", ...extra, "long.edge.test", "TXT"]);
      expect(r.flags, extra.join()).toContain("tc");
      expect(r.answer).toEqual([]);
    }
    const k = await kdig(port, ["+notcp", "+ignore", "+bufsize=1232", "long.edge.test", "TXT"]);
    expect(k.flags).toContain("tc");
  });

  it("without EDNS the 512-octet limit applies and no OPT is sent back", async () => {
    const r = await dig(port, ["+noedns", "+ignore", "txt.edge.test", "TXT"]);
    expect(r.flags).not.toContain("tc");
    expect(r.udpSize).toBeUndefined();
    expect(r.answer).toHaveLength(2);
  });

  it("dig retries a truncated answer over TCP and gets the full answer", async () => {
    const r = await dig(port, ["long.edge.test", "TXT"]);
    expect(r.truncatedRetry).toBe(true);
    expect(r.transport).toBe("TCP");
    expect(r.flags).not.toContain("tc");
    expect(r.answer).toHaveLength(1);
    const k = await kdig(port, ["+tcp", "long.edge.test", "TXT"]);
    expect(k.answer).toHaveLength(1);
    expect(k.flags).not.toContain("tc");
  });
});

describe("zone transfer and TSIG with dig/kdig", () => {
  it("AXFR: SOA first and last, split over several messages for a big zone", async () => {
    const r = await run("dig", ["@127.0.0.1", "-p", String(port), "+time=5", "+tries=1", "big.test", "AXFR"]);
    const m = /XFR size: (\d+) records \(messages (\d+), bytes (\d+)\)/.exec(r.stdout);
    expect(m).not.toBeNull();
    const records = r.stdout.split("\n").filter((l) => l && !l.startsWith(";"));
    expect(records[0]).toMatch(/\tSOA\t/);
    expect(records.at(-1)).toMatch(/\tSOA\t/);
    expect(Number(m?.[2])).toBeGreaterThan(5);
    expect(Number(m?.[1])).toBeGreaterThan(3000);
  });

  it("TSIG-signed multi-message AXFR verifies in dig and kdig", async () => {
    const d = await run("dig", [
      "@127.0.0.1",
      "-p",
      String(port),
      "+time=5",
      "+tries=1",
      "-y",
      `hmac-sha256:${KEY.name}:${KEY.secret}`,
      "big.test",
      "AXFR",
    ]);
    expect(d.stdout).toMatch(/XFR size: \d+ records \(messages \d+/);
    expect(d.stdout + d.stderr).not.toMatch(/tsig verify failure|Transfer failed|could not be validated/i);
    const k = await run("kdig", [
      "@127.0.0.1",
      "-p",
      String(port),
      "+time=5",
      "+retry=0",
      "-y",
      `hmac-sha256:${KEY.name}:${KEY.secret}`,
      "big.test",
      "AXFR",
    ]);
    expect(k.stdout).toMatch(/Received \d+ B \(\d+ messages, \d+ records\)/);
    expect(k.stdout + k.stderr).not.toMatch(/failed|BADSIG|BADKEY|BADTIME|WARNING/i);
  });

  it("IXFR: over UDP just the SOA; over TCP a client that is current gets the SOA, an old one the full zone", async () => {
    const udp = await run("dig", ["@127.0.0.1", "-p", String(port), "+notcp", "edge.test", "IXFR=1"]);
    expect(udp.stdout).toMatch(/\(UDP\)/);
    expect(udp.stdout.split("\n").filter((l) => l && !l.startsWith(";"))).toEqual([
      "edge.test.\t\t3600\tIN\tSOA\tns1.edge.test. hostmaster.edge.test. 2024010101 3600 600 86400 300",
    ]);
    const current = await run("dig", [
      "@127.0.0.1",
      "-p",
      String(port),
      "+tcp",
      "edge.test",
      "IXFR=2024010101",
    ]);
    expect(current.stdout).toMatch(/XFR size: 1 records/);
    const old = await run("dig", ["@127.0.0.1", "-p", String(port), "+tcp", "edge.test", "IXFR=1"]);
    const n = zone.rrsets.reduce((s, r) => s + r.records.length, 0) + 1;
    expect(old.stdout).toMatch(new RegExp(`XFR size: ${n} records`));
  });

  it("signed queries get signed answers; a wrong secret gets BADSIG, an unknown key BADKEY (NOTAUTH)", async () => {
    const ok = await run("dig", [
      "@127.0.0.1",
      "-p",
      String(port),
      "+norec",
      "-y",
      `hmac-sha256:${KEY.name}:${KEY.secret}`,
      "edge.test",
      "SOA",
    ]);
    expect(ok.stdout).toMatch(/status: NOERROR/);
    expect(ok.stdout).toMatch(/TSIG PSEUDOSECTION/);
    expect(ok.stdout + ok.stderr).not.toMatch(/Couldn't verify|could not be validated/);
    const bad = await run("dig", [
      "@127.0.0.1",
      "-p",
      String(port),
      "+norec",
      "-y",
      `hmac-sha256:${KEY.name}:${Buffer.from("wrong").toString("base64")}`,
      "edge.test",
      "SOA",
    ]);
    expect(bad.stdout).toMatch(/status: NOTAUTH/);
    expect(bad.stdout).toMatch(/BADSIG/);
    const unknown = await run("dig", [
      "@127.0.0.1",
      "-p",
      String(port),
      "+norec",
      "-y",
      `hmac-sha256:nokey:${KEY.secret}`,
      "edge.test",
      "SOA",
    ]);
    expect(unknown.stdout).toMatch(/status: NOTAUTH/);
    expect(unknown.stdout).toMatch(/BADKEY/);
  });
});
