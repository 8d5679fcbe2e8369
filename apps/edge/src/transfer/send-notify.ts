/**
 * NOTIFY (RFC 1996) to one secondary over UDP, with retransmission.
 *
 * The request has opcode NOTIFY, AA set, the question `<origin> IN SOA` and, when `soa` is given
 * (canonical SOA RDATA + TTL), that SOA in the answer section as a hint (RFC 1996 section 3.7).
 * It resolves true once a response with the same ID, QR=1, opcode NOTIFY, RCODE NOERROR and the
 * same question arrives (and, with a TSIG key, a valid TSIG over it); false on timeout.
 */
import { randomInt } from "node:crypto";
import { createSocket } from "node:dgram";
import { isIPv6 } from "node:net";
import { rdataToWire } from "@dnscove/dns";
import { CLASS_IN, OPCODE, RCODE, TYPE } from "../wire/constants.js";
import { decodeMessage } from "../wire/decode-message.js";
import { MessageBuilder } from "../wire/message-builder.js";
import { keyToWire, toKey } from "../wire/names.js";
import { appendTsig, resolveKey, type TsigKey, verifyResponse } from "./tsig.js";

export interface NotifyTarget {
  host: string;
  port: number;
  tsigKey?: TsigKey;
}

export interface NotifyOptions {
  /** SOA to include in the answer section: canonical RDATA (its serial is replaced by `serial`). */
  soa?: { record: string; ttl: number };
  /** Number of transmissions within timeoutMs (default 3, evenly spaced). */
  attempts?: number;
}

export function buildNotify(id: number, origin: string, serial: number, soa?: NotifyOptions["soa"]): Buffer {
  const key = toKey(origin);
  const b = new MessageBuilder(65535, {
    id,
    opcode: OPCODE.NOTIFY,
    aa: true,
    rcode: RCODE.NOERROR,
    qr: false,
  });
  b.addQuestion(keyToWire(key), key, TYPE.SOA, CLASS_IN);
  if (soa) {
    const f = soa.record.trim().split(/\s+/);
    f[2] = String(serial >>> 0);
    b.addRRset("answer", [
      { owner: key, type: TYPE.SOA, ttl: soa.ttl, rdata: rdataToWire("SOA", f.join(" ")) },
    ]);
  }
  return b.finish();
}

export function sendNotify(
  target: NotifyTarget,
  origin: string,
  serial: number,
  timeoutMs: number,
  options: NotifyOptions = {},
): Promise<boolean> {
  const id = randomInt(0, 0x10000);
  const zoneKey = toKey(origin);
  let wire = buildNotify(id, origin, serial, options.soa);
  let requestMac: Uint8Array | undefined;
  const key = target.tsigKey ? resolveKey(target.tsigKey) : undefined;
  if (key) {
    const signed = appendTsig(wire, { key, time: Math.floor(Date.now() / 1000) });
    wire = signed.wire;
    requestMac = signed.mac;
  }
  const attempts = Math.max(1, options.attempts ?? 3);
  return new Promise((resolve) => {
    const sock = createSocket(isIPv6(target.host) ? "udp6" : "udp4");
    const timers: NodeJS.Timeout[] = [];
    let done = false;
    const finish = (ok: boolean) => {
      if (done) return;
      done = true;
      for (const t of timers) clearTimeout(t);
      try {
        sock.close();
      } catch {
        /* already closed */
      }
      resolve(ok);
    };
    sock.on("error", () => finish(false));
    sock.on("message", (buf) => {
      try {
        const msg = decodeMessage(buf);
        const h = msg.header;
        if (h.id !== id || !h.qr || h.opcode !== OPCODE.NOTIFY) return;
        const q = msg.questions[0];
        if (q && (q.name.key !== zoneKey || q.qtype !== TYPE.SOA)) return;
        if (key && requestMac && !verifyResponse(msg, key, requestMac)) return finish(false);
        finish((h.flags & 0xf) === RCODE.NOERROR && (msg.edns?.extendedRcode ?? 0) === 0);
      } catch {
        /* malformed response: ignore and keep waiting */
      }
    });
    const send = () => {
      if (!done) sock.send(wire, target.port, target.host, (err) => err && finish(false));
    };
    for (let i = 0; i < attempts; i++) timers.push(setTimeout(send, Math.floor((timeoutMs / attempts) * i)));
    timers.push(setTimeout(() => finish(false), timeoutMs));
  });
}
