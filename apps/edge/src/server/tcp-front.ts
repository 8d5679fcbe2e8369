/**
 * The TCP front end (RFC 1035 section 4.2.2, RFC 7766), built so that no client can deny TCP to
 * the others or stall the process:
 *
 * - Admission (RFC 7766 section 6.2.2): at most `maxPerSource` connections per source address and
 *   `maxConnections` in all. When either is full, the oldest idle connection (of that source, or of
 *   anyone) is closed to admit the new one; if none is idle the new one is closed. Idle means no
 *   complete query waiting or being answered and no response unsent; a half-received query is idle.
 * - Deadlines (RFC 7766 section 6.2.3), none of which partial bytes extend: the first query must be
 *   complete within `messageTimeoutMs` of accept; each later query within `messageTimeoutMs` of its
 *   first byte; a connection with nothing pending is closed `idleTimeoutMs` after its last response
 *   was flushed; a busy one when nothing was answered or flushed for `idleTimeoutMs` (a client that
 *   never reads).
 * - Pipelining (RFC 7766 section 6.2.1.1) is bounded: at most `maxInflight` queries received and not
 *   yet written per connection; reading is paused while that many are queued or the socket's write
 *   buffer holds more than `maxWriteBuffer` octets, and resumed as it flushes. At most
 *   `messagesPerTurn` queries are answered before yielding to the event loop (setImmediate), so one
 *   connection cannot monopolise the process.
 * - Input is bounded: queued queries hold at most `MAX_QUEUED_OCTETS` (one maximal message, so 16
 *   ordinary queries fit), plus at most one partial frame (≤ 65,537 octets) and the one read that
 *   filled the queue: about 200 KiB per connection at worst.
 * - Multi-message responses (AXFR, RFC 5936) go out through the same bounded write path.
 * - An answer that comes later (an IXFR difference read from the change journal) holds that
 *   connection's later queries until it is written, so responses keep the queries' order; other
 *   connections and UDP are answered meanwhile.
 */

import type { Socket } from "node:net";
import type { EdgeMetrics } from "../metrics/edge-metrics.js";
import type { EdgeLogger } from "./dns-server.js";
import type { RequestContext } from "./handle-request.js";
import type { SafeHandle } from "./udp-front.js";

export interface TcpLimits {
  /** All open connections. */
  maxConnections: number;
  /** Open connections from one source address. */
  maxPerSource: number;
  /** Time to receive a complete query (from accept, or from its first byte). */
  messageTimeoutMs: number;
  /** Time a connection with nothing pending stays open after its last response. */
  idleTimeoutMs: number;
  /** Queries received and not yet written, per connection. */
  maxInflight: number;
  /** Octets queued in the socket beyond which reading and answering pause. */
  maxWriteBuffer: number;
  /** Queries answered per connection before yielding to the event loop. */
  messagesPerTurn: number;
}

/** See config.ts for why these numbers. */
export const TCP_DEFAULTS: TcpLimits = {
  maxConnections: 1000,
  maxPerSource: 20,
  messageTimeoutMs: 5000,
  idleTimeoutMs: 10_000,
  maxInflight: 16,
  maxWriteBuffer: 256 * 1024,
  messagesPerTurn: 8,
};

const REPORT_INTERVAL_MS = 10_000;
/** Octets of complete queries one connection may hold unanswered: one maximal DNS message. */
const MAX_QUEUED_OCTETS = 65_536;

export class TcpFront {
  /** In accept order, so the first idle one found is the oldest. */
  private readonly connections = new Set<TcpConnection>();
  private readonly perSource = new Map<string, number>();
  private readonly counts = { evicted: 0, refused: 0, timedOut: 0 };
  private readonly timer: NodeJS.Timeout;

  constructor(
    readonly limits: TcpLimits,
    readonly handle: SafeHandle,
    private readonly log: EdgeLogger,
    private readonly metrics?: Pick<EdgeMetrics, "tcpOpened" | "tcpClosed">,
  ) {
    this.timer = setInterval(() => this.report(), REPORT_INTERVAL_MS);
    this.timer.unref();
  }

  get size(): number {
    return this.connections.size;
  }

  accept(socket: Socket): void {
    const address = socket.remoteAddress ?? "";
    const sourceFull = (this.perSource.get(address) ?? 0) >= this.limits.maxPerSource;
    if (sourceFull && !this.evictIdle(address)) {
      this.refuse(socket);
      return;
    }
    if (this.connections.size >= this.limits.maxConnections && !this.evictIdle(undefined)) {
      this.refuse(socket);
      return;
    }
    const conn = new TcpConnection(socket, address, this);
    this.connections.add(conn);
    this.metrics?.tcpOpened();
    this.perSource.set(address, (this.perSource.get(address) ?? 0) + 1);
  }

