import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type ApiCall, httpApiCall, socketApiCall } from "./api-call.js";
import { freePort } from "./ports.js";
import { type RunningProcess, startProcess } from "./processes.js";
import { signIn } from "./sign-in.js";

/** How long a start may take on a loaded 2-core machine (a dead process fails at once anyway). */
const START_TIMEOUT_MS = 60_000;

/** This checkout's built API entry point (`apps/api/dist/src/main.js`); turbo builds it before tests. */
export const API_MAIN = fileURLToPath(new URL("../../../apps/api/dist/src/main.js", import.meta.url));

export interface ApiProcess {
  /** e.g. http://127.0.0.1:41234 (paths start with /api) */
  url: string;
  call: ApiCall;
  output(): string;
  /** The API's process id, for benchmarks that read its CPU time (absent for in-process APIs). */
  pid?: number;
  /** Stops the process and removes the data directory it made (not one the caller gave). */
  stop(): Promise<void>;
}

export interface StartApiOptions {
  /**
   * Start from this process's environment and add no test tuning (the 200 ms publish interval,
   * LOG_LEVEL=warn): benchmarks measure the API as configured. Default false: only PATH and `env`.
   */
  inheritEnv?: boolean;
  /**
   * How long the API may take to answer /api/health. Default 60 s: on a loaded 2-core machine a
   * start (Prisma, migrations) has taken over 30 s; a dead process fails at once anyway.
   */
  startTimeoutMs?: number;
}

/** Fails loudly when the API is not built (turbo's `test` builds it; a bare vitest run does not). */
function requireBuilt(apiMain: string): void {
  if (!existsSync(apiMain))
    throw new Error(`${apiMain} is missing: build first (pnpm build, or pnpm exec turbo run build)`);
}

/**
 * Polls /api/health until it answers 200 and `ours()` holds. Fails loudly with the process output
 * as soon as the process exits, or when it is not healthy within `timeoutMs`.
 */
