import { createSocket } from "node:dgram";
import { createServer } from "node:net";

/**
 * A port on 127.0.0.1 free for both TCP and UDP right now (DNS servers bind both, RFC 1035
 * section 4.2). It was free a moment ago: whoever binds it next races other processes, so callers
 * bind it at once.
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => {
        const address = server.address();
        server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
      });
    });
    const udpFree = await new Promise<boolean>((resolve) => {
      const socket = createSocket("udp4");
      socket.once("error", () => resolve(false));
      socket.bind(port, "127.0.0.1", () => socket.close(() => resolve(true)));
    });
    if (udpFree) return port;
  }
  throw new Error("no port on 127.0.0.1 is free for both TCP and UDP after 50 attempts");
}