  /** Called once when a connection ends, whatever the reason. */
  forget(conn: TcpConnection, timedOut: boolean): void {
    if (!this.connections.delete(conn)) return;
    this.metrics?.tcpClosed();
    if (timedOut) this.counts.timedOut++;
    const n = (this.perSource.get(conn.address) ?? 1) - 1;
    if (n <= 0) this.perSource.delete(conn.address);
    else this.perSource.set(conn.address, n);
  }

  closeAll(): void {
    clearInterval(this.timer);
    for (const conn of [...this.connections]) conn.close(false);
  }

  private evictIdle(address: string | undefined): boolean {
    for (const conn of this.connections) {
      if ((address === undefined || conn.address === address) && conn.idle()) {
        conn.close(false);
        this.counts.evicted++;
        return true;
      }
    }
    return false;
  }

  private refuse(socket: Socket): void {
    this.counts.refused++;
    socket.on("error", () => {});
    socket.destroy();
  }

  private report(): void {
    const { evicted, refused, timedOut } = this.counts;
    if (evicted + refused + timedOut === 0) return;
    this.log.info(
      { evicted, refused, timedOut, open: this.connections.size, limits: this.limits },
      "tcp connection limits reached: connections evicted, refused or timed out",
    );
    this.counts.evicted = 0;
    this.counts.refused = 0;
    this.counts.timedOut = 0;
  }
}

function framed(message: Buffer): Buffer {
  const out = Buffer.allocUnsafe(2 + message.length);
  out.writeUInt16BE(message.length, 0);
  message.copy(out, 2);
  return out;
}

class TcpConnection {
  private readonly ctx: RequestContext;
  private readonly limits: TcpLimits;
  private readonly acceptedAt = Date.now();
  /** Received octets not yet split into frames; `buffered` is their total length. */
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** When the first octet of the frame now being received arrived. */
  private frameStart = 0;
  /** Complete queries waiting to be answered. */
  private readonly frames: Buffer[] = [];
  /** Octets of the queries in `frames`. */
  private queuedOctets = 0;
  /** Framed responses not yet handed to the socket. */
  private readonly out: Buffer[] = [];
  private received = 0;
  /** Last complete query, answer or flushed write. */
  private lastProgress = Date.now();
  private scheduled = false;
  /** An answer is being computed asynchronously (see the header). */
  private awaiting = false;
  private paused = false;
  /** The client half-closed: answer what is complete, then end (RFC 7766 section 6.2.4 lets either side close). */
  private readEnded = false;
  private closed = false;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Number.POSITIVE_INFINITY;

  constructor(
    private readonly socket: Socket,
    readonly address: string,
    private readonly front: TcpFront,
  ) {
    this.limits = front.limits;
    this.ctx = { transport: "tcp", address, port: socket.remotePort ?? 0 };
    socket.setNoDelay(true);
    socket.on("data", (chunk: Buffer) => this.onData(chunk));
    socket.on("drain", () => this.schedule());
    socket.on("end", () => {
      this.readEnded = true;
      this.maybeFinish();
    });
    socket.on("error", () => this.close(false));
    socket.on("close", () => this.close(false));
    this.armTimer();
  }

  /** No query waiting or being answered and nothing unsent: safe to close for someone else. */
  idle(): boolean {
    return (
      !this.awaiting &&
      this.frames.length === 0 &&
      this.out.length === 0 &&
      this.socket.writableLength === 0 &&
      !this.hasCompleteFrame()
    );
  }

  close(timedOut: boolean): void {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.chunks = [];
    this.buffered = 0;
    this.frames.length = 0;
    this.out.length = 0;
    this.front.forget(this, timedOut);
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    if (this.buffered === 0) this.frameStart = Date.now();
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    this.extract();
    this.updateFlow();
    if (this.frames.length > 0) this.schedule();
    this.armTimer();
  }

  private peekLength(): number {
    const first = this.chunks[0] as Buffer;
    if (first.length >= 2) return first.readUInt16BE(0);
    const second = this.chunks[1] as Buffer;
    return ((first[0] as number) << 8) | (second[0] as number);
  }

  private hasCompleteFrame(): boolean {
    return this.buffered >= 2 && this.buffered >= 2 + this.peekLength();
  }

  /** Removes and returns the next `n` buffered octets as one new buffer. */
  private take(n: number): Buffer {
    const first = this.chunks[0] as Buffer;
    if (first.length >= n) {
      const out = Buffer.from(first.subarray(0, n));
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
      this.buffered -= n;
      return out;
    }
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    while (filled < n) {
      const c = this.chunks[0] as Buffer;
      const k = Math.min(c.length, n - filled);
      c.copy(out, filled, 0, k);
      filled += k;
      if (k === c.length) this.chunks.shift();
      else this.chunks[0] = c.subarray(k);
    }
    this.buffered -= n;
    return out;
  }

