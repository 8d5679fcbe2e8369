import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort } from "./postgres-server.js";
import { startNodeProcess } from "./processes.js";

export interface ApiProcess {
  /** e.g. http://127.0.0.1:41234 (paths start with /api) */
  url: string;
  output(): string;
  /** Stops the process and removes its data directory. */
  stop(): Promise<void>;
}

/**
 * Starts the real DNSCove API process (`apps/api/dist/src/main.js`, the embedded default with its
 * edge) on free loopback ports over a fresh data directory, and resolves once it answers. Fails
 * loudly with the process output when it exits or does not come up within 30 s.
 */
export async function startApiProcess(
  apiMain: string,
  env: Record<string, string> = {},
): Promise<ApiProcess> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "dnscove-api-process-"));
  const port = await freePort();
  const child = startNodeProcess(apiMain, {
    PORT: String(port),
    DNS_PORT: String(await freePort()),
    DNSCOVE_DATA_DIR: dataDir,
    DNSCOVE_PUBLISH_INTERVAL_MS: "200",
    LOG_LEVEL: "warn",
    ...env,
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await child.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.child.exitCode !== null) {
      await stop();
      throw new Error(`the API exited (${child.child.exitCode}):\n${child.output()}`);
    }
    try {
      if ((await fetch(`${url}/api/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the API did not start at ${url}:\n${child.output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { url, output: child.output, stop };
}
