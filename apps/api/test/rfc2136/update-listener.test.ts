/**
 * The update listener over the wire. Its limits (DNSCOVE_UPDATE_TCP_*, DNSCOVE_UPDATE_MAX_MESSAGE_BYTES): a
 * slow-loris client is dropped at the message deadline however it trickles, and meanwhile another
 * client's update (nsupdate through the embedded edge) goes through; a connection over the
 * per-source cap is closed at once while the others stay; an oversized frame closes its
 * connection; an answered connection is closed once idle. And the answers built before the
 * domain is reached: FORMERR for bad counts, BADTIME for a stale signature. Transport only, so SQLite alone: the
 * database is behind answerUpdate, which rfc2136-update.test.ts runs on both.
 *
 * Test clients connect from 127.0.0.2 and 127.0.0.3 (Linux routes all of 127/8 to lo), so the
 * embedded edge's forwards (from 127.0.0.1) are counted apart from them.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { connect, type Socket } from "node:net";
import os from "node:os";
import path from "node:path";
import { appendTsig, decodeMessage } from "@dnscove/edge";
import {
  type ApiProcess,
  dig,
  freePort,
  runCommand,
  signIn,
  startApiProcess,
  waitFor,
} from "@dnscove/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const MESSAGE_TIMEOUT_MS = 3000;
const IDLE_TIMEOUT_MS = 1500;
const MAX_PER_SOURCE = 3;
const MAX_MESSAGE_BYTES = 1024;

interface Client {
  socket: Socket;
  received: Buffer[];
  closed: Promise<void>;
  /** Set when the server closed it (we never end these sockets ourselves before then). */
  closedAt?: number;
}

let sequence = 0;

function open(port: number, localAddress: string): Promise<Client> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port, localAddress });
    const client: Client = {
      socket,
      received: [],
      closed: new Promise((done) =>
        socket.once("close", () => {
          client.closedAt = ++sequence;
          done();
        }),
      ),
    };
    socket.on("data", (chunk) => client.received.push(chunk));
    // A connection refused at accept may surface as ECONNRESET: that is a close too.
    socket.on("error", () => undefined);
    socket.once("connect", () => resolve(client));
    socket.once("close", () => reject(new Error("closed before connecting")));
  });
}

/** An unsigned UPDATE for `zone` (RFC 2136 §2): header, one zone RR (SOA, IN), nothing else. */
function unsignedUpdate(zone: string): Buffer {
  const head = Buffer.alloc(12);
  head.writeUInt16BE(0x1234, 0);
  head.writeUInt16BE(5 << 11, 2);
  head.writeUInt16BE(1, 4);
  const labels = zone.split(".").filter(Boolean);
  const name = Buffer.concat([
    ...labels.map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l)])),
    Buffer.from([0]),
  ]);
  const tail = Buffer.from([0, 6, 0, 1]);
  return Buffer.concat([head, name, tail]);
}

function framed(message: Buffer): Buffer {
  const len = Buffer.alloc(2);
  len.writeUInt16BE(message.length, 0);
  return Buffer.concat([len, message]);
}

