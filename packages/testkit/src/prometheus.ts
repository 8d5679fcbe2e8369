import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "./ports.js";
import { type RunningProcess, startProcess, waitFor } from "./processes.js";

/**
 * `promtool check metrics` (Debian's prometheus package) on an exposition text, fed on stdin as
 * the tool expects. Resolves with its exit code and what it printed (lint findings included).
 */
export function promtoolCheckMetrics(text: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("promtool", ["check", "metrics"], { stdio: ["pipe", "pipe", "pipe"] });
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      output += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      output += chunk;
    });
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, output }));
    child.stdin.end(text);
  });
}

export interface ScrapeTarget {
  job: string;
  /** host:port of the target; it is scraped at `metricsPath` (default /metrics). */
  address: string;
  metricsPath?: string;
  /** Sent as `Authorization: Bearer <token>`. */
  bearerToken?: string;
}

export interface PrometheusServer {
  url: string;
  /** The instant query's single value, or undefined while it has no sample. */
  query(expr: string): Promise<number | undefined>;
  output(): string;
  stop(): Promise<void>;
}

/**
 * A real Prometheus server on a free loopback port with its own temp storage, scraping `targets`
 * every second. Resolves once it answers queries.
 */
export async function startPrometheus(targets: ScrapeTarget[]): Promise<PrometheusServer> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "dnscove-prometheus-"));
  const port = await freePort();
  // JSON is YAML: no YAML library needed to write the configuration.
  const config = {
    global: { scrape_interval: "1s", scrape_timeout: "900ms", evaluation_interval: "1s" },
    scrape_configs: targets.map((target) => ({
      job_name: target.job,
      metrics_path: target.metricsPath ?? "/metrics",
      static_configs: [{ targets: [target.address] }],
      ...(target.bearerToken ? { authorization: { type: "Bearer", credentials: target.bearerToken } } : {}),
    })),
  };
  const configFile = path.join(dir, "prometheus.yml");
  writeFileSync(configFile, JSON.stringify(config, null, 2));
  const server: RunningProcess = startProcess(
    "prometheus",
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${path.join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--log.level=warn",
    ],
    {},
  );
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitFor("prometheus to be ready", async () => (await fetch(`${url}/-/ready`)).ok, 30_000);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n${server.output()}`);
  }
  return {
    url,
    output: server.output,
    async query(expr) {
      const response = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(expr)}`);
      const body = (await response.json()) as {
        status: string;
        error?: string;
        data?: { result?: { value?: [number, string] }[] };
      };
      if (body.status !== "success")
        throw new Error(`query ${expr} failed: ${body.error ?? response.status}`);
      const value = body.data?.result?.[0]?.value?.[1];
      return value === undefined ? undefined : Number(value);
    },
    stop,
  };
}
