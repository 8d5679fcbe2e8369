import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { waitFor } from "@dnscove/testkit";
import type { Netns } from "./netns.js";
import { baseEnv, type LongRunning } from "./processes.js";

export const API_MAIN = fileURLToPath(new URL("../../../dist/src/main.js", import.meta.url));

/** Inside the namespace the ports are ours alone, so they are fixed. */
export const INNER_API_PORT = 8080;
export const EDGE_PORT = 53;

/**
 * A TCP → Unix socket forwarder run with `node -e` inside the namespace: the test process (outside
 * the namespace) reaches the API through a socket file, since Unix sockets cross network namespaces.
 */
const INNER_BRIDGE = `
const net = require("node:net");
const [socketPath, port] = process.argv.slice(1);
net.createServer((client) => {
  const upstream = net.connect(Number(port), "127.0.0.1");
  client.pipe(upstream).pipe(client);
  const end = () => { client.destroy(); upstream.destroy(); };
  client.on("error", end); upstream.on("error", end);
}).listen(socketPath, () => console.log("bridge listening"));
`;

export interface ApiProcess {
  /** Where the test process (outside the namespace) reaches the API. */
  baseUrl: string;
  /** Where lego, certbot and the CLI (inside the namespace) reach it. */
  innerUrl: string;
  edgePort: number;
  dataDir: string;
  output(): string;
  /** Signs in through the development mailer's magic link; returns a session token. */
  signIn(email: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Starts the real embedded default (`node apps/api/dist/src/main.js`: API + edge in one process,
 * SQLite in a temporary data directory) inside `ns`, with the edge answering on 127.0.0.1:53.
 */
export async function startApiInNetns(ns: Netns): Promise<ApiProcess> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "dnscove-acme-e2e-api-"));
  const socketPath = path.join(dataDir, "api.sock");
  const processes: LongRunning[] = [];
  let outer: net.Server | undefined;
  const forwarded = new Set<net.Socket>();
  const stop = async () => {
    // close() waits for open connections, and the test's HTTP client keeps idle ones for as long as
    // the API's keep-alive (65 s): end them here.
    const closed = new Promise<void>((resolve) => (outer ? outer.close(() => resolve()) : resolve()));
    for (const socket of forwarded) socket.destroy();
    await closed;
    await Promise.all(processes.map((p) => p.stop()));
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const api = ns.start(
      process.execPath,
      [API_MAIN],
      baseEnv({
        HOST: "127.0.0.1",
        PORT: String(INNER_API_PORT),
        DNS_HOST: "127.0.0.1",
        DNS_PORT: String(EDGE_PORT),
        DNSCOVE_DATA_DIR: dataDir,
        DNSCOVE_PUBLISH_INTERVAL_MS: "1000",
        LOG_LEVEL: "info",
      }),
    );
    processes.push(api);
    await api.waitForOutput(/DNSCove API listening/, "the API (embedded default)", 30_000);

    const bridge = ns.start(
      process.execPath,
      ["-e", INNER_BRIDGE, socketPath, String(INNER_API_PORT)],
      baseEnv(),
    );
    processes.push(bridge);
    await bridge.waitForOutput(/bridge listening/, "the API bridge", 10_000);

    const server = net.createServer((client) => {
      forwarded.add(client);
      client.once("close", () => forwarded.delete(client));
      const upstream = net.connect(socketPath);
      client.pipe(upstream).pipe(client);
      const end = () => {
        client.destroy();
        upstream.destroy();
      };
      client.on("error", end);
      upstream.on("error", end);
    });
    outer = server;
    const port: number = await new Promise((resolve) => {
      server.listen(0, "127.0.0.1", () => {
        const address = server.address();
        resolve(typeof address === "object" && address ? address.port : 0);
      });
    });
    const baseUrl = `http://127.0.0.1:${port}`;
    await waitFor(`the API health check (output: ${api.output()})`, async () => {
      return (await fetch(`${baseUrl}/api/health`)).ok;
    });

    return {
      baseUrl,
      innerUrl: `http://127.0.0.1:${INNER_API_PORT}`,
      edgePort: EDGE_PORT,
      dataDir,
      output: () => api.output(),
      async signIn(email) {
        const link = await postJson(baseUrl, "/api/auth/magic-link", { email });
        const devToken = (link.body as { dev_token?: string }).dev_token;
        if (link.status !== 200 || !devToken)
          throw new Error(`magic-link: ${link.status} ${JSON.stringify(link.body)}`);
        const session = await postJson(baseUrl, "/api/auth/exchange", { token: devToken });
        const token = (session.body as { token?: string }).token;
        if (session.status !== 200 || !token)
          throw new Error(`exchange: ${session.status} ${JSON.stringify(session.body)}`);
        return token;
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

export interface JsonResponse {
  status: number;
  body: unknown;
}

export async function request(
  baseUrl: string,
  method: string,
  urlPath: string,
  options: { bearer?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<JsonResponse> {
  const response = await fetch(`${baseUrl}${urlPath}`, {
    method,
    headers: {
      ...(options.body !== undefined ? { "Content-Type": "application/json" } : {}),
      ...(options.bearer ? { Authorization: `Bearer ${options.bearer}` } : {}),
      ...options.headers,
    },
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON
  }
  return { status: response.status, body };
}

export const postJson = (baseUrl: string, urlPath: string, body: unknown, bearer?: string) =>
  request(baseUrl, "POST", urlPath, { body, ...(bearer ? { bearer } : {}) });
