/**
 * Malformed input never crashes or stalls the server: explicit FORMERR/drop cases, TCP framing
 * (pipelining, partial frames, idle timeout), and a bounded fuzz run over UDP and TCP with random
 * and mutated packets, after which the server still answers dig and kdig correctly.
 */

import { seededRandom } from "@dnscove/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningDnsServer, startDnsServer, ZoneSet } from "../src/index.js";
import { appendTsig, resolveKey } from "../src/transfer/tsig.js";
import { RCODE, TSIG_ERROR, TYPE } from "../src/wire/constants.js";
import { decodeMessage } from "../src/wire/decode-message.js";
import { dig, kdig } from "./helpers/dig.js";
import { fixtureZone } from "./helpers/fixture-zone.js";
import { frame, query, TcpClient, udpExchange } from "./helpers/raw-client.js";

const KEY = {
  name: "fuzz-key",
  algorithm: "hmac-sha256" as const,
  secret: Buffer.from("fuzz-secret-0123456789abcdef0123").toString("base64"),
};
let server: RunningDnsServer;
let port: number;
const errors: unknown[] = [];
const logger = { debug() {}, info() {}, warn() {}, error: (o: object) => errors.push(o) };

beforeAll(async () => {
  const zones = new ZoneSet();
  zones.put("Z1", fixtureZone("edge.test.", 5));
  server = await startDnsServer({
    host: "127.0.0.1",
    port: 0,
    zones,
    transfer: { allow: ["127.0.0.1"], tsigKeys: [KEY], requireTsig: false },
    logger,
    tcpIdleTimeoutMs: 400,
  });
  port = server.port;
});
afterAll(async () => server?.close());

const rcodeOf = (m: Buffer) => m.readUInt16BE(2) & 0xf;

async function stillHealthy(): Promise<void> {
  const r = await dig(port, ["host.edge.test", "A"]);
  expect(r.status).toBe("NOERROR");
  expect(r.answer[0]?.rdata).toBe("192.0.2.10");
  const k = await kdig(port, ["+tcp", "host.edge.test", "A"]);
  expect(k.answer[0]?.rdata).toBe("192.0.2.10");
}

function mutate(rand: () => number, base: Buffer): Buffer {
  const b = Buffer.from(base);
  const kind = Math.floor(rand() * 6);
  if (kind === 0) return b.subarray(0, Math.floor(rand() * b.length)); // truncation
  if (kind === 1) {
    for (let i = 0; i < 1 + rand() * 4; i++) b[Math.floor(rand() * b.length)] = Math.floor(rand() * 256);
    return b;
  }
  if (kind === 2) {
    for (const off of [4, 6, 8, 10]) if (rand() < 0.5) b.writeUInt16BE(Math.floor(rand() * 65536), off);
    return b;
  }
  if (kind === 3) {
    // Compression pointers: to itself, forward, into the header.
    const p = 12 + Math.floor(rand() * Math.max(1, b.length - 13));
    b.writeUInt16BE(0xc000 | ([p, p + 2, 3, 0x3fff][Math.floor(rand() * 4)] ?? p), p);
    return b;
  }
  if (kind === 4)
    return Buffer.concat([
      b,
      Buffer.from(Array.from({ length: Math.floor(rand() * 64) }, () => Math.floor(rand() * 256))),
    ]);
  return Buffer.from(Array.from({ length: Math.floor(rand() * 600) }, () => Math.floor(rand() * 256)));
}

describe("malformed requests", () => {
  it("QDCOUNT 0 or 2 -> FORMERR; undecodable body -> FORMERR; no header -> dropped; responses are ignored", async () => {
    const zeroQ = Buffer.from(query(1, "edge.test").subarray(0, 12));
    zeroQ.writeUInt16BE(0, 4);
    expect(rcodeOf((await udpExchange(port, zeroQ)) as Buffer)).toBe(RCODE.FORMERR);
    const q = query(2, "edge.test");
    const two = Buffer.concat([q, q.subarray(12)]);
    two.writeUInt16BE(2, 4);
    expect(rcodeOf((await udpExchange(port, two)) as Buffer)).toBe(RCODE.FORMERR);
    const cut = query(3, "host.edge.test").subarray(0, 20);
    const formerr = (await udpExchange(port, Buffer.from(cut))) as Buffer;
    expect(rcodeOf(formerr)).toBe(RCODE.FORMERR);
    expect(formerr.readUInt16BE(0)).toBe(3);
    expect(await udpExchange(port, Buffer.from([1, 2, 3, 4, 5]), 300)).toBeUndefined();
    const response = Buffer.from(q);
    response.writeUInt16BE(0x8000, 2);
    expect(await udpExchange(port, response, 300)).toBeUndefined();
  });

  it("compression loop in the question -> FORMERR", async () => {
    const m = Buffer.alloc(12 + 2 + 4);
    m.writeUInt16BE(9, 0);
    m.writeUInt16BE(1, 4);
    m.writeUInt16BE(0xc00c, 12); // points at itself
    const r = (await udpExchange(port, m)) as Buffer;
    expect(rcodeOf(r)).toBe(RCODE.FORMERR);
  });

  it("TSIG with a time outside the fudge -> NOTAUTH with BADTIME and our time in other data", async () => {
    const signed = appendTsig(query(77, "edge.test", TYPE.SOA), {
      key: resolveKey(KEY),
      time: Math.floor(Date.now() / 1000) - 3600,
    }).wire;
    const r = decodeMessage((await udpExchange(port, signed)) as Buffer);
    expect(r.header.flags & 0xf).toBe(RCODE.NOTAUTH);
    expect(r.tsig?.error).toBe(TSIG_ERROR.BADTIME);
    expect(r.tsig?.otherData.length).toBe(6);
  });
});

