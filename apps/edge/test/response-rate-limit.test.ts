/**
 * UDP response rate limiting as BIND/Knot/NSD do it: per client prefix (/24, /56), response kind
 * and name, a token bucket of `rate` per second; of the limited responses every `slip`-th is sent
 * truncated (TC=1, question only) and the rest dropped. Another prefix is unaffected, rate 0 turns
 * it off, a real client (dig) gets its answer over TCP after a slip, and a log line reports counts.
 */
import { createSocket } from "node:dgram";
import { afterEach, describe, expect, it } from "vitest";
import { answerQuery, loadEdgeConfig, type RunningDnsServer, startDnsServer, ZoneSet } from "../src/index.js";
import {
  clientPrefix,
  ResponseRateLimiter,
  RRL_DEFAULTS,
  type RrlOptions,
} from "../src/server/response-rate-limit.js";
import { TYPE } from "../src/wire/constants.js";
import { decodeMessage } from "../src/wire/decode-message.js";
import { encodeResponse } from "../src/wire/encode-response.js";
import { dig } from "./helpers/dig.js";
import { fixtureZone } from "./helpers/fixture-zone.js";
import { query } from "./helpers/raw-client.js";

const infos: { obj: Record<string, unknown>; msg: string | undefined }[] = [];
const logger = {
  debug() {},
  info: (obj: object, msg?: string) => infos.push({ obj: obj as Record<string, unknown>, msg }),
  warn() {},
  error() {},
};

let server: RunningDnsServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  infos.length = 0;
});

async function start(rrl?: Partial<RrlOptions> & { rate: number }): Promise<number> {
  const zones = new ZoneSet();
  zones.put("Z1", fixtureZone("edge.test.", 1));
  server = await startDnsServer({
    host: "127.0.0.1",
    port: 0,
    zones,
    transfer: { allow: ["127.0.0.1"], tsigKeys: [], requireTsig: false },
    logger,
    ...(rrl ? { rrl } : {}),
  });
  return server.port;
}

interface BurstResult {
  answered: number;
  truncated: number;
  dropped: number;
}

