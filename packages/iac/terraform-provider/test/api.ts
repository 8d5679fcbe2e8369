import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

/** A port that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface RunningApi {
  url: string;
  /** A tenant-admin machine token. */
  token: string;
  stop(): Promise<void>;
  log(): string;
}

async function postJson(url: string, body: unknown, token?: string): Promise<Record<string, unknown>> {
  const answer = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const text = await answer.text();
  if (!answer.ok) throw new Error(`POST ${url} answered ${answer.status}: ${text}`);
  return JSON.parse(text) as Record<string, unknown>;
}

/**
 * Signs a fresh address in (a new tenant, via the development mailer) and mints a tenant-admin
 * token for it. Separate tenants keep concurrently running test files from seeing each other's zones.
 */
export async function signIn(url: string, label = "tf"): Promise<string> {
  const email = `${label}-${Date.now()}-${Math.random().toString(16).slice(2, 8)}@example.com`;
  const link = await postJson(`${url}/api/auth/magic-link`, { email });
  if (typeof link.dev_token !== "string")
    throw new Error(`no dev_token from the development mailer: ${JSON.stringify(link)}`);
  const session = await postJson(`${url}/api/auth/exchange`, { token: link.dev_token });
  const minted = await postJson(
    `${url}/api/tokens`,
    { scope: "tenant-admin", name: "terraform" },
    String(session.token),
  );
  if (typeof minted.token !== "string") throw new Error(`no token minted: ${JSON.stringify(minted)}`);
  return minted.token;
}

/** Starts the real DNSCove API (with its embedded edge) and mints a tenant-admin token. */
export async function startApi(apiMain: string): Promise<RunningApi> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "dnscove-tf-test-"));
  const port = await freePort();
  const dnsPort = await freePort();
  let output = "";
  const api: ChildProcess = spawn(process.execPath, [apiMain], {
    env: {
      PATH: process.env.PATH ?? "",
      PORT: String(port),
      DNS_PORT: String(dnsPort),
      DNSCOVE_DATA_DIR: dataDir,
      DNSCOVE_PUBLISH_INTERVAL_MS: "200",
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  api.stdout?.on("data", (chunk) => (output += String(chunk)));
  api.stderr?.on("data", (chunk) => (output += String(chunk)));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (api.exitCode === null && api.signalCode === null) {
      await new Promise<void>((resolve) => {
        api.once("exit", () => resolve());
        api.kill("SIGTERM");
        setTimeout(() => api.kill("SIGKILL"), 5000).unref();
      });
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (api.exitCode !== null) throw new Error(`the API exited (${api.exitCode}):\n${output}`);
    try {
      if ((await fetch(`${url}/api/zones`)).status === 401) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the API did not start at ${url}:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const token = await signIn(url);
  return { url, token, stop, log: () => output };
}
