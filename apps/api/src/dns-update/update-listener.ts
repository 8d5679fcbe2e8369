/**
 * The API process's RFC 2136 listener (UDP and TCP, RFC 7766 framing). Edges are read-only
 * replicas, so they forward UPDATE messages here unchanged (RFC 2136 §6; TSIG is end to end, so
 * the forwarder holds no key). DNSCOVE_UPDATE_HOST/DNSCOVE_UPDATE_PORT (docs/guides/rfc2136.md).
 */
import { createSocket } from "node:dgram";
import { createServer, type Socket } from "node:net";
import { answerUpdate, type UpdateContext } from "./update-responder.js";

export interface UpdateListener {
  host: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Bounds that keep one client from slowing the others (RFC 7766 §6.2.2, §6.2.3), the same rules as
 * the edge's TCP front (apps/edge/src/server/tcp-front.ts, docs/edge-limits.md): settings
 * DNSCOVE_UPDATE_TCP_* and DNSCOVE_UPDATE_MAX_MESSAGE_BYTES (config.ts, README).
 */
export interface UpdateListenerLimits {
  /** Open TCP connections in all; one more is closed at once. */
  maxConnections: number;
  /** Open TCP connections from one source address; one more is closed at once. */
  maxPerSource: number;
  /** Time to receive a complete message, from accept or from its first byte; partial bytes do not extend it. */
  messageTimeoutMs: number;
  /** Time a connection with nothing pending stays open after its last response. */
  idleTimeoutMs: number;
  /** Largest UPDATE message (TCP frame or UDP datagram); a larger frame closes the connection, a larger datagram is dropped. */
  maxMessageBytes: number;
}

export const UPDATE_LISTENER_DEFAULTS: UpdateListenerLimits = {
  maxConnections: 100,
  maxPerSource: 50,
  messageTimeoutMs: 5000,
  idleTimeoutMs: 10_000,
  maxMessageBytes: 65_535,
};

/**
 * `services` may still be resolving: the listener binds first so the embedded edge workers can be
 * told its port when they are forked, before the API's services exist.
 */
export async function startUpdateListener(
  servicesReady: Promise<UpdateContext>,
  host: string,
  port: number,
  limits: UpdateListenerLimits = UPDATE_LISTENER_DEFAULTS,
): Promise<UpdateListener> {
  const open = new Set<Socket>();
  const perSource = new Map<string, number>();
  const tcp = createServer((socket) => {
    const source = socket.remoteAddress ?? "";
    const fromSource = perSource.get(source) ?? 0;
    // Refused rather than evicting an older one: updates are few and short, so a full listener
    // means a flood, and the message deadline frees the slots of clients that send nothing.
    if (open.size >= limits.maxConnections || fromSource >= limits.maxPerSource) {
      socket.on("error", () => undefined);
      socket.destroy();
      return;
    }
    open.add(socket);
    perSource.set(source, fromSource + 1);
    socket.once("close", () => {
      open.delete(socket);
      const left = (perSource.get(source) ?? 1) - 1;
      if (left > 0) perSource.set(source, left);
      else perSource.delete(source);
    });
    serveTcp(servicesReady, socket, limits);
  });
  await new Promise<void>((resolve, reject) => {
    tcp.once("error", reject);
    tcp.listen(port, host, () => resolve());
  });
  const bound = (tcp.address() as { port: number }).port;
  const udp = createSocket(host.includes(":") ? "udp6" : "udp4");
  udp.on("message", (msg, rinfo) => {
    if (msg.length > limits.maxMessageBytes) return;
    servicesReady
      .then(async (context) => {
        const { services } = context;
        const response = await answerUpdate(context, msg, { address: rinfo.address }).catch(
          (err: unknown) => {
            services.logger.error({ err }, "UPDATE over UDP failed");
            return undefined;
          },
        );
        if (response) udp.send(response, rinfo.port, rinfo.address);
      })
      .catch(() => undefined);
  });
  await new Promise<void>((resolve, reject) => {
    udp.once("error", reject);
    udp.bind(bound, host, () => resolve());
  });
  return {
    host,
    port: bound,
    close: async () => {
      await new Promise<void>((resolve) => udp.close(() => resolve()));
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
    },
  };
}

function serveTcp(servicesReady: Promise<UpdateContext>, socket: Socket, limits: UpdateListenerLimits): void {
  let pending = Buffer.alloc(0);
  let busy = false;
  let deadline: NodeJS.Timeout | undefined;
  let idle = false;
  // One timer at a time: the message deadline while a message is expected or arriving (bytes do
  // not extend it, so a slow-loris client is dropped), the idle one once everything is answered.
  const arm = (ms: number, idleWait = false): void => {
    idle = idleWait;
    clearTimeout(deadline);
    deadline = setTimeout(() => socket.destroy(), ms);
  };
  arm(limits.messageTimeoutMs);
  socket.once("close", () => clearTimeout(deadline));
  socket.on("error", () => socket.destroy());
  const pump = (): void => {
    if (busy || pending.length < 2) return;
    const length = pending.readUInt16BE(0);
    if (length > limits.maxMessageBytes) {
      socket.destroy();
      return;
    }
    if (pending.length < 2 + length) return;
    const frame = pending.subarray(2, 2 + length);
    pending = pending.subarray(2 + length);
    busy = true;
    // Answering may wait for a publish (seconds): no deadline runs meanwhile.
    clearTimeout(deadline);
    idle = false;
    servicesReady
      .then((context) =>
        answerUpdate(context, frame, { address: socket.remoteAddress ?? "" }).catch((err: unknown) => {
          context.services.logger.error({ err }, "UPDATE over TCP failed");
          return undefined;
        }),
      )
      .then((response) => {
        if (response && !socket.destroyed) {
          const len = Buffer.alloc(2);
          len.writeUInt16BE(response.length, 0);
          socket.write(Buffer.concat([len, response]));
        }
      })
      .catch(() => undefined)
      .finally(() => {
        busy = false;
        if (socket.destroyed) return;
        if (pending.length > 0) arm(limits.messageTimeoutMs);
        else arm(limits.idleTimeoutMs, true);
        pump();
      });
  };
  socket.on("data", (chunk) => {
    // The first byte of a message after an idle wait starts its deadline.
    if (idle) arm(limits.messageTimeoutMs);
    pending = Buffer.concat([pending, chunk]);
    // Bounded input: one message being answered, and at most one more frame behind it.
    if (pending.length > 2 * (2 + limits.maxMessageBytes)) {
      socket.destroy();
      return;
    }
    pump();
  });
}
