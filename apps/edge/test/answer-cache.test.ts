/**
 * The encoded-answer cache (src/server/answer-cache.ts) must be invisible on the wire: every
 * response it serves is byte-identical to what the uncached path builds for the same query
 * (same ID, same question spelling), a publish empties it, and it never grows past its bounds.
 * The reference is a second RequestHandler over an identical ZoneSet with the cache turned off.
 */
import { createSocket } from "node:dgram";
import { seededRandom } from "@dnscove/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadEdgeConfig } from "../src/config.js";
import { type RunningDnsServer, startDnsServer, ZoneSet } from "../src/index.js";
import { DEFAULT_ANSWER_CACHE_BYTES, DEFAULT_ANSWER_CACHE_ENTRIES } from "../src/server/answer-cache.js";
import { type RequestContext, RequestHandler } from "../src/server/handle-request.js";
import { CLASS_ANY, CLASS_IN, TYPE } from "../src/wire/constants.js";
import { decodeMessage } from "../src/wire/decode-message.js";
import { fixtureZone } from "./helpers/fixture-zone.js";

const ORIGIN = "edge.test.";
const transfer = { allow: ["127.0.0.1"], tsigKeys: [], requireTsig: false };
const UDP: RequestContext = { transport: "udp", address: "127.0.0.1", port: 5300 };
const TCP: RequestContext = { transport: "tcp", address: "127.0.0.1", port: 5300 };

interface QuerySpec {
  id: number;
  name: string;
  qtype: number;
  qclass?: number;
  rd?: boolean;
  cd?: boolean;
  edns?: { size: number; dnssecOk?: boolean; version?: number; options?: Buffer };
}

