import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { type DatabaseTarget, openDatabase } from "@dnscove/db";
import { createClient, type DnscoveClient } from "@dnscove/sdk";
import { freePort, signIn } from "@dnscove/testkit";
import pg from "pg";
import { inject } from "vitest";
import { createApp, createServices } from "../src/app.js";
import {
  type BodyLimits,
  DEFAULT_HISTORY,
  DEFAULT_QUOTAS,
  type HistoryConfig,
  type Quotas,
} from "../src/config.js";
import { createDnsChecks } from "../src/dns-checks/create-dns-checks.js";
import { dnsCheckConfig } from "../src/dns-checks/types.js";
import type { EdgeFleet, Mailer } from "../src/domain/ports.js";
import type { Services } from "../src/domain/services.js";
import { listen } from "../src/http/listen.js";
import type { TrustProxy } from "../src/http/trust-proxy.js";
import type { Clock } from "../src/lib/clock.js";
import { createLogger } from "../src/lib/logger.js";
import { createDevelopmentMailer } from "../src/mail/development-mailer.js";
import { domainSettings } from "../src/settings.js";

export type ProviderName = "sqlite" | "postgres";
export const PROVIDERS: ProviderName[] = ["sqlite", "postgres"];

export interface TestApi {
  provider: ProviderName;
  baseUrl: string;
  services: Services;
  /** Every log line the API wrote, as text. */
  logs: string[];
  client(token?: string): DnscoveClient;
  /** Signs in through the real magic-link flow (development mailer) and returns a session. */
  signIn(email?: string): Promise<string>;
  close(): Promise<void>;
}

export interface TestApiOptions {
  mailer?: Mailer;
  magicLinksPerClient?: number;
  /** Per-tenant quotas; the defaults of config.ts unless given. */
  quotas?: Partial<Quotas>;
  /** DNSCOVE_TRUST_PROXY for this API (default: trust none, as in production). */
  trustProxy?: TrustProxy;
  /** DNSCOVE_MAX_BODY_BYTES / DNSCOVE_MAX_IMPORT_BYTES (default: config.ts's defaults). */
  bodyLimits?: BodyLimits;
  /** History retention and the mass-delete brake (default: config.ts's defaults). */
  history?: Partial<HistoryConfig>;
  /** The services' clock (default: the system clock); tests move time without sleeping. */
  clock?: Clock;
  /** DNSCOVE_METRICS_TOKEN (default: unset, /metrics open). */
  metricsToken?: string;
}

/** No edge at all (API-only tests): a publish has nobody to tell and nothing to wait for. */
const NO_EDGES: EdgeFleet = {
  snapshotsChanged: async () => undefined,
  awaitServing: async () => null,
};

/** A PostgreSQL database of its own on the run's server (see global-setup.ts). */
export async function freshPostgresDatabase(): Promise<string> {
  const serverUrl = inject("postgresUrl");
  const name = `t_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  return serverUrl.replace(/\/postgres$/, `/${name}`);
}

/** Starts the real API (Express + Prisma) on a loopback port over a fresh database. */
export async function startTestApi(provider: ProviderName, options: TestApiOptions = {}): Promise<TestApi> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "dnscove-api-"));
  const target: DatabaseTarget =
    provider === "sqlite"
      ? { provider, location: path.join(dir, "dnscove.db") }
      : { provider, location: await freshPostgresDatabase() };
  const database = await openDatabase(target);
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const logger = createLogger({ level: "trace", destination: sink });
  const settings = domainSettings({
    secret: randomBytes(32).toString("hex"),
    publicUrl: "http://console.test",
    nameservers: ["ns1.dnscove.test.", "ns2.dnscove.test."],
    soaRname: "hostmaster.dnscove.test.",
    quotas: { ...DEFAULT_QUOTAS, ...options.quotas },
    magicLinksPerClient: options.magicLinksPerClient,
    history: { ...DEFAULT_HISTORY, ...options.history },
  });
  // DNS checks go to a loopback port where nothing listens: every check ends quickly with a clear
  // "no answer" result. Tests of the checks themselves build a real hierarchy (test/dns-checks).
  const silent = { host: "127.0.0.1", port: await freePort() };
  const dnsChecks = createDnsChecks(
    dnsCheckConfig({ resolver: silent, authoritativePort: silent.port, timeoutMs: 200, maxQueries: 4 }),
    silent,
  );
  const services = createServices({
    db: database.db,
    edges: NO_EDGES,
    logger,
    dnsChecks,
    mailer: options.mailer ?? createDevelopmentMailer(),
    settings,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const app = createApp(services, {
    ...(options.trustProxy ? { trustProxy: options.trustProxy } : {}),
    ...(options.bodyLimits ? { bodyLimits: options.bodyLimits } : {}),
    ...(options.metricsToken ? { metricsToken: options.metricsToken } : {}),
  });
  const server: Server = await new Promise((resolve) => {
    const s = listen(app, { port: 0, host: "127.0.0.1", keepAliveMs: 65_000 }, () => resolve(s));
  });
  const address = server.address();
  const baseUrl = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  const client = (token?: string) => createClient({ baseUrl, ...(token ? { token } : {}) });

  return {
    provider,
    baseUrl,
    services,
    logs,
    client,
    signIn: (email) => signIn(baseUrl, email ? { email } : {}),
    async close() {
      await new Promise((resolve) => server.close(resolve));
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Calls the API with a raw body (for malformed input the SDK's types would not allow). */
export async function rawRequest(
  api: TestApi,
  method: string,
  path: string,
  options: { token?: string; body?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: unknown; headers: Headers }> {
  const response = await fetch(`${api.baseUrl}${path}`, {
    method,
    headers: {
      ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    ...(options.body !== undefined ? { body: options.body } : {}),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON; keep the text
  }
  return { status: response.status, body, headers: response.headers };
}
