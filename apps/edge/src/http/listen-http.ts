import type { Server } from "node:http";

/** A small HTTP listener of the edge's (health, metrics): its real port and how to stop it. */
export interface HttpListener {
  port: number;
  close(): Promise<void>;
}

/**
 * Listens on host:port, failing if that cannot be bound (a taken or bad port stops the start).
 * Later errors (a client's broken socket is not one) are not worth stopping the edge for.
 */
export async function listenHttp(server: Server, host: string, port: number): Promise<HttpListener> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      server.on("error", () => undefined);
      resolve();
    });
  });
  const address = server.address();
  return {
    port: typeof address === "object" && address ? address.port : port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
