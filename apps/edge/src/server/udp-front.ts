/**
 * The UDP front end (RFC 1035 section 4.2.1): one datagram in, its responses out, each passed
 * through response rate limiting when that is on (response-rate-limit.ts).
 */
import type { RemoteInfo, Socket as UdpSocket } from "node:dgram";
import type { EdgeMetrics } from "../metrics/edge-metrics.js";
import type { RequestContext } from "./handle-request.js";
import { type ResponseRateLimiter, truncatedResponse } from "./response-rate-limit.js";

/** Answers one request: at once, or later (an IXFR difference read from the journal, TCP only). */
export type SafeHandle = (buf: Buffer, ctx: RequestContext) => Buffer[] | Promise<Buffer[]>;

/**
 * Returns the datagram handler: (message, rinfo) → zero or more sends. The one place where a UDP
 * request becomes a response on the wire.
 */
export function udpAnswerer(
  socket: UdpSocket,
  handle: SafeHandle,
  rrl: ResponseRateLimiter | undefined,
  metrics?: Pick<EdgeMetrics, "rateLimited">,
): (msg: Buffer, rinfo: RemoteInfo) => void {
  return (msg, rinfo) => {
    const ctx: RequestContext = { transport: "udp", address: rinfo.address, port: rinfo.port };
    const send = (responses: Buffer[]): void => {
      for (const response of responses) {
        const verdict = rrl ? rrl.check(rinfo.address, response) : "send";
        if (verdict === "send") socket.send(response, rinfo.port, rinfo.address);
        else if (verdict === "slip") {
          socket.send(truncatedResponse(response), rinfo.port, rinfo.address);
          metrics?.rateLimited("slip");
        } else metrics?.rateLimited("drop");
      }
    };
    // Over UDP every answer is immediate (an IXFR gets the SOA alone); a promise is handled anyway.
    const responses = handle(msg, ctx);
    if (Array.isArray(responses)) send(responses);
    else responses.then(send, () => {});
  };
}
