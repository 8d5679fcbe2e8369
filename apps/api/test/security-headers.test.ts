/**
 * Every answer carries `nosniff`, frame protection and `Referrer-Policy: no-referrer`; the console's
 * files and its SPA fallback carry a strict Content-Security-Policy with no inline script, and API
 * answers one that lets nothing load them as a document.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app.js";
import { startTestApi, type TestApi } from "./harness.js";

describe("security headers", () => {
  let api: TestApi;
  let server: Server;
  let baseUrl: string;
  let dir: string;

  beforeAll(async () => {
    api = await startTestApi("sqlite");
    dir = mkdtempSync(path.join(os.tmpdir(), "dnscove-console-"));
    mkdirSync(path.join(dir, "assets"));
    writeFileSync(
      path.join(dir, "index.html"),
      '<!doctype html><script type="module" src="/assets/app.js"></script><div id="root"></div>',
    );
    writeFileSync(path.join(dir, "assets", "app.js"), "export {};");
    server = await new Promise((resolve) => {
      const s = createApp(api.services, { consoleDir: dir }).listen(0, "127.0.0.1", () => resolve(s));
    });
    const address = server.address();
    baseUrl = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await api?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const common = (headers: Headers, what: string) => {
    expect(headers.get("x-content-type-options"), what).toBe("nosniff");
    expect(headers.get("x-frame-options"), what).toBe("DENY");
    expect(headers.get("referrer-policy"), what).toBe("no-referrer");
    expect(headers.get("content-security-policy"), what).toContain("frame-ancestors 'none'");
  };

  it.each(["/", "/index.html", "/sign-in", "/zones/Z0000000000000", "/assets/app.js"])(
    "console %s: strict CSP without inline script",
    async (route) => {
      const response = await fetch(`${baseUrl}${route}`);
      expect(response.status).toBe(200);
      common(response.headers, route);
      const directives = (response.headers.get("content-security-policy") ?? "").split(/\s*;\s*/);
      for (const directive of [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "connect-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "object-src 'none'",
      ])
        expect(directives).toContain(directive);
      expect(directives.join(";")).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    },
  );

  it.each([
    ["GET", "/api/health"],
    ["GET", "/api/openapi.json"],
    ["GET", "/api/zones"],
    ["GET", "/api/no-such-path"],
    ["POST", "/api/auth/magic-link"],
  ])("API %s %s: nosniff and a CSP that loads nothing", async (method, route) => {
    const response = await fetch(`${baseUrl}${route}`, {
      method,
      ...(method === "POST" ? { body: "{" } : {}),
    });
    common(response.headers, route);
    expect(response.headers.get("content-security-policy")).toBe(
      "default-src 'none'; frame-ancestors 'none'",
    );
  });

  it("sends the same headers from the API without a console", async () => {
    const response = await fetch(`${api.baseUrl}/api/zones`);
    expect(response.status).toBe(401);
    common(response.headers, "/api/zones");
  });
});