/** A query written octet by octet, so the test controls the case of every letter and every flag. */
function rawQuery(q: QuerySpec): Buffer {
  const labels = q.name.replace(/\.$/, "").split(".").filter(Boolean);
  const parts: Buffer[] = [];
  const header = Buffer.alloc(12);
  header.writeUInt16BE(q.id, 0);
  header.writeUInt16BE((q.rd ? 0x0100 : 0) | (q.cd ? 0x0010 : 0), 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(q.edns ? 1 : 0, 10);
  parts.push(header);
  for (const l of labels) parts.push(Buffer.from([l.length]), Buffer.from(l, "latin1"));
  const tail = Buffer.alloc(5);
  tail.writeUInt16BE(q.qtype, 1);
  tail.writeUInt16BE(q.qclass ?? CLASS_IN, 3);
  parts.push(tail);
  if (q.edns) {
    const options = q.edns.options ?? Buffer.alloc(0);
    const opt = Buffer.alloc(11);
    opt.writeUInt16BE(TYPE.OPT, 1);
    opt.writeUInt16BE(q.edns.size, 3);
    opt[6] = q.edns.version ?? 0;
    opt[7] = q.edns.dnssecOk ? 0x80 : 0;
    opt.writeUInt16BE(options.length, 9);
    parts.push(opt, options);
  }
  return Buffer.concat(parts);
}

function randomCase(name: string, rand: () => number): string {
  return [...name].map((c) => (rand() < 0.5 ? c.toUpperCase() : c.toLowerCase())).join("");
}

const NAMES = [
  ...new Set(fixtureZone(ORIGIN, 1).rrsets.map((rs) => rs.name)),
  `nothing-here.${ORIGIN}`, // NXDOMAIN
  `a.b.wild.${ORIGIN}`, // wildcard
  `x.cn.${ORIGIN}`, // wildcard CNAME, followed
  `deep.wild.${ORIGIN}`, // empty non-terminal
  `www.sub.${ORIGIN}`, // below a cut: referral
  `sub.${ORIGIN}`,
  "example.org.", // not ours: REFUSED (never cached)
];
const TYPES = [
  TYPE.A,
  TYPE.AAAA,
  TYPE.MX,
  TYPE.TXT,
  TYPE.NS,
  TYPE.SOA,
  TYPE.CNAME,
  TYPE.DS,
  TYPE.SRV,
  TYPE.ANY,
  52, // TLSA
  65, // HTTPS: octet 0x41, which must not be mistaken for an upper-case letter
  97, // 0x61
];
const EDNS: (QuerySpec["edns"] | undefined)[] = [
  undefined,
  { size: 512 },
  { size: 1232, dnssecOk: true },
  { size: 4096 },
  { size: 600, dnssecOk: false },
  { size: 1232, options: Buffer.from([0, 10, 0, 8, 1, 2, 3, 4, 5, 6, 7, 8]) }, // a client cookie
  { size: 1232, version: 1 }, // BADVERS
];

function variedQueries(count: number, seed: number): { spec: QuerySpec; ctx: RequestContext }[] {
  const rand = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const out: { spec: QuerySpec; ctx: RequestContext }[] = [];
  for (let i = 0; i < count; i++) {
    const edns = pick(EDNS);
    const spec: QuerySpec = {
      id: Math.floor(rand() * 0x10000),
      name: randomCase(pick(NAMES), rand),
      qtype: pick(TYPES),
      qclass: rand() < 0.05 ? (rand() < 0.5 ? CLASS_ANY : 3) : CLASS_IN,
      rd: rand() < 0.5,
      cd: rand() < 0.2,
      ...(edns ? { edns } : {}),
    };
    out.push({ spec, ctx: rand() < 0.2 ? TCP : UDP });
  }
  return out;
}

function handlers(maxEntries?: number, maxBytes?: number) {
  const cachedZones = new ZoneSet({ answerCache: { maxEntries, maxBytes } });
  const plainZones = new ZoneSet({ answerCache: { maxEntries: 0 } });
  for (const z of [cachedZones, plainZones]) {
    z.put("Zedge", fixtureZone(ORIGIN, 1));
    z.put("Zother", fixtureZone("other.test.", 5));
  }
  return {
    cachedZones,
    plainZones,
    cached: new RequestHandler({ zones: cachedZones, transfer }),
    plain: new RequestHandler({ zones: plainZones, transfer }),
  };
}

describe("answer cache", () => {
  it("returns byte-identical answers to the uncached path (mixed case, ids, EDNS/DO, RD/CD, UDP/TCP)", () => {
    const { cached, plain } = handlers();
    const queries = variedQueries(3000, 7);
    const mismatches: string[] = [];
    const rand = seededRandom(8);
    for (const { spec, ctx } of queries) {
      // Each question twice: the second time with another id and another spelling (a cache hit).
      const again = { ...spec, id: (spec.id + 1) & 0xffff, name: randomCase(spec.name, rand) };
      for (const s of [spec, again]) {
        const wire = rawQuery(s);
        const got = cached.handle(wire, ctx);
        const want = plain.handle(wire, ctx);
        if (got.length !== want.length || got.some((m, i) => !m.equals(want[i] as Buffer)))
          mismatches.push(
            `${s.name} ${s.qtype} ${JSON.stringify({ ...s, name: undefined })} ${ctx.transport}`,
          );
      }
    }
    expect(mismatches).toEqual([]);
    const stats = cached.cacheStats();
    // The comparison means something only if many answers did come from the cache.
    expect(stats.hits).toBeGreaterThan(2000);
    expect(stats.uncacheable).toBeGreaterThan(0); // BADVERS queries, for one
    expect(plain.cacheStats().hits).toBe(0);
  });

  it("echoes the question as sent: a cached answer keeps the new client's case and id", () => {
    const { cached } = handlers();
    cached.handle(rawQuery({ id: 1, name: `www.${ORIGIN}`, qtype: TYPE.A }), UDP);
    const hitsBefore = cached.cacheStats().hits;
    const [reply] = cached.handle(rawQuery({ id: 0xbeef, name: "WwW.EdGe.TeSt.", qtype: TYPE.A }), UDP);
    expect(cached.cacheStats().hits).toBe(hitsBefore + 1);
    const msg = decodeMessage(reply as Buffer);
    expect(msg.header.id).toBe(0xbeef);
    expect(Buffer.from(msg.questions[0]?.name.wire ?? []).toString("latin1")).toBe(
      "\x03WwW\x04EdGe\x04TeSt\x00",
    );
    // The first answer owner is a pointer to the question, so it carries the client's case too.
    expect(Buffer.from(msg.answers[0]?.name.wire ?? []).toString("latin1")).toBe(
      "\x03WwW\x04EdGe\x04TeSt\x00",
    );
    expect(msg.answers.map((a) => a.type)).toEqual([TYPE.CNAME, TYPE.CNAME, TYPE.A]);
  });

  it("a publish (ZoneSet.put) and a removal invalidate it: answers follow the new serial at once", () => {
    const { cached, cachedZones, plain, plainZones } = handlers();
    const q = (id: number) => rawQuery({ id, name: `nothing.${ORIGIN}`, qtype: TYPE.A, rd: true });
    const serialOf = (reply: Buffer) => {
      const msg = decodeMessage(reply);
      const soa = msg.authority[0];
      if (!soa) throw new Error("no SOA in the authority section");
      return reply.readUInt32BE(soa.rdataOffset + soa.rdlength - 20);
    };
    expect(serialOf(cached.handle(q(1), UDP)[0] as Buffer)).toBe(1);
    expect(serialOf(cached.handle(q(2), UDP)[0] as Buffer)).toBe(1);
    expect(cached.cacheStats().hits).toBe(1);

    const next = fixtureZone(ORIGIN, 2);
    next.rrsets.push({ name: `nothing.${ORIGIN}`, type: "A", ttl: 60, records: ["192.0.2.200"] });
    const generation = cachedZones.generation;
    cachedZones.put("Zedge", next);
    plainZones.put("Zedge", next);
    expect(cachedZones.generation).not.toBe(generation);
    const after = cached.handle(q(3), UDP)[0] as Buffer;
    expect(after.equals(plain.handle(q(3), UDP)[0] as Buffer)).toBe(true);
    const msg = decodeMessage(after);
    expect(msg.header.flags & 0xf).toBe(0); // NOERROR now, not the cached NXDOMAIN
    expect(msg.answers).toHaveLength(1);
    expect(cached.cacheStats().entries).toBe(1); // the old entry is gone, the new answer stored

    cachedZones.remove("Zedge");
    const refused = decodeMessage(cached.handle(q(4), UDP)[0] as Buffer);
    expect(refused.header.flags & 0xf).toBe(5); // REFUSED: the zone is no longer served
    expect(cached.cacheStats().entries).toBe(0);
  });

  it("stays within its entry and byte bounds, evicting the least recently used", () => {
    const byEntries = handlers(50);
    const byBytes = handlers(undefined, 20_000);
    const maxSeen = { entries: 0, bytes: 0 };
    for (let i = 0; i < 2000; i++) {
      const wire = rawQuery({ id: i, name: `n${i}.wild.${ORIGIN}`, qtype: TYPE.TXT, edns: { size: 1232 } });
      for (const h of [byEntries, byBytes]) {
        const got = h.cached.handle(wire, UDP)[0] as Buffer;
        expect(got.equals(h.plain.handle(wire, UDP)[0] as Buffer)).toBe(true);
      }
      maxSeen.entries = Math.max(maxSeen.entries, byEntries.cached.cacheStats().entries);
      maxSeen.bytes = Math.max(maxSeen.bytes, byBytes.cached.cacheStats().bytes);
    }
    expect(maxSeen.entries).toBe(50);
    expect(maxSeen.bytes).toBeLessThanOrEqual(20_000);
    expect(byBytes.cached.cacheStats().entries).toBeGreaterThan(10);

    // A name asked again and again stays while a stream of new names goes through.
    const { cached } = handlers(100);
    const hot = rawQuery({ id: 9, name: `host.${ORIGIN}`, qtype: TYPE.A });
    cached.handle(hot, UDP);
    for (let i = 0; i < 1000; i++) {
      cached.handle(rawQuery({ id: i, name: `m${i}.wild.${ORIGIN}`, qtype: TYPE.A }), UDP);
      if (i % 10 === 0) cached.handle(hot, UDP);
    }
    const hits = cached.cacheStats().hits;
    cached.handle(hot, UDP);
    expect(cached.cacheStats().hits).toBe(hits + 1);
    expect(cached.cacheStats().entries).toBeLessThanOrEqual(100);
  });

  it("has documented defaults and settings in the edge config", () => {
    expect(loadEdgeConfig({}).answerCache).toEqual({
      maxEntries: DEFAULT_ANSWER_CACHE_ENTRIES,
      maxBytes: DEFAULT_ANSWER_CACHE_BYTES,
    });
    expect(
      loadEdgeConfig({ EDGE_ANSWER_CACHE_ENTRIES: "0", EDGE_ANSWER_CACHE_BYTES: "1000" }).answerCache,
    ).toEqual({ maxEntries: 0, maxBytes: 1000 });
    expect(() => loadEdgeConfig({ EDGE_ANSWER_CACHE_ENTRIES: "-1" })).toThrow(/EDGE_ANSWER_CACHE_ENTRIES/);
  });
});

describe("answer cache behind the real UDP server", () => {
  let server: RunningDnsServer;
  const plainZones = new ZoneSet({ answerCache: { maxEntries: 0 } });
  plainZones.put("Zedge", fixtureZone(ORIGIN, 1));
  const plain = new RequestHandler({ zones: plainZones, transfer });

  beforeAll(async () => {
    const zones = new ZoneSet();
    zones.put("Zedge", fixtureZone(ORIGIN, 1));
    const quiet = { debug() {}, info() {}, warn() {}, error() {} };
    server = await startDnsServer({ host: "127.0.0.1", port: 0, zones, transfer, logger: quiet });
  });
  afterAll(async () => server?.close());

  it("sends the uncached path's octets for repeated questions in different case and ids", async () => {
    const sock = createSocket("udp4");
    await new Promise<void>((r) => sock.bind(0, "127.0.0.1", () => r()));
    const replies = new Map<number, Buffer>();
    let waiting: (() => void) | undefined;
    sock.on("message", (m) => {
      replies.set(m.readUInt16BE(0), m);
      waiting?.();
    });
    const rand = seededRandom(11);
    const queries = variedQueries(200, 3).map(({ spec }, i) => ({
      ...spec,
      id: i,
      name: randomCase(spec.name, rand),
    }));
    try {
      for (const spec of [
        ...queries,
        ...queries.map((q) => ({ ...q, id: q.id + 1000, name: randomCase(q.name, rand) })),
      ]) {
        const wire = rawQuery(spec);
        const got = new Promise<void>((resolve) => {
          waiting = () => {
            if (replies.has(spec.id)) resolve();
          };
        });
        sock.send(wire, server.port, "127.0.0.1");
        await got;
        expect((replies.get(spec.id) as Buffer).equals(plain.handle(wire, UDP)[0] as Buffer)).toBe(true);
      }
    } finally {
      sock.close();
    }
  });
});
