/**
 * UDP and TCP front ends on one port (RFC 1035 section 4.2, RFC 7766 for TCP).
 *
 * TCP: 2-octet length framing; several queries per connection, answered in order; partial frames are
 * buffered without blocking anything else; an idle connection is closed after `tcpIdleTimeoutMs`; at
 * most `maxTcpConnections` at a time. A frame shorter than a header is ignored.
 * Every request is handled inside try/catch: a bug answers SERVFAIL (or nothing), never crashes.
 */
import { createSocket, type Socket as UdpSocket } from "node:dgram";
import { createServer, isIPv6, type Server, type Socket } from "node:net";
import { emptyPlan } from "../resolver/response-plan.js";
import type { TransferPolicy } from "../transfer/transfer-acl.js";
import { RCODE } from "../wire/constants.js";
import { decodeHeader } from "../wire/decode-message.js";
import { encodeResponse } from "../wire/encode-response.js";
import type { ZoneSet } from "../zones/zone-set.js";
import { type NotifyAck, type RequestContext, RequestHandler } from "./handle-request.js";

/** The subset of a pino logger the server uses. */
export interface EdgeLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface DnsServerOptions {
  host: string;
  /** 0 picks a free port, the same number for UDP and TCP. */
  port: number;
  zones: ZoneSet;
  transfer: TransferPolicy;
  logger: EdgeLogger;
  onNotifyAck?: (ack: NotifyAck) => void;
  tcpIdleTimeoutMs?: number;
  maxTcpConnections?: number;
  /**
   * false lets node:cluster workers share one UDP socket and one TCP listener on the port (the
   * primary hands out the same handle); true (default) owns the port alone.
   */
  exclusive?: boolean;
}

export interface RunningDnsServer {
  port: number;
  close(): Promise<void>;
}

function listenTcp(server: Server, host: string, port: number, exclusive: boolean): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once("error", onError);
    server.listen({ host, port, exclusive }, () => {
      server.off("error", onError);
      const addr = server.address();
      resolve(typeof addr === "object" && addr ? addr.port : port);
    });
  });
}

function bindUdp(sock: UdpSocket, host: string, port: number, exclusive: boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    sock.once("error", onError);
    sock.bind({ address: host, port, exclusive }, () => {
      sock.off("error", onError);
      resolve();
    });
  });
}

export async function startDnsServer(opts: DnsServerOptions): Promise<RunningDnsServer> {
  const handler = new RequestHandler(opts);
  const log = opts.logger;
  const idleMs = opts.tcpIdleTimeoutMs ?? 10_000;
  const type = isIPv6(opts.host) ? "udp6" : "udp4";

  const safeHandle = (buf: Buffer, ctx: RequestContext): Buffer[] => {
    try {
      return handler.handle(buf, ctx);
    } catch (err) {
      log.error({ err, ctx }, "request handling failed");
      const h = decodeHeader(buf);
      if (!h || h.qr) return [];
      return [encodeResponse(emptyPlan(h.id, h.opcode, RCODE.SERVFAIL), 512).wire];
    }
  };

  const sockets = new Set<Socket>();
  const onConnection = (socket: Socket): void => {
    sockets.add(socket);
    const ctx: RequestContext = {
      transport: "tcp",
      address: socket.remoteAddress ?? "",
      port: socket.remotePort ?? 0,
    };
    let pending: Buffer = Buffer.alloc(0);
    socket.setNoDelay(true);
    socket.setTimeout(idleMs, () => socket.destroy());
    socket.on("error", () => socket.destroy());
    socket.on("close", () => sockets.delete(socket));
    socket.on("data", (chunk: Buffer) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      while (pending.length >= 2) {
        const len = pending.readUInt16BE(0);
        if (pending.length < 2 + len) break;
        const frame = pending.subarray(2, 2 + len);
        pending = pending.subarray(2 + len);
        if (socket.destroyed) return;
        for (const m of safeHandle(Buffer.from(frame), ctx)) {
          const prefix = Buffer.alloc(2);
          prefix.writeUInt16BE(m.length, 0);
          socket.write(Buffer.concat([prefix, m]));
        }
      }
    });
  };

  let lastErr: unknown;
  for (let attempt = 0; attempt < 20; attempt++) {
    const tcp = createServer({ pauseOnConnect: false }, onConnection);
    tcp.maxConnections = opts.maxTcpConnections ?? 256;
    const udp = createSocket({ type, reuseAddr: false });
    try {
      const exclusive = opts.exclusive ?? true;
      const port = await listenTcp(tcp, opts.host, opts.port, exclusive);
      await bindUdp(udp, opts.host, port, exclusive);
      udp.on("error", (err) => log.error({ err }, "udp socket error"));
      tcp.on("error", (err) => log.error({ err }, "tcp server error"));
      udp.on("message", (msg, rinfo) => {
        const ctx: RequestContext = { transport: "udp", address: rinfo.address, port: rinfo.port };
        for (const m of safeHandle(msg, ctx)) udp.send(m, rinfo.port, rinfo.address);
      });
      log.info({ host: opts.host, port }, "dns server listening (udp+tcp)");
      return {
        port,
        close: async () => {
          for (const s of sockets) s.destroy();
          await Promise.all([
            new Promise<void>((r) => tcp.close(() => r())),
            new Promise<void>((r) => {
              try {
                udp.close(() => r());
              } catch {
                r();
              }
            }),
          ]);
        },
      };
    } catch (err) {
      lastErr = err;
      tcp.close();
      try {
        udp.close();
      } catch {
        /* not bound */
      }
      // Only a random port can be retried: the same fixed port would fail again.
      if (opts.port !== 0 || (err as NodeJS.ErrnoException).code !== "EADDRINUSE") break;
    }
  }
  throw lastErr;
}

export type { NotifyAck };
