/**
 * The real embedded default (`node apps/api/dist/src/main.js`: API + authoritative edge in one
 * process, SQLite in a temporary data directory) inside an existing network namespace, configured
 * for a DNS hierarchy: its edge on `edge` (e.g. 127.0.0.20:53, where ns1/ns2.dnscove.test point),
 * its delegation and parity checks asking `resolver`.
 *
 * Like acme-e2e/helpers/api-process.ts, a `node -e` bridge inside the namespace forwards a Unix
 * socket to the API's TCP port (Unix sockets cross namespaces). Unlike it, the test process talks
 * HTTP straight to that socket (http.request socketPath), so nothing listens on any address
 * outside the namespace.
 */
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { API_MAIN, type JsonResponse } from "../../acme-e2e/helpers/api-process.js";
import { baseEnv, type LongRunning, startProcess } from "../../acme-e2e/helpers/processes.js";

/** Inside the namespace the port is ours alone. */
const INNER_API_PORT = 8080;

const BRIDGE = `
const net = require("node:net");
const [socketPath, port] = process.argv.slice(1);
net.createServer((client) => {
  const upstream = net.connect(Number(port), "127.0.0.1");
  client.pipe(upstream).pipe(client);
  const end = () => { client.destroy(); upstream.destroy(); };
  client.on("error", end); upstream.on("error", end);
}).listen(socketPath, () => console.log("bridge listening"));
`;

export interface ApiInNetns {
  dataDir: string;
  /** One HTTP request to the API; the body is parsed as JSON when it is JSON. */
  call(
    method: string,
    urlPath: string,
    options?: { body?: unknown; bearer?: string; timeoutMs?: number },
  ): Promise<JsonResponse>;
  /** Signs in through the development mailer's magic link; returns a session token. */
  signIn(email: string): Promise<string>;
  output(): string;
  stop(): Promise<void>;
}

function callSocket(
  socketPath: string,
  method: string,
  urlPath: string,
  options: { body?: unknown; bearer?: string; timeoutMs?: number } = {},
): Promise<JsonResponse> {
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        socketPath,
        method,
        path: urlPath,
        headers: {
          Host: "localhost",
          ...(payload !== undefined
            ? { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(payload) }
            : {}),
          ...(options.bearer ? { Authorization: `Bearer ${options.bearer}` } : {}),
        },
        timeout: options.timeoutMs ?? 60_000,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("error", reject);
        response.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let body: unknown = text;
          try {
            body = text ? JSON.parse(text) : undefined;
          } catch {
            // not JSON
          }
          resolve({ status: response.statusCode ?? 0, body });
        });
      },
    );
    request.on("timeout", () => request.destroy(new Error(`${method} ${urlPath}: no answer in time`)));
    request.on("error", reject);
    request.end(payload);
  });
}

export async function startApiInNetns(options: {
  netns: string;
  edge: { host: string; port: number };
  nameservers: readonly string[];
  resolver: { host: string; port: number };
  /** Any further environment (e.g. LOG_LEVEL). */
  env?: Record<string, string>;
}): Promise<ApiInNetns> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "dnscove-migration-e2e-api-"));
  const socketPath = path.join(dataDir, "api.sock");
  const processes: LongRunning[] = [];
  const inNetns = (command: string, args: string[], env: Record<string, string>) =>
    startProcess("ip", ["netns", "exec", options.netns, command, ...args], env);
  const stop = async () => {
    // The API first (SIGTERM: it closes the edge and the database), then the bridge.
    for (const p of processes) await p.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const api = inNetns(
      process.execPath,
      [API_MAIN],
      baseEnv({
        HOST: "127.0.0.1",
        PORT: String(INNER_API_PORT),
        DNS_HOST: options.edge.host,
        DNS_PORT: String(options.edge.port),
        DNSCOVE_DATA_DIR: dataDir,
        DNSCOVE_NAMESERVERS: options.nameservers.join(","),
        DNSCOVE_SOA_RNAME: "hostmaster.dnscove.test",
        DNSCOVE_RESOLVER: `${options.resolver.host}:${options.resolver.port}`,
        DNSCOVE_AUTHORITATIVE_PORT: "53",
        DNSCOVE_PUBLISH_INTERVAL_MS: "1000",
        LOG_LEVEL: "info",
        ...options.env,
      }),
    );
    processes.push(api);
    const bridge = inNetns(process.execPath, ["-e", BRIDGE, socketPath, String(INNER_API_PORT)], baseEnv());
    processes.push(bridge);
    await bridge.waitForOutput(/bridge listening/, "the API bridge", 10_000);

    const call: ApiInNetns["call"] = (method, urlPath, callOptions) =>
      callSocket(socketPath, method, urlPath, callOptions);
    // Ready when /api/health answers (whatever LOG_LEVEL hides); an API that exits fails at once.
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (api.child.exitCode !== null || api.child.signalCode !== null)
        throw new Error(`the API exited (${api.child.exitCode ?? api.child.signalCode}):\n${api.output()}`);
      const health = await call("GET", "/api/health", { timeoutMs: 2000 }).catch((e: Error) => e);
      if (!(health instanceof Error) && health.status === 200) break;
      if (Date.now() > deadline) {
        const why =
          health instanceof Error ? health.message : `${health.status} ${JSON.stringify(health.body)}`;
        throw new Error(`the API did not become healthy within 30 s (${why}):\n${api.output()}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }

    return {
      dataDir,
      call,
      async signIn(email) {
        const link = await call("POST", "/api/auth/magic-link", { body: { email } });
        const devToken = (link.body as { dev_token?: string }).dev_token;
        if (link.status !== 200 || !devToken)
          throw new Error(`magic-link: ${link.status} ${JSON.stringify(link.body)}`);
        const session = await call("POST", "/api/auth/exchange", { body: { token: devToken } });
        const token = (session.body as { token?: string }).token;
        if (session.status !== 200 || !token)
          throw new Error(`exchange: ${session.status} ${JSON.stringify(session.body)}`);
        return token;
      },
      output: () => api.output(),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
