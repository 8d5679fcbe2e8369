/** Minimal SOA-serial probe (our own encoder/decoder) used to poll secondaries. */
import { randomInt } from "node:crypto";
import { createSocket } from "node:dgram";
import { CLASS_IN, OPCODE, RCODE, TYPE } from "../../src/wire/constants.js";
import { decodeMessage, Reader } from "../../src/wire/decode-message.js";
import { MessageBuilder } from "../../src/wire/message-builder.js";
import { keyToWire, toKey } from "../../src/wire/names.js";

export function soaSerial(
  port: number,
  origin: string,
  timeoutMs = 500,
  host = "127.0.0.1",
): Promise<number | undefined> {
  const id = randomInt(0, 0x10000);
  const key = toKey(origin);
  const b = new MessageBuilder(512, { id, opcode: OPCODE.QUERY, rcode: 0, qr: false });
  b.addQuestion(keyToWire(key), key, TYPE.SOA, CLASS_IN);
  const wire = b.finish();
  return new Promise((resolve) => {
    const s = createSocket("udp4");
    const done = (v: number | undefined) => {
      clearTimeout(t);
      try {
        s.close();
      } catch {
        /* closed */
      }
      resolve(v);
    };
    const t = setTimeout(() => done(undefined), timeoutMs);
    s.on("error", () => done(undefined));
    s.on("message", (buf) => {
      try {
        const m = decodeMessage(buf);
        if (m.header.id !== id) return;
        const rr = m.answers.find((a) => a.type === TYPE.SOA);
        if ((m.header.flags & 0xf) !== RCODE.NOERROR || !rr) return done(undefined);
        const r = new Reader(m.raw, rr.rdataOffset);
        r.name();
        r.name();
        done(r.u32());
      } catch {
        done(undefined);
      }
    });
    s.send(wire, port, host);
  });
}

export async function waitForSerial(
  port: number,
  origin: string,
  serial: number,
  timeoutMs: number,
): Promise<number | undefined> {
  const t0 = Date.now();
  while (Date.now() - t0 < timeoutMs) {
    if ((await soaSerial(port, origin)) === serial) return Date.now() - t0;
    await new Promise((r) => setTimeout(r, 50));
  }
  return undefined;
}