async function waitUntilHealthy(
  call: ApiCall,
  api: RunningProcess,
  where: string,
  timeoutMs: number,
  options: { helper?: RunningProcess; ours?: () => boolean } = {},
): Promise<void> {
  const { helper, ours = () => true } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const [what, running] of [
      ["the API", api],
      ["its bridge", helper],
    ] as const) {
      if (running && (running.child.exitCode !== null || running.child.signalCode !== null))
        throw new Error(
          `${what} exited (${running.child.exitCode ?? running.child.signalCode}):\n${running.output()}`,
        );
    }
    const health = await call("GET", "/api/health", { timeoutMs: 10_000 }).catch((error: Error) => error);
    if (!(health instanceof Error) && health.status === 200 && ours()) return;
    if (Date.now() > deadline) {
      const why =
        health instanceof Error ? health.message : `${health.status} ${JSON.stringify(health.body)}`;
      throw new Error(
        `the API at ${where} was not healthy within ${timeoutMs} ms (${why}):\n${api.output()}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Whether the API process printed its startup banner for `url`. Only the process that bound the
 * port prints it, so a health answer from a stranger that took a "free" port in between (other
 * test files start servers at the same time) is not mistaken for this API's.
 */
export function bannerNames(api: RunningProcess, url: string): boolean {
  return api.output().includes(` API ${url}/api `);
}

/**
 * For tests that spawn the API themselves: resolves once `api` serves `url` (its banner names it
 * and /api/health answers 200); fails with its output when it exits or after `timeoutMs`.
 */
export function waitForApi(api: RunningProcess, url: string, timeoutMs = START_TIMEOUT_MS): Promise<void> {
  return waitUntilHealthy(httpApiCall(url), api, url, timeoutMs, { ours: () => bannerNames(api, url) });
}

/**
 * Starts the real DNSCove API process (by default this checkout's `apps/api/dist/src/main.js`, the
 * embedded default with its edge) on loopback and resolves once /api/health answers. PORT, DNS_PORT
 * and DNSCOVE_DATA_DIR in `env` are used as given; otherwise free ports and a fresh data directory.
 *
 * A free port is only free until someone binds it, and other test files start servers at the same
 * time. So the API counts as started only once its own startup banner names the URL (a health
 * answer alone may come from another process that took the port: CI once signed in to a stranger's
 * API that then stopped), and a start that lost its ports (EADDRINUSE) is tried again on new ones.
 */
export async function startApiProcess(
  apiMain: string = API_MAIN,
  env: Record<string, string> = {},
  options: StartApiOptions = {},
): Promise<ApiProcess> {
  requireBuilt(apiMain);
  const portsPinned = env.PORT !== undefined || env.DNS_PORT !== undefined;
  for (let attempt = 1; ; attempt++) {
    try {
      return await startApiProcessOnce(apiMain, env, options);
    } catch (error) {
      const lostPort = error instanceof Error && /EADDRINUSE/.test(error.message);
      if (!lostPort || portsPinned || attempt === START_ATTEMPTS) throw error;
    }
  }
}

/** Starts on ports that collide only when another process took them in between (see above). */
const START_ATTEMPTS = 3;

async function startApiProcessOnce(
  apiMain: string,
  env: Record<string, string>,
  options: StartApiOptions,
): Promise<ApiProcess> {
  const ownDataDir = env.DNSCOVE_DATA_DIR
    ? undefined
    : mkdtempSync(path.join(tmpdir(), "dnscove-api-process-"));
  const port = env.PORT ?? String(await freePort());
  const base: Record<string, string> = options.inheritEnv
    ? Object.fromEntries(
        Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined),
      )
    : { DNSCOVE_PUBLISH_INTERVAL_MS: "200", LOG_LEVEL: "warn" };
  const api = startProcess(process.execPath, [apiMain], {
    ...base,
    PORT: port,
    DNS_PORT: env.DNS_PORT ?? String(await freePort()),
    ...(ownDataDir ? { DNSCOVE_DATA_DIR: ownDataDir } : {}),
    ...env,
  });
  const url = `http://127.0.0.1:${port}`;
  const call = httpApiCall(url);
  let stopping = false;
  const stop = async () => {
    stopping = true;
    await api.stop();
    if (ownDataDir) rmSync(ownDataDir, { recursive: true, force: true });
  };
  try {
    await waitUntilHealthy(call, api, url, options.startTimeoutMs ?? START_TIMEOUT_MS, {
      ours: () => bannerNames(api, url),
    });
  } catch (error) {
    await stop();
    throw error;
  }
  // Every later request of the test would fail with ECONNREFUSED and no clue: say why here.
  api.child.once("exit", (code, signal) => {
    if (!stopping)
      process.stderr.write(`the API at ${url} exited unexpectedly (${signal ?? code}):\n${api.output()}\n`);
  });
  return { url, call, output: api.output, stop, ...(api.child.pid ? { pid: api.child.pid } : {}) };
}

/**
 * A TCP → Unix socket forwarder run with `node -e` inside the namespace: the test process (outside
 * the namespace) reaches the API through the socket file, since Unix sockets cross network
 * namespaces and nothing then listens on any address outside it.
 */
const NETNS_BRIDGE = `
const net = require("node:net");
const [socketPath, port] = process.argv.slice(1);
net.createServer((client) => {
  const upstream = net.connect(Number(port), "127.0.0.1");
  client.pipe(upstream).pipe(client);
  const end = () => { client.destroy(); upstream.destroy(); };
  client.on("error", end); upstream.on("error", end);
}).listen(socketPath, () => console.log("bridge listening"));
`;

export interface ApiInNetnsOptions {
  /** An existing network namespace (`ip netns add`); the caller owns it. */
  netns: string;
  /** Further environment (DNS_HOST/DNS_PORT for the edge, DNSCOVE_RESOLVER, LOG_LEVEL, …). */
  env?: Record<string, string>;
  apiMain?: string;
  /** The API's TCP port inside the namespace, where the namespace is ours alone (default 8080). */
  innerPort?: number;
}

export interface ApiInNetns {
  dataDir: string;
  /** Where processes inside the namespace (lego, certbot, the CLI) reach the API. */
  innerUrl: string;
  /** One HTTP request from the test process, through the bridge's socket. */
  call: ApiCall;
  /** Signs in through the development mailer's magic link; returns a session token. */
  signIn(email?: string): Promise<string>;
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts the real API (the embedded default: API + edge, SQLite in a fresh data directory) inside
 * a network namespace with `ip netns exec` (needs root), plus the socket bridge to reach it.
 */
export async function startApiInNetns(options: ApiInNetnsOptions): Promise<ApiInNetns> {
  requireBuilt(options.apiMain ?? API_MAIN);
  const dataDir = mkdtempSync(path.join(tmpdir(), "dnscove-api-netns-"));
  const socketPath = path.join(dataDir, "api.sock");
  const innerPort = options.innerPort ?? 8080;
  const processes: RunningProcess[] = [];
  const inNetns = (args: string[], env: Record<string, string>) =>
    startProcess("ip", ["netns", "exec", options.netns, process.execPath, ...args], {
      LANG: "C.UTF-8",
      ...env,
    });
  const stop = async () => {
    // The API first (SIGTERM: it closes the edge and the database), then the bridge.
    for (const running of processes) await running.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const api = inNetns([options.apiMain ?? API_MAIN], {
      HOST: "127.0.0.1",
      PORT: String(innerPort),
      DNSCOVE_DATA_DIR: dataDir,
      DNSCOVE_PUBLISH_INTERVAL_MS: "1000",
      LOG_LEVEL: "info",
      ...options.env,
    });
    processes.push(api);
    const bridge = inNetns(["-e", NETNS_BRIDGE, socketPath, String(innerPort)], {});
    processes.push(bridge);
    const call = socketApiCall(socketPath);
    await waitUntilHealthy(call, api, `${options.netns} 127.0.0.1:${innerPort}`, START_TIMEOUT_MS, {
      helper: bridge,
    });
    return {
      dataDir,
      innerUrl: `http://127.0.0.1:${innerPort}`,
      call,
      signIn: (email) => signIn(call, email ? { email } : {}),
      output: () => api.output(),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
