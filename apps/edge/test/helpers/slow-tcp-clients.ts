/**
 * A slow-drip TCP attacker: many connections that each promise a 256-octet query and send one
 * octet every few seconds, reconnecting whenever the server closes them (an attacker keeps trying).
 */
import { connect, type Socket } from "node:net";

export class SlowTcpClients {
  /** Connections the client saw established and not yet closed, with when they connected. */
  readonly live = new Map<Socket, number>();
  /** How long each closed connection lived, in ms (from connect to close). */
  readonly lifetimes: number[] = [];
  connects = 0;
  private stopped = false;
  private reconnecting = true;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly port: number,
    private readonly sources: string[],
    private readonly byteEveryMs: number,
    private readonly reconnectDelayMs: number,
  ) {}

  start(count: number): void {
    for (let i = 0; i < count; i++) this.open(this.sources[i % this.sources.length] as string);
  }

  private open(localAddress: string): void {
    if (this.stopped) return;
    const socket = connect({ host: "127.0.0.1", port: this.port, localAddress });
    let connectedAt = 0;
    let drip: NodeJS.Timeout | undefined;
    socket.on("connect", () => {
      connectedAt = Date.now();
      this.connects++;
      this.live.set(socket, connectedAt);
      socket.write(Buffer.from([0x01])); // the length prefix says 256+ octets follow
      drip = setInterval(() => socket.write(Buffer.from([0x41])), this.byteEveryMs);
    });
    socket.on("data", () => {});
    socket.on("error", () => {});
    socket.on("close", () => {
      if (drip) clearInterval(drip);
      if (this.live.delete(socket)) this.lifetimes.push(Date.now() - connectedAt);
      if (this.stopped || !this.reconnecting) return;
      const t = setTimeout(() => {
        this.timers.delete(t);
        this.open(localAddress);
      }, this.reconnectDelayMs);
      this.timers.add(t);
    });
  }

  /** The age of the oldest connection still open, in ms. */
  oldestLiveMs(): number {
    let oldest = Date.now();
    for (const at of this.live.values()) oldest = Math.min(oldest, at);
    return Date.now() - oldest;
  }

  /** Keeps the open connections (and their drip) but opens no new ones. */
  stopReconnecting(): void {
    this.reconnecting = false;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    for (const s of this.live.keys()) s.destroy();
  }
}
