import { randomBytes } from "node:crypto";
import { createSocket } from "node:dgram";
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ApiProcess,
  freePort,
  mintToken,
  runCommand,
  type SmtpReceiver,
  signIn,
  socketApiCall,
  startApiInNetns,
  startApiProcess,
  startSmtpReceiver,
} from "../src/index.js";

/**
 * The shared test support against the real API process (this checkout's build): every other
 * package's tests sign in, mint tokens and start the API through these, so they must work and
 * must fail loudly when they cannot.
 */

const zonesStatus = async (url: string, token: string) =>
  (await fetch(`${url}/api/zones`, { headers: { authorization: `Bearer ${token}` } })).status;

describe("freePort", () => {
  it("answers a loopback port both TCP and UDP can bind", async () => {
    const port = await freePort();
    const tcp = createServer();
    await new Promise<void>((resolve, reject) => {
      tcp.once("error", reject);
      tcp.listen(port, "127.0.0.1", resolve);
    });
    const udp = createSocket("udp4");
    await new Promise<void>((resolve, reject) => {
      udp.once("error", reject);
      udp.bind(port, "127.0.0.1", resolve);
    });
    await new Promise<void>((resolve) => udp.close(() => resolve()));
    await new Promise<void>((resolve) => tcp.close(() => resolve()));
  });
});

describe("startApiProcess, signIn and mintToken (development mailer)", () => {
  let api: ApiProcess;
  beforeAll(async () => {
    api = await startApiProcess();
  });
  afterAll(async () => {
    await api?.stop();
  });

  it("signs a fresh tenant in per call and the session works", async () => {
    const first = await signIn(api.url, { label: "testkit" });
    const second = await signIn(api.call);
    expect(first).not.toBe(second);
    expect(await zonesStatus(api.url, first)).toBe(200);
    const created = await api.call("POST", "/api/zones", {
      bearer: first,
      body: { origin: `tk-${randomBytes(3).toString("hex")}.example` },
    });
    expect(created.status).toBe(201);
    const seen = await api.call("GET", "/api/zones", { bearer: second });
    expect((seen.body as { zones: unknown[] }).zones).toEqual([]);
  });

  it("mints a machine token that authorizes, and refuses a bad session loudly", async () => {
    const session = await signIn(api.url, { email: "minter@example.test" });
    const token = await mintToken(api.url, session, { scope: "tenant-admin" });
    expect(token).not.toBe(session);
    expect(await zonesStatus(api.url, token)).toBe(200);
    await expect(mintToken(api.url, "not-a-token", { scope: "tenant-admin" })).rejects.toThrow(/401/);
  });
});

describe("signIn through a real SMTP receiver", () => {
  let smtp: SmtpReceiver;
  let api: ApiProcess;
  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    api = await startApiProcess(undefined, { SMTP_URL: smtp.url });
  });
  afterAll(async () => {
    await api?.stop();
    await smtp?.stop();
  });

  it("reads the link from the mail and exchanges it", async () => {
    const session = await signIn(api.url, { email: "Mailed@Example.test", smtp });
    expect(await zonesStatus(api.url, session)).toBe(200);
    expect(smtp.messages.some((mail) => mail.to.includes("mailed@example.test"))).toBe(true);
  });

  it("fails loudly without the receiver, since the API sends no dev_token then", async () => {
    await expect(signIn(api.url)).rejects.toThrow(/development mailer/);
  });
});

describe("startApiProcess failures", () => {
  it("fails with the process output when the API exits at start", async () => {
    await expect(startApiProcess(undefined, { DNSCOVE_PUBLISH_INTERVAL_MS: "1" })).rejects.toThrow(
      /exited[\s\S]*DNSCOVE_PUBLISH_INTERVAL_MS/,
    );
  });

  it("is not fooled by another process answering health on its port, and says EADDRINUSE", async () => {
    const stranger = http.createServer((_request, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.end('{"status":"ok"}');
    });
    await new Promise<void>((resolve) => stranger.listen(0, "127.0.0.1", resolve));
    const { port } = stranger.address() as { port: number };
    try {
      await expect(startApiProcess(undefined, { PORT: String(port) })).rejects.toThrow(
        /exited[\s\S]*EADDRINUSE/,
      );
    } finally {
      await new Promise<void>((resolve) => stranger.close(() => resolve()));
    }
  });

  it("fails when the entry point is not built", async () => {
    await expect(startApiProcess("/nonexistent/dist/src/main.js")).rejects.toThrow(/is missing: build first/);
  });
});

describe("socketApiCall", () => {
  it("sends method, path, bearer and JSON body over a Unix socket and parses the answer", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "dnscove-testkit-socket-"));
    const socketPath = path.join(dir, "api.sock");
    const server = http.createServer((request, response) => {
      let body = "";
      request.on("data", (chunk) => {
        body += String(chunk);
      });
      request.on("end", () => {
        response.writeHead(207, { "content-type": "application/json" });
        response.end(
          JSON.stringify({
            method: request.method,
            url: request.url,
            auth: request.headers.authorization,
            body,
          }),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
    try {
      const answer = await socketApiCall(socketPath)("PUT", "/api/x?y=1", { bearer: "t0k", body: { a: 1 } });
      expect(answer).toEqual({
        status: 207,
        body: { method: "PUT", url: "/api/x?y=1", auth: "Bearer t0k", body: '{"a":1}' },
      });
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("startApiInNetns (needs root and iproute2)", () => {
  it("runs the API inside a namespace of its own, reached only through the socket bridge", async () => {
    const netns = `dnscove-tk-${process.pid}-${randomBytes(2).toString("hex")}`;
    const add = await runCommand("ip", ["netns", "add", netns]);
    if (add.code !== 0) throw new Error(`ip netns add failed (root needed): ${add.stderr}`);
    try {
      await runCommand("ip", ["netns", "exec", netns, "ip", "link", "set", "lo", "up"]);
      // A port free out here: whatever answers on it is inside the namespace.
      const innerPort = await freePort();
      const api = await startApiInNetns({ netns, innerPort, env: { DNS_HOST: "127.0.0.1", DNS_PORT: "53" } });
      try {
        const session = await api.signIn();
        expect((await api.call("GET", "/api/zones", { bearer: session })).status).toBe(200);
        expect(api.innerUrl).toBe(`http://127.0.0.1:${innerPort}`);
        // The inner port is the namespace's alone: from here nothing answers there.
        await expect(
          fetch(`${api.innerUrl}/api/health`, { signal: AbortSignal.timeout(2000) }),
        ).rejects.toThrow();
      } finally {
        await api.stop();
      }
    } finally {
      await runCommand("ip", ["netns", "del", netns]);
    }
  });
});