describe("TCP framing", () => {
  it("answers several pipelined queries on one connection, in order, even when split byte by byte", async () => {
    const c = await TcpClient.open(port);
    const data = Buffer.concat([
      frame(query(11, "host.edge.test")),
      frame(query(12, "mail.edge.test")),
      frame(query(13, "nosuch.edge.test")),
    ]);
    for (const byte of data) c.socket.write(Buffer.from([byte]));
    expect(await c.waitFor(3)).toBe(true);
    expect(c.responses.map((r) => r.readUInt16BE(0))).toEqual([11, 12, 13]);
    expect(c.responses.map(rcodeOf)).toEqual([0, 0, 3]);
    c.close();
  });

  it("a connection stuck on a partial frame does not stall others and is closed when idle", async () => {
    const stuck = await TcpClient.open(port);
    stuck.socket.write(Buffer.from([0x01, 0x00, 0x00])); // promises 256 octets, sends 1
    const other = await TcpClient.open(port);
    other.socket.write(frame(query(21, "host.edge.test")));
    expect(await other.waitFor(1, 500)).toBe(true);
    expect(await stuck.waitClosed(2000)).toBe(true);
    other.close();
  });
});

describe("fuzz", () => {
  it("survives thousands of random and mutated packets over UDP and TCP", async () => {
    const rand = seededRandom(20261128);
    const seeds = [
      query(1, "host.edge.test"),
      query(2, "foo.wild.edge.test", TYPE.TXT, true),
      query(3, "edge.test", TYPE.AXFR),
      query(4, "edge.test", TYPE.IXFR, true),
      appendTsig(query(5, "edge.test", TYPE.SOA), {
        key: resolveKey(KEY),
        time: Math.floor(Date.now() / 1000),
      }).wire,
    ];
    const t0 = Date.now();
    const UDP_COUNT = 4000;
    const { createSocket } = await import("node:dgram");
    const sock = createSocket("udp4");
    const replies: Buffer[] = [];
    sock.on("message", (m) => replies.push(m));
    await new Promise<void>((r) => sock.bind(0, "127.0.0.1", () => r()));
    for (let i = 0; i < UDP_COUNT; i++) {
      sock.send(mutate(rand, seeds[i % seeds.length] as Buffer), port, "127.0.0.1");
      if (i % 200 === 0) await new Promise((r) => setTimeout(r, 5));
    }
    await new Promise((r) => setTimeout(r, 300));
    sock.close();
    // Every reply is a well-formed response.
    for (const r of replies) {
      expect(r.length).toBeGreaterThanOrEqual(12);
      expect(r.readUInt16BE(2) & 0x8000).toBe(0x8000);
    }
    // TCP: random frames on a few connections, each followed by a valid query that must be answered.
    for (let conn = 0; conn < 20; conn++) {
      const c = await TcpClient.open(port);
      const frames: Buffer[] = [];
      for (let i = 0; i < 50; i++) frames.push(frame(mutate(rand, seeds[i % seeds.length] as Buffer)));
      frames.push(frame(query(4242, "host.edge.test")));
      c.socket.write(Buffer.concat(frames));
      const ok = await (async () => {
        const t = Date.now();
        while (Date.now() - t < 3000) {
          if (c.responses.some((r) => r.readUInt16BE(0) === 4242 && rcodeOf(r) === 0)) return true;
          await new Promise((r) => setTimeout(r, 10));
        }
        return false;
      })();
      expect(ok, `connection ${conn}`).toBe(true);
      c.close();
    }
    // A connection that sends garbage and hangs up mid-frame.
    const rude = await TcpClient.open(port);
    rude.socket.end(Buffer.from([0xff, 0xff, 1, 2, 3]));
    console.log(
      `fuzz: ${UDP_COUNT} UDP packets (${replies.length} replies) + 1000 TCP frames in ${Date.now() - t0} ms`,
    );
    expect(errors).toEqual([]);
    await stillHealthy();
  });
});
