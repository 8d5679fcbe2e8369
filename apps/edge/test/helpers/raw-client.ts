/** Raw UDP/TCP exchanges for malformed-input tests. */
import { createSocket } from "node:dgram";
import { connect, type Socket } from "node:net";
import { CLASS_IN, OPCODE, TYPE } from "../../src/wire/constants.js";
import { MessageBuilder } from "../../src/wire/message-builder.js";
import { keyToWire, toKey } from "../../src/wire/names.js";

export function query(id: number, name: string, qtype: number = TYPE.A, edns = false): Buffer {
  const key = toKey(name);
  const b = new MessageBuilder(65535, { id, opcode: OPCODE.QUERY, rcode: 0, qr: false });
  b.addQuestion(keyToWire(key), key, qtype, CLASS_IN);
  if (edns) b.addOpt(1232, 0, false);
  return b.finish();
}

/** Sends one datagram and waits for the first reply (or undefined on timeout). */
export function udpExchange(port: number, msg: Buffer, timeoutMs = 500): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const s = createSocket("udp4");
    const t = setTimeout(() => {
      s.close();
      resolve(undefined);
    }, timeoutMs);
    s.on("message", (m) => {
      clearTimeout(t);
      s.close();
      resolve(m);
    });
    s.send(msg, port, "127.0.0.1");
  });
}

export function frame(msg: Buffer): Buffer {
  const p = Buffer.alloc(2);
  p.writeUInt16BE(msg.length, 0);
  return Buffer.concat([p, msg]);
}

/** A TCP connection that collects length-prefixed responses. */
export class TcpClient {
  readonly responses: Buffer[] = [];
  private pending = Buffer.alloc(0);
  closed = false;
  private constructor(readonly socket: Socket) {
    socket.on("data", (c: Buffer) => {
      this.pending = Buffer.concat([this.pending, c]);
      while (this.pending.length >= 2 && this.pending.length >= 2 + this.pending.readUInt16BE(0)) {
        const n = this.pending.readUInt16BE(0);
        this.responses.push(this.pending.subarray(2, 2 + n));
        this.pending = this.pending.subarray(2 + n);
      }
    });
    socket.on("close", () => {
      this.closed = true;
    });
    socket.on("error", () => {
      this.closed = true;
    });
  }
  static open(port: number): Promise<TcpClient> {
    return new Promise((resolve, reject) => {
      const s = connect(port, "127.0.0.1", () => resolve(new TcpClient(s)));
      s.once("error", reject);
    });
  }
  async waitFor(n: number, timeoutMs = 2000): Promise<boolean> {
    const t0 = Date.now();
    while (this.responses.length < n && Date.now() - t0 < timeoutMs)
      await new Promise((r) => setTimeout(r, 10));
    return this.responses.length >= n;
  }
  async waitClosed(timeoutMs = 2000): Promise<boolean> {
    const t0 = Date.now();
    while (!this.closed && Date.now() - t0 < timeoutMs) await new Promise((r) => setTimeout(r, 10));
    return this.closed;
  }
  close(): void {
    this.socket.destroy();
  }
}
