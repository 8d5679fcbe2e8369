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

/** An idle TCP connection is closed after this long (RFC 7766 §6.2.3 asks servers to time idle connections out). */
const MAX_TCP_IDLE_MS = 30_000;

/**
 * `services` may still be resolving: the listener binds first so the embedded edge workers can be
 * told its port when they are forked, before the API's services exist.
 */
export async function startUpdateListener(
  servicesReady: Promise<UpdateContext>,
  host: string,
  port: number,
): Promise<UpdateListener> {
  const tcp = createServer((socket) => serveTcp(servicesReady, socket));
  await new Promise<void>((resolve, reject) => {
    tcp.once("error", reject);
    tcp.listen(port, host, () => resolve());
  });
  const bound = (tcp.address() as { port: number }).port;
  const udp = createSocket(host.includes(":") ? "udp6" : "udp4");
  udp.on("message", (msg, rinfo) => {
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
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
    },
  };
}

function serveTcp(servicesReady: Promise<UpdateContext>, socket: Socket): void {
  let pending = Buffer.alloc(0);
  let busy = false;
  socket.setTimeout(MAX_TCP_IDLE_MS, () => socket.destroy());
  socket.on("error", () => socket.destroy());
  const pump = (): void => {
    if (busy || pending.length < 2) return;
    const length = pending.readUInt16BE(0);
    if (pending.length < 2 + length) return;
    const frame = pending.subarray(2, 2 + length);
    pending = pending.subarray(2 + length);
    busy = true;
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
        pump();
      });
  };
  socket.on("data", (chunk) => {
    pending = Buffer.concat([pending, chunk]);
    if (pending.length > 70_000 && !busy) socket.destroy();
    pump();
  });
}
