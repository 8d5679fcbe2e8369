/**
 * NOTIFY (RFC 1996) to one secondary over UDP, with retransmission.
 *
 * The request has opcode NOTIFY, AA set, the question `<origin> IN SOA` and, when `soa` is given
 * (SOA RDATA as text or wire + TTL), that SOA in the answer section as a hint (RFC 1996 section
 * 3.7: "the primary MAY include the SOA"). Knot logs its serial ("serial 2") and ignores a NOTIFY
 * whose serial equals the one it serves (src/knot/nameserver/notify.c) instead of refreshing.
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
  /**
   * SOA for the answer section: RDATA as canonical text or uncompressed wire; its serial is
   * replaced by `serial`.
   */
  soa?: { record: string; ttl: number } | { rdata: Uint8Array; ttl: number };
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
    let rdata: Uint8Array;
    if ("record" in soa) {
      const f = soa.record.trim().split(/\s+/);
      f[2] = String(serial >>> 0);
      rdata = rdataToWire("SOA", f.join(" "));
    } else rdata = soaRdataWithSerial(soa.rdata, serial);
    b.addRRset("answer", [{ owner: key, type: TYPE.SOA, ttl: soa.ttl, rdata }]);
  }
  return b.finish();
}

/**
 * A copy of uncompressed SOA RDATA with SERIAL replaced: MNAME and RNAME are label sequences, then
 * SERIAL is the first 32-bit field (RFC 1035 section 3.3.13).
 */
export function soaRdataWithSerial(rdata: Uint8Array, serial: number): Uint8Array {
  const copy = Buffer.from(rdata);
  let at = 0;
  for (let name = 0; name < 2; name++) {
    while (at < copy.length && copy[at] !== 0) at += (copy[at] as number) + 1;
    at++;
  }
  if (at + 20 > copy.length) throw new Error("SOA RDATA too short");
  copy.writeUInt32BE(serial >>> 0, at);
  return copy;
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
