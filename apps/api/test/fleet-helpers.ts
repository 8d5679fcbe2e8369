import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { bannerNames, freePort, type RunningProcess, startNodeProcess, waitFor } from "@dnscove/testkit";

const apiMain = fileURLToPath(new URL("../dist/src/main.js", import.meta.url));
const edgeMain = fileURLToPath(new URL("../../edge/dist/src/main.js", import.meta.url));

export interface FleetProcess {
  url: string;
  process: RunningProcess;
  stop(): Promise<void>;
}

export interface FleetEdge extends FleetProcess {
  /** DNS port on 127.0.0.1. */
  port: number;
  /** http://127.0.0.1:<EDGE_HEALTH_PORT> */
  healthUrl: string;
}

function tempDir(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A production-shaped API process: PostgreSQL, no embedded edge. */
export async function startFleetApi(
  databaseUrl: string,
  env: Record<string, string> = {},
): Promise<FleetProcess> {
  const dir = tempDir("dnscove-fleet-api-");
  const port = await freePort();
  const process = startNodeProcess(apiMain, {
    PORT: String(port),
    DATABASE_URL: databaseUrl,
    DNSCOVE_DATA_DIR: dir,
    DNSCOVE_EMBEDDED_EDGE: "false",
    DNSCOVE_PUBLISH_INTERVAL_MS: "200",
    LOG_LEVEL: "warn",
    ...env,
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await process.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  await waitFor(
    `the API at ${url}`,
    async () => {
      if (process.child.exitCode !== null) throw new Error(`the API exited:\n${process.output()}`);
      // The banner: a stranger that took the port in between must not pass for this API.
      return bannerNames(process, url) && (await fetch(`${url}/api/health/ready`)).ok;
    },
    60_000,
  ).catch(async (error: Error) => {
    await stop();
    throw new Error(`${error.message}\n${process.output()}`);
  });
  return { url, process, stop };
}

/** A standalone edge process with its health listener on; `env` adds to or overrides its settings. */
export async function startFleetEdge(
  databaseUrl: string,
  id: string,
  env: Record<string, string> = {},
): Promise<FleetEdge> {
  const dir = tempDir(`dnscove-fleet-${id}-`);
  const port = await freePort();
  const healthPort = await freePort();
  const process = startNodeProcess(edgeMain, {
    DATABASE_URL: databaseUrl,
    DNSCOVE_DATA_DIR: dir,
    DNS_PORT: String(port),
    EDGE_ID: id,
    EDGE_POLL_INTERVAL_MS: "100",
    EDGE_HEALTH_PORT: String(healthPort),
    LOG_LEVEL: "info",
    ...env,
  });
  const healthUrl = `http://127.0.0.1:${healthPort}`;
  const stop = async () => {
    await process.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  await waitFor(
    `edge ${id}`,
    async () => {
      if (process.child.exitCode !== null) throw new Error(`edge ${id} exited:\n${process.output()}`);
      return (await fetch(`${healthUrl}/ready`)).ok;
    },
    60_000,
  ).catch(async (error: Error) => {
    await stop();
    throw new Error(`${error.message}\n${process.output()}`);
  });
  return { url: healthUrl, healthUrl, port, process, stop };
}

export interface Answer {
  status: number;
  body: unknown;
  headers: Headers;
}

/** One API call with a JSON body; never throws on an HTTP status. */
export async function call(
  baseUrl: string,
  method: string,
  apiPath: string,
  options: { token?: string; body?: unknown } = {},
): Promise<Answer> {
  const response = await fetch(`${baseUrl}${apiPath}`, {
    method,
    headers: {
      ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}),
      ...(options.body !== undefined ? { "Content-Type": "application/json" } : {}),
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
  return { status: response.status, body, headers: response.headers };
}
