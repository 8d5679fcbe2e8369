/**
 * UDP and TCP front ends on one port (RFC 1035 section 4.2). This file binds the sockets; the
 * front ends live in udp-front.ts (with response-rate-limit.ts) and tcp-front.ts (RFC 7766).
 * Every request is handled inside try/catch: a bug answers SERVFAIL (or nothing), never crashes.
 */
import { createSocket, type Socket as UdpSocket } from "node:dgram";
import { lookup } from "node:dns";
import { createServer, isIP, isIPv6, type Server } from "node:net";
import type { EdgeMetrics } from "../metrics/edge-metrics.js";
import { emptyPlan } from "../resolver/response-plan.js";
import type { TransferPolicy } from "../transfer/transfer-acl.js";
import type { ZoneHistory } from "../transfer/zone-history.js";
import type { TransferReport } from "../transfer/zone-transfer.js";
import { RCODE } from "../wire/constants.js";
import { decodeHeader } from "../wire/decode-message.js";
import { encodeResponse } from "../wire/encode-response.js";
import type { ZoneSet } from "../zones/zone-set.js";
import { type NotifyAck, type RequestContext, RequestHandler } from "./handle-request.js";
import { ResponseRateLimiter, RRL_DEFAULTS, type RrlOptions } from "./response-rate-limit.js";
import { TCP_DEFAULTS, TcpFront, type TcpLimits } from "./tcp-front.js";
import { udpAnswerer } from "./udp-front.js";

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
  /** The change journal, for IXFR differences (RFC 1995); absent: IXFR answers in AXFR form. */
  history?: ZoneHistory;
  /** Told how each AXFR/IXFR was answered; default: an info log line. */
  onTransfer?: (report: TransferReport) => void;
  /** Shorthand for `tcp.idleTimeoutMs` (kept for existing callers). */
  tcpIdleTimeoutMs?: number;
  /** Shorthand for `tcp.maxConnections` (kept for existing callers). */
  maxTcpConnections?: number;
  /** TCP limits; anything left out takes its default from TCP_DEFAULTS. */
  tcp?: Partial<TcpLimits>;
  /**
   * UDP response rate limiting. Off when absent or when `rate` is 0 (library use and unit tests);
   * the edge's configuration (config.ts) turns it on by default.
   */
  rrl?: Partial<RrlOptions> & { rate: number };
  /**
   * false lets node:cluster workers share one UDP socket and one TCP listener on the port (the
   * primary hands out the same handle); true (default) owns the port alone.
   */
  exclusive?: boolean;
  /** Counts queries, TCP connections, rate-limited responses and transfers (metrics/edge-metrics.ts). */
  metrics?: EdgeMetrics;
  /** The API's RFC 2136 update listener, UPDATE messages are forwarded to; absent: NOTIMP. */
  updateForward?: { host: string; port: number };
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
  const log = opts.logger;
  const metrics = opts.metrics;
  // One line per transfer: operators (and the interop tests) see whether an IXFR went out as a
  // difference or whole, and why.
  const reportTransfer =
    opts.onTransfer ?? ((report) => log.info({ transfer: report }, "zone transfer answered"));
  const handler = new RequestHandler({
    ...opts,
    onTransfer: metrics
      ? (report) => {
          metrics.transfer(report);
          reportTransfer(report);
        }
      : reportTransfer,
  });
  const type = isIPv6(opts.host) ? "udp6" : "udp4";

  const failed = (err: unknown, buf: Buffer, ctx: RequestContext): Buffer[] => {
    log.error({ err, ctx }, "request handling failed");
    const h = decodeHeader(buf);
    if (!h || h.qr) return [];
    return [encodeResponse(emptyPlan(h.id, h.opcode, RCODE.SERVFAIL), 512).wire];
  };
  const handle = (buf: Buffer, ctx: RequestContext): Buffer[] | Promise<Buffer[]> => {
    try {
      const out = handler.respond(buf, ctx);
      return Array.isArray(out) ? out : out.catch((err: unknown) => failed(err, buf, ctx));
    } catch (err) {
      return failed(err, buf, ctx);
    }
  };
  // Counted once per request, from the first response message (its rcode); an AXFR's many
  // messages are one request.
  const safeHandle = !metrics
    ? handle
    : (buf: Buffer, ctx: RequestContext): Buffer[] | Promise<Buffer[]> => {
        const out = handle(buf, ctx);
        if (Array.isArray(out)) {
          metrics.answered(ctx.transport, buf, out[0]);
          return out;
        }
        return out.then((messages) => {
          metrics.answered(ctx.transport, buf, messages[0]);
          return messages;
        });
      };

  const tcpLimits: TcpLimits = {
    ...TCP_DEFAULTS,
    // The old single idle timer also bounded a stuck partial query, so the shorthand caps both.
    ...(opts.tcpIdleTimeoutMs !== undefined
      ? {
          idleTimeoutMs: opts.tcpIdleTimeoutMs,
          messageTimeoutMs: Math.min(TCP_DEFAULTS.messageTimeoutMs, opts.tcpIdleTimeoutMs),
        }
      : {}),
    ...(opts.maxTcpConnections !== undefined ? { maxConnections: opts.maxTcpConnections } : {}),
    ...opts.tcp,
  };
  const rrl =
    opts.rrl && opts.rrl.rate > 0
      ? new ResponseRateLimiter({ ...RRL_DEFAULTS, ...opts.rrl }, (counts) =>
          log.info({ rrl: counts }, "response rate limit: responses dropped or truncated"),
        )
      : undefined;

  let lastErr: unknown;
  for (let attempt = 0; attempt < 20; attempt++) {
    const front = new TcpFront(tcpLimits, safeHandle, log, metrics);
    // No server-wide maxConnections: TcpFront admits and evicts itself. Half-open is allowed so a
    // client that sends its queries and then shuts down its side still gets every answer.
    const tcp = createServer({ pauseOnConnect: false, allowHalfOpen: true }, (socket) =>
      front.accept(socket),
    );
    // Replies go to the address a query came from, which is already an IP: answer the socket's
    // per-send lookup at once instead of a DNS lookup and a tick per reply (measured: 9.5 -> 6.7 us
    // per send, bench:edge-hot-path).
    const udp = createSocket({
      type,
      reuseAddr: false,
      lookup: (address, options, callback) =>
        isIP(address) ? callback(null, address, isIP(address)) : lookup(address, options, callback),
    });
    try {
      const exclusive = opts.exclusive ?? true;
      const port = await listenTcp(tcp, opts.host, opts.port, exclusive);
      await bindUdp(udp, opts.host, port, exclusive);
      udp.on("error", (err) => log.error({ err }, "udp socket error"));
      tcp.on("error", (err) => log.error({ err }, "tcp server error"));
      udp.on("message", udpAnswerer(udp, safeHandle, rrl, metrics));
      log.info(
        { host: opts.host, port, tcp: tcpLimits, rrl: rrl ? { ...RRL_DEFAULTS, ...opts.rrl } : "off" },
        "dns server listening (udp+tcp)",
      );
      return {
        port,
        close: async () => {
          front.closeAll();
          rrl?.close();
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
      front.closeAll();
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