describe("update listener: limits and wire answers (sqlite)", () => {
  let api: ApiProcess;
  let dnsPort: number;
  let updatePort: number;
  let token: string;
  let zoneId: string;
  let key: { name: string; secret: string };
  let dir: string;
  const origin = "limits.example";

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "dnscove-update-limits-"));
    dnsPort = await freePort();
    updatePort = await freePort();
    api = await startApiProcess(undefined, {
      DNS_PORT: String(dnsPort),
      DNSCOVE_UPDATE_PORT: String(updatePort),
      DNSCOVE_UPDATE_TCP_MAX_PER_SOURCE: String(MAX_PER_SOURCE),
      DNSCOVE_UPDATE_TCP_MESSAGE_TIMEOUT_MS: String(MESSAGE_TIMEOUT_MS),
      DNSCOVE_UPDATE_TCP_IDLE_TIMEOUT_MS: String(IDLE_TIMEOUT_MS),
      DNSCOVE_UPDATE_MAX_MESSAGE_BYTES: String(MAX_MESSAGE_BYTES),
    });
    token = await signIn(api.call);
    const zone = await api.call("POST", "/api/zones", { bearer: token, body: { origin } });
    expect(zone.status).toBe(201);
    zoneId = (zone.body as { id: string }).id;
    const created = await api.call("POST", `/api/zones/${zoneId}/tsig-keys`, {
      bearer: token,
      body: { name: "limits", scope: "zone-admin" },
    });
    expect(created.status).toBe(201);
    key = created.body as { name: string; secret: string };
  }, 120_000);

  afterAll(async () => {
    await api?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("drops a slow-loris client at the message deadline; another client's update goes through meanwhile", {
    timeout: 120_000,
  }, async () => {
    const loris = await open(updatePort, "127.0.0.2");
    // A frame announcing 1000 octets, then one octet every 100 ms: it would take 100 s to complete,
    // so only a deadline that trickling does not extend closes it.
    loris.socket.write(Buffer.from([0x03, 0xe8, 0x00]));
    const trickle = setInterval(() => {
      if (!loris.socket.destroyed) loris.socket.write(Buffer.from([0]));
    }, 100);
    try {
      const file = path.join(dir, `${randomBytes(4).toString("hex")}.txt`);
      writeFileSync(
        file,
        [
          `server 127.0.0.1 ${dnsPort}`,
          `zone ${origin}`,
          `update add www.${origin} 300 A 192.0.2.7`,
          "send",
          "",
        ].join("\n"),
      );
      const result = await runCommand("nsupdate", ["-y", `hmac-sha256:${key.name}:${key.secret}`, file], {
        timeoutMs: 60_000,
      });
      expect(result.code, result.stdout + result.stderr).toBe(0);
      expect((await dig(dnsPort, `www.${origin}`, "A", "+short")).trim()).toBe("192.0.2.7");
      await loris.closed;
      expect(Buffer.concat(loris.received)).toHaveLength(0);
    } finally {
      clearInterval(trickle);
      loris.socket.destroy();
    }
  });

  it("closes a connection over the per-source cap at once, not the ones before it", {
    timeout: 60_000,
  }, async () => {
    const held: Client[] = [];
    for (let i = 0; i < MAX_PER_SOURCE; i++) held.push(await open(updatePort, "127.0.0.3"));
    try {
      const over = await open(updatePort, "127.0.0.3").catch(() => undefined);
      // Refused at accept: closed (or never connected) with nothing sent and no byte answered.
      if (over) {
        await over.closed;
        expect(Buffer.concat(over.received)).toHaveLength(0);
        // Before any of the held ones, which only the message deadline closes.
        for (const h of held)
          expect(h.closedAt === undefined || h.closedAt > (over.closedAt ?? 0)).toBe(true);
      }
      // The held ones are then closed by the message deadline, which frees the source's slots.
      await Promise.all(held.map((h) => h.closed));
      const again = await open(updatePort, "127.0.0.3");
      again.socket.write(framed(unsignedUpdate(origin)));
      await waitFor("the answer", async () => Buffer.concat(again.received).length >= 14, 30_000);
      again.socket.destroy();
    } finally {
      for (const h of held) h.socket.destroy();
    }
  });

  it("closes the connection on a frame longer than DNSCOVE_UPDATE_MAX_MESSAGE_BYTES", async () => {
    const client = await open(updatePort, "127.0.0.2");
    const len = Buffer.alloc(2);
    len.writeUInt16BE(MAX_MESSAGE_BYTES + 1, 0);
    client.socket.write(Buffer.concat([len, Buffer.alloc(16)]));
    await client.closed;
    expect(Buffer.concat(client.received)).toHaveLength(0);
  });

  it("answers over TCP (an unsigned update: REFUSED) and closes the connection once idle", async () => {
    const client = await open(updatePort, "127.0.0.2");
    client.socket.write(framed(unsignedUpdate(origin)));
    await client.closed;
    const answer = Buffer.concat(client.received);
    expect(answer.readUInt16BE(0)).toBe(answer.length - 2);
    expect(answer.readUInt16BE(2)).toBe(0x1234);
    // QR, opcode UPDATE, RCODE REFUSED (5).
    expect(answer.readUInt16BE(4) & 0xf87f).toBe(0x8000 | (5 << 11) | 5);
  });

  it("answers FORMERR to a message whose counts promise more than it holds", async () => {
    const wire = unsignedUpdate(origin);
    wire.writeUInt16BE(3, 10);
    const client = await open(updatePort, "127.0.0.2");
    client.socket.write(framed(wire));
    await waitFor("the answer", async () => Buffer.concat(client.received).length >= 14, 30_000);
    client.socket.destroy();
    const answer = Buffer.concat(client.received).subarray(2);
    expect(answer.readUInt16BE(0)).toBe(0x1234);
    expect(answer.readUInt16BE(2) & 0xf).toBe(1);
  });

  it("answers BADTIME (NOTAUTH, with the server's time) to an update signed an hour ago, and changes nothing", async () => {
    const before = (await api.call("GET", `/api/zones/${zoneId}`, { bearer: token })).body as {
      serial: number;
    };
    // UPDATE: zone limits.example SOA IN; one add, late.limits.example 300 A 192.0.2.9.
    const add = Buffer.concat([
      unsignedUpdate(origin),
      Buffer.from([4, ...Buffer.from("late"), 6, ...Buffer.from("limits"), 7, ...Buffer.from("example"), 0]),
      Buffer.from([0, 1, 0, 1, 0, 0, 1, 44, 0, 4, 192, 0, 2, 9]),
    ]);
    add.writeUInt16BE(1, 8);
    const now = Math.floor(Date.now() / 1000);
    const signed = appendTsig(add, {
      key: { name: key.name, secret: Buffer.from(key.secret, "base64") },
      time: now - 3600,
    });
    const client = await open(updatePort, "127.0.0.2");
    client.socket.write(framed(signed.wire));
    await waitFor(
      "the answer",
      async () => {
        const got = Buffer.concat(client.received);
        return got.length >= 2 && got.length >= 2 + got.readUInt16BE(0);
      },
      30_000,
    );
    client.socket.destroy();
    const answer = Buffer.concat(client.received).subarray(2);
    // NOTAUTH (9), RFC 8945 §5.2.3.
    expect(answer.readUInt16BE(2) & 0xf).toBe(9);
    const tsig = decodeMessage(answer).tsig;
    expect(tsig?.error).toBe(18); // BADTIME
    expect(tsig?.timeSigned).toBe(now - 3600);
    // Signed (a MAC, unlike BADKEY/BADSIG answers), and the server's time in Other Data (6 octets).
    expect(tsig?.mac.length).toBe(32);
    expect(tsig?.otherData.length).toBe(6);
    const other = Buffer.from(tsig?.otherData ?? []);
    const serverTime = other.readUInt16BE(0) * 0x100000000 + other.readUInt32BE(2);
    expect(Math.abs(serverTime - now)).toBeLessThanOrEqual(300);
    const after = (await api.call("GET", `/api/zones/${zoneId}`, { bearer: token })).body as {
      serial: number;
    };
    expect(after.serial).toBe(before.serial);
    expect((await dig(dnsPort, `late.${origin}`, "A", "+short")).trim()).toBe("");
  });
});
