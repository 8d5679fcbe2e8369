import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { signIn as testkitSignIn } from "@dnscove/testkit";
import { inject } from "vitest";

export const cliMain = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../dist/main.js");

export interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /**
   * Extra environment; DNSCOVE_API defaults to the test API, DNSCOVE_TOKEN is unset unless given,
   * XDG_CONFIG_HOME is this file's `testConfigHome` unless given.
   */
  env?: Record<string, string | undefined>;
  input?: string;
}

/**
 * The XDG_CONFIG_HOME every run of this test file gets unless it names its own, so that no test
 * reads or writes the real ~/.config/dnscove.
 */
export const testConfigHome = mkdtempSync(path.join(tmpdir(), "dnscove-cli-config-"));

export function apiUrl(): string {
  return inject("apiUrl");
}

/** Runs `node dist/main.js ...args` as a child process, as a user or an ACME client would. */
export function run(args: string[], options: RunOptions = {}): Promise<Result> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith("DNSCOVE_") && !key.startsWith("CERTBOT_")) env[key] = value;
  }
  env.DNSCOVE_API = apiUrl();
  env.XDG_CONFIG_HOME = testConfigHome;
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliMain, ...args], { env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += String(chunk)));
    child.stderr.on("data", (chunk) => (stderr += String(chunk)));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? "");
  });
}

/** Runs the CLI with a token. */
export function runAs(token: string, args: string[], options: RunOptions = {}): Promise<Result> {
  return run(args, { ...options, env: { DNSCOVE_TOKEN: token, ...options.env } });
}

/** A fresh address, so each test file signs in to its own tenant. */
export function uniqueEmail(label: string): string {
  return `${label}-${randomBytes(4).toString("hex")}@example.com`;
}

/** An origin no other test file uses (origins must not overlap across tenants). */
export function uniqueOrigin(label: string): string {
  return `${label}-${randomBytes(4).toString("hex")}.com`;
}

/** Signs in to the test API directly (development mailer): the session token. */
export const signIn = (email: string): Promise<string> => testkitSignIn(apiUrl(), { email });

/** The rrsets of a zone, read with the API directly. */
export async function rrsets(
  token: string,
  zoneId: string,
): Promise<{ name: string; type: string; ttl: number; records: string[] }[]> {
  const answer = await fetch(`${apiUrl()}/api/zones/${zoneId}/rrsets`, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (!answer.ok) throw new Error(`rrsets: ${answer.status} ${await answer.text()}`);
  return ((await answer.json()) as { rrsets: never[] }).rrsets;
}

/** Expects a zero exit, showing the CLI's output when it is not. */
export function ok(result: Result): Result {
  if (result.code !== 0) {
    throw new Error(`exit ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
  }
  return result;
}

/** A TCP port nothing listens on (it was free a moment ago). */
export { freePort as freeUnusedPort } from "@dnscove/testkit";
