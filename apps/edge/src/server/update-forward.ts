/**
 * Forwards an RFC 2136 UPDATE unchanged to the API's update listener over TCP and returns its
 * response (RFC 2136 §6: a secondary forwards toward the primary; TSIG is end to end, RFC 8945
 * §5.5 not applying since the message is not changed, so this process needs no key).
 * TCP whatever the client used: the response may carry a TSIG and exceed 512 octets.
 */
import { connect } from "node:net";

/** Longer than an update's publish-and-serve wait (EDGE_REFRESH_TIMEOUT_MS default 5 s), with margin. */
const FORWARD_TIMEOUT_MS = 30_000;

export function forwardUpdate(message: Uint8Array, target: { host: string; port: number }): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: target.host, port: target.port });
    let received = Buffer.alloc(0);
    socket.setTimeout(FORWARD_TIMEOUT_MS, () => socket.destroy(new Error("update forward timed out")));
    socket.on("error", reject);
    socket.on("connect", () => {
      const length = Buffer.alloc(2);
      length.writeUInt16BE(message.length, 0);
      socket.write(Buffer.concat([length, message]));
    });
    socket.on("data", (chunk) => {
      received = Buffer.concat([received, chunk]);
      if (received.length >= 2 && received.length >= 2 + received.readUInt16BE(0)) {
        socket.end();
        resolve(received.subarray(2, 2 + received.readUInt16BE(0)));
      }
    });
    socket.on("close", () => reject(new Error("update listener closed the connection")));
  });
}
