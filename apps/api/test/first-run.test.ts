import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  type ApiProcess,
  dig,
  digStatus,
  freePort,
  type RunningProcess,
  type SmtpReceiver,
  startApiProcess,
  startNodeProcess,
  startSmtpReceiver,
  waitFor,
} from "@dnscove/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const main = fileURLToPath(new URL("../dist/src/main.js", import.meta.url));
const BANNER = /^DNSCove is running — .*$/m;

async function signIn(url: string, email: string): Promise<Response> {
  return fetch(`${url}/api/auth/magic-link`, { method: "POST", body: JSON.stringify({ email }) });
}

/** How a child ended: its exit code, or the signal that killed it. */
function exited(api: RunningProcess): Promise<{ code: number | null; signal: string | null }> {
  const { child } = api;
  if (child.exitCode !== null || child.signalCode !== null)
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
}

/**
 * What a newcomer sees on the first `pnpm start` (first-hour findings #1 and #7): one plain line
 * saying where the console, API, DNS server and data are, once all of them answer; sign-in that
 * does not lock a developer out; and Ctrl-C ending cleanly with exit 0, so pnpm reports no error.
 */
describe("first run of the built API (development mailer)", () => {
  let dir: string;
  let api: RunningProcess;
  let port: number;
  let dnsPort: number;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "dnscove-first-run-"));
    port = await freePort();
    dnsPort = await freePort();
    api = startNodeProcess(main, { PORT: String(port), DNS_PORT: String(dnsPort), DNSCOVE_DATA_DIR: dir });
    await waitFor(
      `the startup line (output: ${api.output()})`,
      async () => BANNER.test(api.output()),
      45_000,
    );
  });
  afterAll(async () => {
    await api.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("prints one plain line with the real addresses once the API and DNS answer", async () => {
    const plain = api
      .output()
      .split("\n")
      .filter((line) => line.trim() !== "" && !line.startsWith("{"));
    expect(plain).toEqual([
      `DNSCove is running — console http://127.0.0.1:${port}/  API http://127.0.0.1:${port}/api  ` +
        `DNS 127.0.0.1:${dnsPort} (udp/tcp)  data ${path.join(dir, "dnscove.db")}`,
    ]);
    // What the line promises is true the moment it is printed.
    expect((await fetch(`http://127.0.0.1:${port}/api/health`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${port}/`)).headers.get("content-type")).toMatch(/text\/html/);
    expect(digStatus(await dig(dnsPort, "nothing-hosted.example", "SOA"))).toBe("REFUSED");
  });

  it("lets a developer sign in 20 times in a row with one address", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) {
      const answer = await signIn(`http://127.0.0.1:${port}`, "again-and-again@example.test");
      statuses.push(answer.status);
      const body = (await answer.json()) as { dev_link?: string };
      // The link opens on the address the developer already uses, not on localhost.
      if (answer.status === 200) expect(body.dev_link).toMatch(`http://127.0.0.1:${port}/sign-in#token=`);
    }
    expect(statuses).toEqual(Array(20).fill(200));
  });

  it("ends with a shutdown line and exit 0 on SIGINT, even when pnpm forwards it a second time", async () => {
    const ended = exited(api);
    api.child.kill("SIGINT");
    api.child.kill("SIGINT");
    expect(await ended).toEqual({ code: 0, signal: null });
    expect(api.output()).toMatch(/"signal":"SIGINT","msg":"DNSCove API shutting down"/);
    expect(api.output()).toMatch(/"msg":"DNSCove API stopped"/);
  });
});

describe("sign-in limits in production (real SMTP)", () => {
  let smtp: SmtpReceiver;
  let api: ApiProcess;

  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    api = await startApiProcess(main, {
      NODE_ENV: "production",
      DNSCOVE_SECRET: "p".repeat(48),
      SMTP_URL: smtp.url,
      DNSCOVE_EMBEDDED_EDGE: "false",
    });
  });
  afterAll(async () => {
    await api.stop();
    await smtp.stop();
  });

  it("still answers 429 on the 6th link for one address, with Retry-After within the window", async () => {
    const statuses: number[] = [];
    let retryAfter = Number.NaN;
    for (let i = 0; i < 6; i++) {
      const answer = await signIn(api.url, "limited@example.test");
      statuses.push(answer.status);
      if (answer.status === 429) retryAfter = Number(answer.headers.get("retry-after"));
      await answer.body?.cancel();
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
  });
});
