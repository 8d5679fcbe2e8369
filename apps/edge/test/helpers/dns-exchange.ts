/**
 * Asynchronous one-shot DNS exchanges over UDP or TCP (loopback), for tests that fire thousands of
 * queries without ever blocking the event loop. Returns the raw response, or undefined on timeout.
 */
import { createSocket } from "node:dgram";
import { connect } from "node:net";

export function udpQuery(port: number, msg: Buffer, timeoutMs: number): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const s = createSocket("udp4");
    const id = msg.readUInt16BE(0);
    const done = (v: Buffer | undefined) => {
      clearTimeout(t);
      s.close();
      resolve(v);
    };
    const t = setTimeout(() => done(undefined), timeoutMs);
    s.on("error", () => done(undefined));
    s.on("message", (m) => {
      if (m.length >= 2 && m.readUInt16BE(0) === id) done(m);
    });
    s.send(msg, port, "127.0.0.1");
  });
}

export function tcpQuery(port: number, msg: Buffer, timeoutMs: number): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    let pending = Buffer.alloc(0);
    let settled = false;
    const s = connect(port, "127.0.0.1");
    const done = (v: Buffer | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(t);
      s.destroy();
      resolve(v);
    };
    const t = setTimeout(() => done(undefined), timeoutMs);
    s.on("error", () => done(undefined));
    s.on("close", () => done(undefined));
    s.on("connect", () => {
      const len = Buffer.alloc(2);
      len.writeUInt16BE(msg.length, 0);
      s.write(Buffer.concat([len, msg]));
    });
    s.on("data", (c: Buffer) => {
      pending = Buffer.concat([pending, c]);
      if (pending.length >= 2 && pending.length >= 2 + pending.readUInt16BE(0)) {
        done(pending.subarray(2, 2 + pending.readUInt16BE(0)));
      }
    });
  });
}

/** Runs `task(i)` for i in [0, count) with at most `limit` in flight. */
export async function forEachBounded(
  count: number,
  limit: number,
  task: (i: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));
}
