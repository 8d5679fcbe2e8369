import { createSocket } from "node:dgram";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";

/**
 * Ports for servers are picked below the kernel's ephemeral range (ip_local_port_range), at
 * random. A port the kernel handed out for bind(0) comes from the same range as every client
 * connection's local port, so between our check and the server's bind a test's own HTTP or
 * PostgreSQL client could take it (EADDRINUSE), and other test files picking at the same moment
 * were often given the same few ports. Below the range only other pickers compete, each at random.
 */
const LOWEST = 10_000;

function ephemeralRangeStart(): number {
  try {
    const [low] = readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/);
    const start = Number(low);
    return Number.isInteger(start) ? start : 0;
  } catch {
    return 0;
  }
}

function candidate(): number {
  const start = ephemeralRangeStart();
  // A machine whose ephemeral range leaves no room below it: let the kernel choose.
  if (start - LOWEST < 1_000) return 0;
  return LOWEST + Math.floor(Math.random() * (start - LOWEST));
}

function tcpFree(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(undefined));
    server.listen(port, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : undefined));
    });
  });
}

function udpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket("udp4");
    socket.once("error", () => resolve(false));
    socket.bind(port, "127.0.0.1", () => socket.close(() => resolve(true)));
  });
}

/**
 * A port on 127.0.0.1 free for both TCP and UDP right now (DNS servers bind both, RFC 1035
 * section 4.2). It was free a moment ago: whoever binds it next races other processes, so callers
 * bind it at once (and startApiProcess tries again on new ports when it loses).
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await tcpFree(candidate());
    if (port !== undefined && (await udpFree(port))) return port;
  }
  throw new Error("no port on 127.0.0.1 is free for both TCP and UDP after 50 attempts");
}