/** Sends `count` queries back to back from `source` and sorts the replies. */
async function burst(
  port: number,
  source: string,
  count: number,
  name: string | ((i: number) => string) = "host.edge.test",
  qtype: number = TYPE.A,
): Promise<BurstResult> {
  const nameOf = typeof name === "string" ? () => name : name;
  const sock = createSocket("udp4");
  const replies = new Map<number, Buffer>();
  sock.on("message", (m) => replies.set(m.readUInt16BE(0), m));
  await new Promise<void>((r) => sock.bind(0, source, () => r()));
  for (let i = 0; i < count; i++) sock.send(query(i + 1, nameOf(i), qtype), port, "127.0.0.1");
  // Wait until every query is accounted for, or a quiet second has passed.
  let last = -1;
  let quietSince = Date.now();
  while (replies.size < count && Date.now() - quietSince < 1000) {
    if (replies.size !== last) {
      last = replies.size;
      quietSince = Date.now();
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  sock.close();
  let answered = 0;
  let truncated = 0;
  for (const m of replies.values()) {
    const msg = decodeMessage(m);
    const tc = (msg.header.flags & 0x0200) !== 0;
    if (tc) {
      expect(msg.answers.length + msg.authority.length + msg.additional.length).toBe(0);
      expect(msg.questions[0]?.name.key).toBe(`${nameOf(msg.header.id - 1)}.`);
      truncated++;
    } else answered++;
  }
  return { answered, truncated, dropped: count - replies.size };
}

describe("response rate limiting", () => {
  it("limits a burst from one /24 to the rate, slipping every second limited response as TC", async () => {
    const port = await start({ rate: 10, slip: 2, logIntervalMs: 300 });
    // All at once, so no bucket refills in between (10 tokens per second).
    const [first, neighbour, other, otherName] = await Promise.all([
      burst(port, "127.0.0.5", 60),
      // Same /24, other address: the same bucket.
      burst(port, "127.0.0.6", 20),
      // Another /24: its own full bucket.
      burst(port, "127.0.1.5", 10),
      // Same prefix, another name: another bucket.
      burst(port, "127.0.0.5", 10, "mail.edge.test"),
    ]);
    // The bucket holds 10; a slow machine refills a few during the burst.
    const answered = first.answered + neighbour.answered;
    const truncated = first.truncated + neighbour.truncated;
    const dropped = first.dropped + neighbour.dropped;
    expect(answered).toBeGreaterThanOrEqual(10);
    expect(answered).toBeLessThanOrEqual(25);
    expect(truncated + dropped).toBe(80 - answered);
    expect(Math.abs(truncated - dropped)).toBeLessThanOrEqual(1);
    expect(other).toEqual({ answered: 10, truncated: 0, dropped: 0 });
    expect(otherName).toEqual({ answered: 10, truncated: 0, dropped: 0 });

    // The periodic log line reports what was limited and from where.
    const t0 = Date.now();
    const reports = () => infos.filter((i) => /response rate limit/.test(i.msg ?? ""));
    while (reports().length === 0 && Date.now() - t0 < 5000) await new Promise((r) => setTimeout(r, 50));
    const totals = { dropped: 0, slipped: 0 };
    for (const r of reports()) {
      const rrl = r.obj.rrl as { dropped: number; slipped: number; topPrefixes: { prefix: string }[] };
      totals.dropped += rrl.dropped;
      totals.slipped += rrl.slipped;
      expect(rrl.topPrefixes[0]?.prefix).toBe("127.0.0.0/24");
    }
    expect(totals).toEqual({ dropped, slipped: truncated });
  });

  it("NXDOMAIN is counted per zone: random names share one bucket", async () => {
    const port = await start({ rate: 5, slip: 0 });
    const r = await burst(port, "127.0.0.7", 20, (i) => `nx${i}.edge.test`);
    expect(r.answered).toBeGreaterThanOrEqual(5);
    expect(r.answered).toBeLessThanOrEqual(10);
    expect(r.dropped).toBe(20 - r.answered);
  });

  it("slip 1 truncates every limited response, slip 0 drops every one", async () => {
    let port = await start({ rate: 5, slip: 1 });
    const all = await burst(port, "127.0.0.8", 30);
    expect(all.dropped).toBe(0);
    expect(all.truncated).toBe(30 - all.answered);
    expect(all.truncated).toBeGreaterThan(15);
    await server?.close();

    port = await start({ rate: 5, slip: 0 });
    const none = await burst(port, "127.0.0.8", 30);
    expect(none.truncated).toBe(0);
    expect(none.dropped).toBe(30 - none.answered);
    expect(none.dropped).toBeGreaterThan(15);
  });

  it("a real client that is limited gets a TC answer and its answer over TCP", async () => {
    const port = await start({ rate: 2, slip: 1 });
    // A flood from the same address keeps the bucket empty while dig asks.
    const flood = createSocket("udp4");
    await new Promise<void>((r) => flood.bind(0, "127.0.0.9", () => r()));
    const send = () => flood.send(query(1, "host.edge.test"), port, "127.0.0.1");
    for (let i = 0; i < 20; i++) send();
    const timer = setInterval(send, 5);
    const r = await dig(port, ["-b", "127.0.0.9", "host.edge.test", "A"]).finally(() => {
      clearInterval(timer);
      flood.close();
    });
    expect(r.truncatedRetry, r.raw).toBe(true);
    expect(r.transport).toBe("TCP");
    expect(r.answer[0]?.rdata).toBe("192.0.2.10");
  });

  it("rate 0 turns it off, and without the option it is off", async () => {
    let port = await start({ rate: 0 });
    expect(await burst(port, "127.0.0.10", 150)).toEqual({ answered: 150, truncated: 0, dropped: 0 });
    await server?.close();
    port = await start();
    expect(await burst(port, "127.0.0.10", 150)).toEqual({ answered: 150, truncated: 0, dropped: 0 });
  });

  it("is on in the edge's configuration by default (NSD's 200/s, slip 2, /24, /56) and off with EDGE_RRL_RATE=0", () => {
    const defaults = loadEdgeConfig({}).rrl;
    expect(defaults).toMatchObject({ rate: 200, slip: 2, ipv4PrefixLength: 24, ipv6PrefixLength: 56 });
    expect(loadEdgeConfig({ EDGE_RRL_RATE: "0" }).rrl?.rate).toBe(0);
    expect(() => loadEdgeConfig({ EDGE_RRL_SLIP: "-1" })).toThrow(/EDGE_RRL_SLIP/);
  });

  it("groups IPv4 by /24 and IPv6 by /56", () => {
    expect(clientPrefix("192.0.2.77", 24, 56)).toBe("192.0.2.0/24");
    expect(clientPrefix("::ffff:192.0.2.77", 24, 56)).toBe("192.0.2.0/24");
    expect(clientPrefix("2001:db8:1:23ff::1", 24, 56)).toBe("2001:db8:1:2300:0:0:0:0/56");
    expect(clientPrefix("2001:db8:1:2400::1", 24, 56)).not.toBe(clientPrefix("2001:db8:1:23ff::1", 24, 56));
  });

  it("keeps a bounded bucket table, and a limited bucket survives churn of new keys", async () => {
    const rrl = new ResponseRateLimiter(
      { ...RRL_DEFAULTS, rate: 1, slip: 0, maxEntries: 100, logIntervalMs: 0 },
      () => {},
    );
    const zones = new ZoneSet();
    zones.put("Z1", fixtureZone("edge.test.", 1));
    const responseFor = (name: string) =>
      encodeResponse(answerQuery(decodeMessage(query(1, name)), zones), 512).wire;
    const hot = responseFor("host.edge.test");
    const now = 1_000_000;
    expect(rrl.check("192.0.2.1", hot, now)).toBe("send");
    expect(rrl.check("192.0.2.1", hot, now)).toBe("drop");
    for (let i = 0; i < 1000; i++) {
      rrl.check(`198.51.${i % 256}.1`, responseFor(i % 2 ? "www.edge.test" : `nx${i}.edge.test`), now);
      if (i % 50 === 0) expect(rrl.check("192.0.2.1", hot, now)).toBe("drop");
      expect(rrl.size).toBeLessThanOrEqual(100);
    }
    rrl.close();
  });
});