  /** Moves complete frames from the input to the query queue, up to `maxInflight` and the octet bound. */
  private extract(): void {
    let got = false;
    while (!this.queueFull() && this.hasCompleteFrame()) {
      const frame = this.take(2 + this.peekLength()).subarray(2);
      this.frames.push(frame);
      this.queuedOctets += frame.length;
      this.received++;
      got = true;
    }
    if (!got) return;
    const now = Date.now();
    this.lastProgress = now;
    this.frameStart = now;
    // A small leftover must not pin a whole received chunk in memory.
    if (this.chunks.length === 1) {
      const rest = this.chunks[0] as Buffer;
      if (rest.buffer.byteLength > 4 * rest.length + 1024) this.chunks[0] = Buffer.from(rest);
    } else if (this.buffered === 0) {
      this.chunks = [];
    }
  }

  private schedule(): void {
    if (this.scheduled || this.closed) return;
    this.scheduled = true;
    setImmediate(() => this.pump());
  }

  /** Answers up to `messagesPerTurn` queries, writing while the socket's buffer allows. */
  private pump(): void {
    this.scheduled = false;
    if (this.closed) return;
    let budget = this.limits.messagesPerTurn;
    for (;;) {
      this.flush();
      if (this.out.length > 0) break; // the write callbacks and 'drain' bring us back
      if (this.awaiting) break; // its settlement brings us back
      if (this.frames.length === 0) this.extract();
      const frame = this.frames.shift();
      if (!frame) break;
      this.queuedOctets -= frame.length;
      const responses = this.front.handle(frame, this.ctx);
      if (!Array.isArray(responses)) {
        this.later(responses);
        break;
      }
      for (const response of responses) this.out.push(framed(response));
      this.lastProgress = Date.now();
      if (--budget === 0) {
        this.flush();
        if (this.out.length === 0 && (this.frames.length > 0 || this.hasCompleteFrame())) this.schedule();
        break;
      }
    }
    this.extract();
    this.updateFlow();
    this.maybeFinish();
    this.armTimer();
  }

  private later(responses: Promise<Buffer[]>): void {
    this.awaiting = true;
    responses.then(
      (messages) => {
        this.awaiting = false;
        if (this.closed) return;
        for (const response of messages) this.out.push(framed(response));
        this.lastProgress = Date.now();
        this.schedule();
      },
      () => this.close(false),
    );
  }

  private maybeFinish(): void {
    if (this.readEnded && !this.closed && this.idle() && !this.scheduled) this.socket.end();
  }

  private flush(): void {
    while (this.out.length > 0 && this.socket.writableLength < this.limits.maxWriteBuffer) {
      this.socket.write(this.out.shift() as Buffer, this.onFlushed);
    }
  }

  private readonly onFlushed = (err?: Error | null): void => {
    if (err || this.closed) return;
    this.lastProgress = Date.now();
    if (this.out.length > 0 || this.paused || this.frames.length > 0) this.schedule();
    else {
      this.maybeFinish();
      this.armTimer();
    }
  };

  private queueFull(): boolean {
    return this.frames.length >= this.limits.maxInflight || this.queuedOctets >= MAX_QUEUED_OCTETS;
  }

  /** Pauses reading while the queue is full or the client is not reading fast enough. */
  private updateFlow(): void {
    const full =
      this.queueFull() || this.out.length > 0 || this.socket.writableLength > this.limits.maxWriteBuffer;
    if (full && !this.paused) {
      this.paused = true;
      this.socket.pause();
    } else if (!full && this.paused) {
      this.paused = false;
      this.socket.resume();
    }
  }

  private deadline(): number {
    if (!this.idle()) return this.lastProgress + this.limits.idleTimeoutMs;
    if (this.received === 0) return this.acceptedAt + this.limits.messageTimeoutMs;
    if (this.buffered > 0) return this.frameStart + this.limits.messageTimeoutMs;
    return this.lastProgress + this.limits.idleTimeoutMs;
  }

  /** One timer per connection, moved only when the deadline comes earlier; it re-checks on firing. */
  private armTimer(): void {
    if (this.closed) return;
    const at = this.deadline();
    if (this.timer && this.timerAt <= at) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => this.onTimer(), Math.max(0, at - Date.now()));
    this.timer.unref();
  }

  private onTimer(): void {
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
    if (this.closed) return;
    if (Date.now() >= this.deadline()) this.close(true);
    else this.armTimer();
  }
}
