/**
 * End-to-end: the built console, served by the real API process (`apps/api/dist/src/main.js`, with its
 * embedded edge and the development mailer), driven in Debian's Chromium through playwright-core.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "@dnscove/testkit";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const CHROMIUM = "/usr/bin/chromium";
const here = path.dirname(fileURLToPath(import.meta.url));
const consoleRoot = path.resolve(here, "..");
const repoRoot = path.resolve(consoleRoot, "../..");
const apiMain = path.join(repoRoot, "apps/api/dist/src/main.js");
const distDir = path.join(consoleRoot, "dist");
const artifacts = path.join(consoleRoot, "test-artifacts");
const route53Fixture = path.join(repoRoot, "apps/api/test/fixtures/route53/shop-example-single-page.json");

function run(command: string, args: string[], cwd: string): void {
  const result = spawnSync(command, args, { cwd, stdio: "inherit", env: process.env });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed (exit ${result.status})`);
}

let api: ChildProcess | undefined;
let apiLog = "";
let browser: Browser | undefined;
let page: Page;
let context: BrowserContext;
let baseUrl = "";
let dataDir = "";
/** What Chromium reported as blocked by the Content-Security-Policy, over the whole run. */
const cspViolations: string[] = [];

async function waitForApi(url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (api?.exitCode !== null && api?.exitCode !== undefined) {
      throw new Error(`API exited with ${api.exitCode}:\n${apiLog}`);
    }
    try {
      const response = await fetch(`${url}/api/zones`);
      if (response.status === 401) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`API did not start within ${timeoutMs} ms:\n${apiLog}`);
}

/** The session token the console keeps in localStorage (shared by all tabs of the origin). */
async function sessionToken(on: Page = page): Promise<string | undefined> {
  return on.evaluate(
    () => (JSON.parse(localStorage.getItem("dnscove.session") ?? "{}") as { token?: string }).token,
  );
}

/** A call to the API as the signed-in console user (to check what the API holds after a console flow). */
async function apiCall<T>(method: string, url: string, body?: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(`${baseUrl}${url}`, {
    method,
    headers: {
      authorization: `Bearer ${await sessionToken()}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as T };
}

interface ZoneState {
  serial: number;
  published_serial: number;
}
interface StoredRRset {
  name: string;
  type: string;
  ttl: number;
  records: string[];
}
const zoneState = async (id: string) => (await apiCall<ZoneState>("GET", `/api/zones/${id}`)).body;
const zoneRRsets = async (id: string) =>
  (await apiCall<{ rrsets: StoredRRset[] }>("GET", `/api/zones/${id}/rrsets`)).body.rrsets;

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: install Debian's chromium (apt-get install -y --no-install-recommends chromium); ` +
        "these tests never download a browser.",
    );
  }
  // The API must be built with console serving (DNSCOVE_CONSOLE_DIR); rebuild when it is stale.
  if (
    !existsSync(apiMain) ||
    !readFileSync(path.join(repoRoot, "apps/api/dist/src/app.js"), "utf8").includes("serveConsole")
  ) {
    run("pnpm", ["--filter", "@dnscove/api", "build"], repoRoot);
  }
  run(path.join(consoleRoot, "node_modules/.bin/vite"), ["build", "--logLevel", "warn"], consoleRoot);
  mkdirSync(artifacts, { recursive: true });

  const port = await freePort();
  const dnsPort = await freePort();
  dataDir = mkdtempSync(path.join(tmpdir(), "dnscove-console-e2e-"));
  baseUrl = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: "development",
    PORT: String(port),
    HOST: "127.0.0.1",
    DNS_HOST: "127.0.0.1",
    DNS_PORT: String(dnsPort),
    DNSCOVE_DATA_DIR: dataDir,
    DNSCOVE_PUBLIC_URL: baseUrl,
    DNSCOVE_CONSOLE_DIR: distDir,
    DNSCOVE_PUBLISH_INTERVAL_MS: "60000", // so "pending changes" stays visible until we publish
    LOG_LEVEL: "warn",
  };
  api = spawn(process.execPath, [apiMain], { env, stdio: ["ignore", "pipe", "pipe"] });
  api.stdout?.on("data", (d: Buffer) => {
    apiLog += d.toString();
  });
  api.stderr?.on("data", (d: Buffer) => {
    apiLog += d.toString();
  });
  await waitForApi(baseUrl);

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) cspViolations.push(message.text());
  });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  if (api && api.exitCode === null) {
    const exited = new Promise((r) => api?.once("exit", r));
    api.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (api.exitCode === null) api.kill("SIGKILL");
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe("console", () => {
  it("serves the console with a strict CSP and frame, sniffing and referrer protection", async () => {
    const index = await fetch(`${baseUrl}/`);
    const html = await index.text();
    // The policy forbids inline script, so the built page must have none.
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(asset).toBeDefined();
    for (const url of [`${baseUrl}/`, `${baseUrl}/zones/Z0000000000000`, `${baseUrl}${asset}`]) {
      const response = await fetch(url);
      expect(response.status, url).toBe(200);
      const csp = response.headers.get("content-security-policy") ?? "";
      for (const directive of [
        "default-src 'self'",
        "script-src 'self'",
        "connect-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "object-src 'none'",
      ])
        expect(csp, url).toContain(directive);
      expect(csp, url).not.toContain("unsafe-inline");
      expect(response.headers.get("x-content-type-options"), url).toBe("nosniff");
      expect(response.headers.get("x-frame-options"), url).toBe("DENY");
      expect(response.headers.get("referrer-policy"), url).toBe("no-referrer");
    }
    const api = await fetch(`${baseUrl}/api/zones`);
    expect(api.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("serves index.html for client-side routes but keeps /api answers", async () => {
    const spa = await fetch(`${baseUrl}/zones/Z0000000000000/anything`);
    expect(spa.status).toBe(200);
    expect(await spa.text()).toContain('<div id="root">');
    const missing = await fetch(`${baseUrl}/api/no-such-path`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-type")).toContain("application/problem+json");
  });

  it("sends an unsigned visitor to sign-in", async () => {
    await page.goto(`${baseUrl}/zones`);
    await page.waitForURL(`${baseUrl}/sign-in`);
    await page.getByLabel("Email address").waitFor();
  });

  it("signs in through the development link", async () => {
    await page.getByLabel("Email address").fill("owner@example.test");
    await page.getByRole("button", { name: "Email me a sign-in link" }).click();
    const link = page.getByRole("link", { name: "Open sign-in link (development)" });
    await link.waitFor();
    expect(await link.getAttribute("href")).toMatch(new RegExp(`^${baseUrl}/sign-in#token=`));
    await shot("01-sign-in");
    await link.click();
    await page.waitForURL(`${baseUrl}/zones`);
    await page.getByRole("heading", { name: "Zones" }).waitFor();
    expect(await page.evaluate(() => localStorage.getItem("dnscove.session"))).toContain("token");
    expect(await page.evaluate(() => sessionStorage.getItem("dnscove.session"))).toBeNull();
    expect(await page.getByTestId("signed-in-as").textContent()).toBe("Signed in as owner@example.test");
  });

  it("creates a zone, shows field errors from the API, and lists it", async () => {
    await page.getByLabel("Domain (origin)").fill("not a domain");
    await page.getByRole("button", { name: "Create zone" }).click();
    await page.locator("#zone-origin-errors").waitFor();
    expect(await page.locator("#zone-origin-errors").textContent()).toContain("origin");

    await page.getByLabel("Domain (origin)").fill("console-e2e.example");
    await page.getByRole("button", { name: "Create zone" }).click();
    await page.getByText("Zone console-e2e.example created.").waitFor();
    const row = page.locator('tr[data-zone="console-e2e.example"]');
    await row.waitFor();
    expect(await row.textContent()).toContain("PENDING_VERIFICATION");
    await shot("02-zones");
  });

  it("adds, edits and rejects records, then publishes", async () => {
    await page.getByRole("link", { name: "console-e2e.example" }).click();
    await page.getByRole("heading", { name: "console-e2e.example" }).waitFor();

    // Add
    await page.getByLabel("Name").fill("www");
    await page.getByLabel("Type").selectOption("A");
    await page.getByLabel("TTL (seconds)").fill("600");
    await page.getByLabel("Records (one per line)").fill("192.0.2.10\n192.0.2.11");
    await page.getByRole("button", { name: "Add record set" }).click();
    const row = page.locator('tr[data-rrset="www.console-e2e.example. A"]');
    await row.waitFor();
    expect(await row.textContent()).toContain("192.0.2.11");
    expect(await page.getByTestId("pending-state").textContent()).toContain("Pending changes");

    // Adding over an existing rrset is refused next to Name, and the stored one is left alone.
    await page.getByLabel("Name").fill("www");
    await page.getByLabel("Type").selectOption("A");
    await page.getByLabel("Records (one per line)").fill("198.51.100.1");
    await page.getByRole("button", { name: "Add record set" }).click();
    const nameErrors = page.locator("#rrset-name-errors");
    await nameErrors.waitFor();
    expect(await nameErrors.textContent()).toMatch(/already exist/);
    expect(await page.getByLabel("Name").getAttribute("aria-invalid")).toBe("true");
    expect(await row.textContent()).toContain("192.0.2.11");
    expect(await row.textContent()).not.toContain("198.51.100.1");
    await shot("03a-zone-duplicate-refused");

    // Edit
    await page.getByRole("button", { name: "Edit www.console-e2e.example. A" }).click();
    expect(await page.getByLabel("Records (one per line)").inputValue()).toBe("192.0.2.10\n192.0.2.11");
    await page.getByLabel("Records (one per line)").fill("192.0.2.20");
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.waitForFunction(() =>
      document
        .querySelector('tr[data-rrset="www.console-e2e.example. A"]')
        ?.textContent?.includes("192.0.2.20"),
    );
    expect(await row.textContent()).not.toContain("192.0.2.11");
    expect(await row.textContent()).toContain("600");

    // Invalid: the API's field error is shown next to the records field
    await page.getByLabel("Name").fill("bad");
    await page.getByLabel("Type").selectOption("A");
    await page.getByLabel("Records (one per line)").fill("not-an-address");
    await page.getByRole("button", { name: "Add record set" }).click();
    const errors = page.locator("#rrset-records-errors");
    await errors.waitFor();
    expect(await errors.textContent()).toMatch(/records\[0\]: .+/);
    expect(await page.getByLabel("Records (one per line)").getAttribute("aria-invalid")).toBe("true");
    await shot("03-zone-invalid-record");

    // Sort: by TTL, descending on a second click (www has 600, the apex SOA and NS 3600)
    const names = () =>
      page.locator("tr[data-rrset]").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-rrset")));
    await page.getByRole("button", { name: "TTL", exact: true }).click();
    expect((await names())[0]).toBe("www.console-e2e.example. A");
    await page.getByRole("button", { name: "TTL", exact: true }).click();
    expect((await names()).at(-1)).toBe("www.console-e2e.example. A");
    expect(await page.getByRole("columnheader", { name: "TTL" }).getAttribute("aria-sort")).toBe(
      "descending",
    );
    await page.getByRole("button", { name: "Name", exact: true }).click();

    // Filter
    await page.getByLabel("Filter records").fill("www");
    expect(await page.locator("tr[data-rrset]").count()).toBe(1);
    await page.getByLabel("Filter records").fill("");

    // The apex SOA and NS are DNSCove's: shown, but without Edit/Delete.
    for (const type of ["SOA", "NS"]) {
      const system = page.locator(`tr[data-rrset="console-e2e.example. ${type}"]`);
      await system.waitFor();
      expect(await system.getByRole("button").count()).toBe(0);
      expect(await system.textContent()).toContain("Managed by DNSCove");
    }
    expect(
      await page.getByRole("button", { name: /^(Edit|Delete) console-e2e\.example\. (SOA|NS)$/ }).count(),
    ).toBe(0);
    await page.getByRole("button", { name: "Delete www.console-e2e.example. A" }).waitFor();

    // The type list is the API's (from @dnscove/dns), SPF included.
    const types = await page
      .getByLabel("Type")
      .locator("option")
      .evaluateAll((options) => options.map((o) => o.textContent));
    expect(types).toContain("SPF");
    expect(types).toContain("SVCB");

    // Publish
    await page.getByRole("button", { name: "Publish", exact: true }).click();
    await page.getByText(/Published serial \d+\./).waitFor();
    await page.getByTestId("pending-state").filter({ hasText: "All changes published" }).waitFor();
    expect(await page.getByTestId("serial").textContent()).toBe(
      await page.getByTestId("published-serial").textContent(),
    );
    expect(await page.getByTestId("nameservers").textContent()).toContain("ns1.dnscove.com");
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="servers"]')?.textContent?.includes("edge"),
    );
    await shot("04-zone");
  });

  it("keeps one session across tabs and reloads", async () => {
    const zoneUrl = page.url();
    expect(zoneUrl).toMatch(new RegExp(`^${baseUrl}/zones/[^/]+$`));
    // A new tab straight on the zone page is signed in: no second magic link.
    const tab = await context.newPage();
    try {
      await tab.goto(zoneUrl);
      await tab.getByRole("heading", { name: "console-e2e.example" }).waitFor();
      expect(tab.url()).toBe(zoneUrl);
      expect(await tab.getByTestId("signed-in-as").textContent()).toContain("owner@example.test");
      await tab.reload();
      await tab.getByRole("heading", { name: "console-e2e.example" }).waitFor();
      expect(tab.url()).toBe(zoneUrl);
    } finally {
      await tab.close();
    }
  });

  it("follows a publish made elsewhere without a reload", async () => {
    await page.getByLabel("Name").fill("poll");
    await page.getByLabel("Type").selectOption("TXT");
    await page.getByLabel("Records (one per line)").fill('"publish me"');
    await page.getByRole("button", { name: "Add record set" }).click();
    await page.locator('tr[data-rrset="poll.console-e2e.example. TXT"]').waitFor();
    await page.getByTestId("pending-state").filter({ hasText: "Pending changes" }).waitFor();
    // A marker on the window: a reload would drop it.
    await page.evaluate(() => Object.assign(window, { notReloaded: true }));

    // The auto-publisher's stand-in (its interval is 60 s here): publish through the API, not the page.
    const zoneId = new URL(page.url()).pathname.split("/").at(-1) ?? "";
    const published = await fetch(`${baseUrl}/api/zones/${zoneId}/publish`, {
      method: "POST",
      headers: { authorization: `Bearer ${await sessionToken()}` },
    });
    expect(published.status).toBe(200);
    const { serial } = (await published.json()) as { serial: number };

    // The page polls about once a second while changes are pending; a generous bound for a loaded machine.
    await page
      .getByTestId("pending-state")
      .filter({ hasText: "All changes published" })
      .waitFor({ timeout: 10_000 });
    expect(await page.getByTestId("published-serial").textContent()).toBe(String(serial));
    expect(await page.evaluate(() => (window as { notReloaded?: boolean }).notReloaded)).toBe(true);
  });

  it("diffs two published serials and rolls back only after a previewed confirmation", async () => {
    const zoneId = new URL(page.url()).pathname.split("/").at(-1) ?? "";
    const www = page.locator('tr[data-rrset="www.console-e2e.example. A"]');
    // Everything is published here (the test before waited for it): this serial is in the history.
    const old = (await zoneState(zoneId)).published_serial;
    // Two changes, published as one new serial: www's address and a new TXT rrset.
    await page.getByRole("button", { name: "Edit www.console-e2e.example. A" }).click();
    await page.getByLabel("Records (one per line)").fill("192.0.2.30");
    await page.getByRole("button", { name: "Save changes" }).click();
    await www.filter({ hasText: "192.0.2.30" }).waitFor();
    await page.getByLabel("Name").fill("extra");
    await page.getByLabel("Type").selectOption("TXT");
    await page.getByLabel("Records (one per line)").fill('"added later"');
    await page.getByRole("button", { name: "Add record set" }).click();
    await page.locator('tr[data-rrset="extra.console-e2e.example. TXT"]').waitFor();
    await page.getByRole("button", { name: "Publish", exact: true }).click();
    await page.getByText(/Published serial \d+\./).waitFor();
    const current = await zoneState(zoneId);
    expect(current.published_serial).toBe(current.serial);
    expect(current.serial).toBeGreaterThan(old);

    await page.getByRole("link", { name: "History, diffs and rollback" }).click();
    await page.getByRole("heading", { name: "History of console-e2e.example" }).waitFor();
    await page.locator(`tr[data-serial="${current.serial}"]`).waitFor();
    await page.locator(`tr[data-serial="${old}"]`).waitFor();

    // The diff between the two serials, as record lines.
    await page.getByLabel("From serial").selectOption(String(old));
    await page.getByLabel("To serial").selectOption(String(current.serial));
    await page.getByRole("button", { name: "Show diff" }).click();
    const diff = page.getByRole("region", { name: `Changes from serial ${old} to serial ${current.serial}` });
    await diff.waitFor();
    const lines = (await diff.textContent()) ?? "";
    expect(lines).toContain("- www.console-e2e.example. 600 A 192.0.2.20");
    expect(lines).toContain("+ www.console-e2e.example. 600 A 192.0.2.30");
    expect(lines).toMatch(/\+ extra\.console-e2e\.example\. \d+ TXT "added later"/);
    expect(await diff.getByTestId("diff-summary").textContent()).toBe(
      "Record sets: 1 added, 0 removed, 1 changed.",
    );
    await shot("10-history-diff");

    // Rollback: a dry run's exact diff in a dialog first; cancelling it changes nothing.
    const rollBack = page.getByRole("button", { name: `Roll back to serial ${old}`, exact: true });
    await rollBack.click();
    const dialog = page.getByRole("dialog", { name: `Roll back to serial ${old}?` });
    await dialog.waitFor();
    expect(await dialog.getByTestId("preview-deletes").textContent()).toContain("delete 1 record set.");
    const preview = (await dialog.getByTestId("diff").textContent()) ?? "";
    expect(preview).toContain("- extra.console-e2e.example.");
    expect(preview).toContain("- www.console-e2e.example. 600 A 192.0.2.30");
    expect(preview).toContain("+ www.console-e2e.example. 600 A 192.0.2.20");
    expect(await dialog.getByTestId("mass-delete").count()).toBe(0);
    // Focus starts on Cancel: a stray Enter does not roll back.
    const cancel = dialog.getByRole("button", { name: "Cancel" });
    expect(await cancel.evaluate((b) => b === document.activeElement)).toBe(true);
    await shot("11-rollback-preview");
    await cancel.click();
    await dialog.waitFor({ state: "hidden" });
    expect(await zoneState(zoneId)).toMatchObject({ serial: current.serial });
    expect((await zoneRRsets(zoneId)).find((r) => r.name === "www.console-e2e.example.")?.records).toEqual([
      "192.0.2.30",
    ]);

    // Confirmed: the old records come back as a new, higher serial.
    await rollBack.click();
    await dialog.waitFor();
    await dialog.getByRole("button", { name: "Confirm rollback" }).click();
    await dialog.waitFor({ state: "hidden" });
    const result = page.getByTestId("rollback-result");
    await result.waitFor();
    const after = await zoneState(zoneId);
    expect(after.serial).toBeGreaterThan(current.serial);
    expect(await result.textContent()).toContain(
      `Rolled back to serial ${old}: the zone is now at serial ${after.serial}`,
    );
    await page
      .getByTestId("serial")
      .filter({ hasText: String(after.serial) })
      .waitFor();
    const rrsets = await zoneRRsets(zoneId);
    expect(rrsets.find((r) => r.name === "www.console-e2e.example.")?.records).toEqual(["192.0.2.20"]);
    expect(rrsets.some((r) => r.name === "extra.console-e2e.example.")).toBe(false);

    // The zone page shows the restored records.
    await result.getByRole("link", { name: "See the records" }).click();
    await www.filter({ hasText: "192.0.2.20" }).waitFor();
    expect(await page.locator('tr[data-rrset="extra.console-e2e.example. TXT"]').count()).toBe(0);
    expect(await page.getByTestId("serial").textContent()).toBe(String(after.serial));

    // Back in the history: rolling back to the same serial again would change nothing, and the dialog says so.
    await page.goBack();
    await page.getByRole("heading", { name: "History of console-e2e.example" }).waitFor();
    await rollBack.click();
    await dialog.waitFor();
    expect(await dialog.getByTestId("preview-deletes").textContent()).toBe("Nothing would change.");
    expect(await dialog.getByRole("button", { name: "Confirm rollback" }).count()).toBe(0);
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    expect((await zoneState(zoneId)).serial).toBe(after.serial);
    // By default the diff is from the newest published serial to the current zone (pending changes).
    const newest = await page.locator("tr[data-serial]").first().getAttribute("data-serial");
    expect(await page.getByLabel("From serial").inputValue()).toBe(newest);
    expect(await page.getByLabel("To serial").inputValue()).toBe("current");
    // From the serial rolled away from to now: the rollback (the auto-publisher may have published it).
    await page.getByLabel("From serial").selectOption(String(current.serial));
    await page.getByRole("button", { name: "Show diff" }).click();
    const pendingDiff = page.getByRole("region", {
      name: `Changes from serial ${current.serial} to serial ${after.serial}`,
    });
    await pendingDiff.waitFor();
    expect(await pendingDiff.getByTestId("diff-summary").textContent()).toBe(
      "Record sets: 0 added, 1 removed, 1 changed.",
    );
    await page.getByRole("link", { name: "← console-e2e.example" }).click();
    await www.waitFor();
  });

  it("deletes selected record sets after a dry-run preview, with an explicit mass-delete confirmation", async () => {
    const zoneId = new URL(page.url()).pathname.split("/").at(-1) ?? "";
    const names = Array.from({ length: 12 }, (_, i) => `bulk-${i + 1}.console-e2e.example.`);
    const created = await apiCall("POST", `/api/zones/${zoneId}/rrsets`, {
      changes: names.map((name, i) => ({
        action: "CREATE",
        name,
        type: "TXT",
        ttl: 300,
        records: [`"${i}"`],
      })),
    });
    expect(created.status).toBe(200);
    await page.reload();
    await page.locator(`tr[data-rrset="${names[11]} TXT"]`).waitFor();
    const before = await zoneState(zoneId);

    // Two rrsets: an ordinary preview, no brake; cancelled.
    await page.getByLabel(`Select ${names[0]} TXT`).check();
    await page.getByLabel(`Select ${names[1]} TXT`).check();
    await page.getByRole("button", { name: "Delete selected (2)" }).click();
    const small = page.getByRole("dialog", { name: "Delete 2 record sets?" });
    await small.waitFor();
    expect(await small.getByTestId("diff-summary").textContent()).toBe(
      "Record sets: 0 added, 2 removed, 0 changed.",
    );
    expect(await small.getByTestId("mass-delete").count()).toBe(0);
    await small.getByRole("button", { name: "Cancel" }).click();
    await small.waitFor({ state: "hidden" });

    // All twelve (the filter's rows): 12 of the zone's 14 rrsets, so the API's MASS_DELETE brake applies.
    await page.getByLabel("Filter records").fill("bulk-");
    await page.getByLabel("Select all shown").check();
    await page.getByRole("button", { name: "Delete selected (12)" }).click();
    const dialog = page.getByRole("dialog", { name: "Delete 12 record sets?" });
    await dialog.waitFor();
    const brake = dialog.getByTestId("mass-delete");
    await brake.waitFor();
    expect(await brake.textContent()).toContain("would delete 12 of the zone's 14 rrsets");
    expect(await dialog.getByTestId("preview-deletes").textContent()).toContain("delete 12 record sets.");
    const lines = (await dialog.getByTestId("diff").textContent()) ?? "";
    for (const [i, name] of names.entries()) expect(lines).toContain(`- ${name} 300 TXT "${i}"`);
    const apply = dialog.getByRole("button", { name: "Delete 12 record sets" });
    expect(await apply.isDisabled()).toBe(true);
    await shot("12-bulk-delete-mass");
    // The previews wrote nothing.
    expect(await zoneState(zoneId)).toMatchObject({ serial: before.serial });
    expect((await zoneRRsets(zoneId)).filter((r) => r.name.startsWith("bulk-"))).toHaveLength(12);

    await dialog.getByLabel("Confirm mass delete of 12 record sets").check();
    await apply.click();
    await dialog.waitFor({ state: "hidden" });
    await page.getByText(`Deleted 12 record sets (serial ${before.serial + 1}, pending publish).`).waitFor();
    await page.getByText("No records match the filter.").waitFor();
    expect((await zoneRRsets(zoneId)).filter((r) => r.name.startsWith("bulk-"))).toEqual([]);
    expect((await zoneState(zoneId)).serial).toBe(before.serial + 1);
    await page.getByLabel("Filter records").fill("");
  });

  it("lists the console's changes in the audit log, with the user as actor and a verified chain", async () => {
    const zoneId = new URL(page.url()).pathname.split("/").at(-1) ?? "";
    await page.getByRole("link", { name: "Audit log" }).click();
    await page.getByRole("heading", { name: "Audit log" }).waitFor();
    const verdict = page.getByTestId("audit-verdict");
    await verdict.waitFor();
    expect(await verdict.textContent()).toMatch(/^Chain OK All \d+ entries verify\.$/);

    // The whole log first (it begins with this session's sign-in).
    await page.locator('tr[data-operation="auth.sign-in"]').first().waitFor();

    // This zone's changes by the signed-in user: the newest is the bulk delete.
    await page.getByLabel("Zone", { exact: true }).selectOption({ label: "console-e2e.example" });
    await page.getByLabel("Actor").fill("owner@example.test");
    await page.getByRole("button", { name: "Apply filters" }).click();
    // The filtered list has replaced the whole log (whose sign-ins belong to no zone).
    await page.locator('tr[data-operation="auth.sign-in"]').waitFor({ state: "detached" });
    const { body } = await apiCall<{
      entries: { seq: number; operation: string; request_id: string; detail: { changes: unknown[] } }[];
    }>("GET", `/api/audit?zone=${zoneId}&actor=owner%40example.test&limit=1`);
    const newest = body.entries[0];
    expect(newest?.operation).toBe("rrsets.change");
    expect(newest?.detail.changes).toHaveLength(12);
    const row = page.locator("tr[data-seq]").first();
    await page.locator(`tr[data-seq="${newest?.seq}"]`).waitFor();
    expect(await row.getAttribute("data-seq")).toBe(String(newest?.seq));
    expect(await row.getByTestId("audit-actor").textContent()).toBe("owner@example.test");
    expect(await row.textContent()).toContain("rrsets.change");
    expect(await row.textContent()).toContain("127.0.0.1");
    expect(await row.textContent()).toContain(newest?.request_id ?? "no request id");
    // Every listed entry is this zone's, by this user (the rollback among them).
    expect(await page.locator('tr[data-operation="zone.rollback"]').count()).toBe(1);
    for (const actor of await page.getByTestId("audit-actor").allTextContents())
      expect(actor).toBe("owner@example.test");

    await row.getByRole("button", { name: `Details of entry ${newest?.seq}` }).click();
    const detail = page.getByRole("region", { name: `Record sets changed by entry ${newest?.seq}` });
    await detail.waitFor();
    expect(await detail.textContent()).toContain('- bulk-12.console-e2e.example. 300 TXT "11"');
    await shot("13-audit");

    // All entries, ten a page: "Load older entries" follows the cursor to the first entry, each once.
    await page.getByRole("button", { name: "Clear" }).click();
    await page.getByLabel("Entries per page").selectOption("10");
    await page.getByRole("button", { name: "Apply filters" }).click();
    // The filtered list had one page; ten a page of the whole log has more.
    const loadMore = page.getByRole("button", { name: "Load older entries" });
    await loadMore.waitFor();
    expect(await page.locator("tr[data-seq]").count()).toBe(10);
    while ((await page.locator('tr[data-seq="1"]').count()) === 0) {
      const shown = await page.locator("tr[data-seq]").count();
      await loadMore.click();
      await page.locator("tr[data-seq]").nth(shown).waitFor();
    }
    await loadMore.waitFor({ state: "detached" });
    const seqs = (
      await page.locator("tr[data-seq]").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-seq")))
    ).map(Number);
    expect(seqs.length).toBeGreaterThan(10);
    expect(seqs).toEqual(seqs.map((_, i) => (seqs[0] ?? 0) - i));
    expect(seqs.at(-1)).toBe(1);

    await page.getByLabel("Actor").fill("nobody@example.test");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await page.getByText("No entries match.").waitFor();
  });

  it("mints a token, shows the secret once, and revokes it", async () => {
    await page.getByRole("link", { name: "Tokens" }).click();
    await page.getByRole("heading", { name: "API tokens" }).waitFor();
    await page.getByLabel("Scope").selectOption("zone-admin");
    await page.getByLabel("Zone", { exact: true }).selectOption({ label: "console-e2e.example" });
    await page.getByLabel("Name").fill("ci-deploy");
    await page.getByLabel("Expires in days (0 = never)").fill("30");
    await page.getByRole("button", { name: "Create token" }).click();
    const secret = page.getByLabel("Secret for ci-deploy");
    await secret.waitFor();
    const value = await secret.inputValue();
    expect(value).toMatch(/^dnsc_[0-9a-f]{16}_.+/);
    expect(await page.getByTestId("minted-token").textContent()).toContain("shown only once");
    await page.getByRole("button", { name: "Copy" }).waitFor();
    await shot("05-tokens-minted");

    // The token works against the API until it is revoked.
    const zones = await fetch(`${baseUrl}/api/zones`, { headers: { authorization: `Bearer ${value}` } });
    expect(zones.status).toBe(403);

    await page.getByRole("button", { name: "I have saved it" }).click();
    expect(await page.getByTestId("minted-token").count()).toBe(0);
    expect(await page.content()).not.toContain(value);

    await page.getByRole("button", { name: "Revoke token ci-deploy" }).click();
    await page.getByText("Token ci-deploy revoked.").waitFor();
    const id = value.split("_")[1] ?? "";
    // The message may show before the list is re-read: wait for the row to say so.
    await page.locator(`tr[data-token="${id}"]`, { hasText: "revoked" }).waitFor();
    const after = await fetch(`${baseUrl}/api/zones`, { headers: { authorization: `Bearer ${value}` } });
    expect(after.status).toBe(401);
  });

  it("previews a Route53 import, then imports it and lists what was skipped", async () => {
    await page.getByRole("link", { name: "Import from Route53" }).click();
    await page.getByRole("heading", { name: "Import from Route53" }).waitFor();
    await page.getByLabel("Upload an export file").setInputFiles(route53Fixture);
    await page.waitForFunction(
      () => (document.querySelector("#import-json") as HTMLTextAreaElement).value.length > 0,
    );
    const expected = JSON.parse(
      readFileSync(route53Fixture.replace(/\.json$/, ".expected.json"), "utf8"),
    ) as { rrsets: unknown[]; skipped: { reason: string }[] };
    const hosted = async () =>
      (await apiCall<{ zones: { origin: string }[] }>("GET", "/api/zones")).body.zones.some(
        (z) => z.origin === "shop.example",
      );

    // First a preview (a dry run): what would be imported and skipped; nothing is written.
    await page.getByRole("button", { name: "Preview import" }).click();
    const preview = page.getByTestId("import-preview");
    await preview.waitFor({ timeout: 30_000 });
    expect(await preview.getByRole("heading", { level: 2 }).textContent()).toBe(
      `Preview: ${expected.rrsets.length} record sets would be imported into shop.example`,
    );
    expect(await preview.getByTestId("diff-summary").textContent()).toBe(
      `Record sets: ${expected.rrsets.length} added, 0 removed, 0 changed.`,
    );
    expect(await page.getByTestId("preview-skipped").locator("li").count()).toBe(expected.skipped.length);
    await shot("06a-import-preview");
    expect(await hosted()).toBe(false);

    // Then the import, on an explicit second click.
    await preview
      .getByRole("button", { name: `Import ${expected.rrsets.length} record sets into shop.example` })
      .click();
    const result = page.getByTestId("import-result");
    await result.waitFor({ timeout: 30_000 });
    expect(await hosted()).toBe(true);
    expect(await page.getByTestId("import-preview").count()).toBe(0);
    expect(await result.getByRole("heading", { level: 2 }).textContent()).toContain(
      `Imported ${expected.rrsets.length} record sets into shop.example`,
    );
    const skipped = page.getByTestId("skipped").locator("li");
    expect(await skipped.count()).toBe(expected.skipped.length);
    expect(await page.getByTestId("skipped").textContent()).toContain("apex SOA is managed by DNSCove");
    await shot("06-import");
  });

  it("previews and imports a zone file, then downloads the zone as one", async () => {
    const zoneFile = path.join(repoRoot, "docs/guides/zone-files/bind.example.zone");
    await page.getByRole("link", { name: "Import a zone file" }).click();
    await page.getByRole("heading", { name: "Import a zone file" }).waitFor();
    await page.getByLabel("Upload a zone file").setInputFiles(zoneFile);
    await page.waitForFunction(
      () => (document.querySelector("#import-json") as HTMLTextAreaElement).value.length > 0,
    );
    await page.getByLabel("Origin (the zone's name, e.g. example.com)").fill("bind.example");
    await page.getByRole("button", { name: "Preview import" }).click();
    const preview = page.getByTestId("import-preview");
    await preview.waitFor({ timeout: 30_000 });
    expect(await preview.getByRole("heading", { level: 2 }).textContent()).toBe(
      "Preview: 7 record sets would be imported into bind.example",
    );
    await preview.getByRole("button", { name: "Import 7 record sets into bind.example" }).click();
    const result = page.getByTestId("import-result");
    await result.waitFor({ timeout: 30_000 });
    expect(await page.getByTestId("skipped").textContent()).toContain("apex SOA is managed by DNSCove");

    await result.getByRole("link", { name: "bind.example" }).click();
    await page.getByRole("heading", { name: "bind.example", level: 1 }).waitFor();
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Download zone file" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe("bind.example.zone");
    const saved = await download.path();
    const text = readFileSync(saved, "utf8");
    expect(text).toMatch(/^; zone bind\.example\. serial 1 /);
    expect(text).toContain("www.bind.example.\t300\tIN\tA\t192.0.2.1");
  });

  it("signs a zone, shows its DS and keys, rolls the KSK and turns DNSSEC off, each after a confirmation", async () => {
    interface DnssecState {
      enabled: boolean;
      algorithm: string | null;
      status: string;
      keys: { key_tag: number; role: string; algorithm: number; state: string }[];
      ds: string[];
    }
    const zones = (await apiCall<{ zones: { id: string; origin: string }[] }>("GET", "/api/zones")).body
      .zones;
    const zoneId = zones.find((z) => z.origin === "console-e2e.example")?.id ?? "";
    const dnssecOf = async () => (await apiCall<DnssecState>("GET", `/api/zones/${zoneId}/dnssec`)).body;
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseUrl });
    await page.goto(`${baseUrl}/zones/${zoneId}`);
    const panel = page.getByTestId("dnssec");
    const status = page.getByTestId("dnssec-status");
    await status.filter({ hasText: "Not signed" }).waitFor();
    await panel.getByTestId("dnssec-no-ds").waitFor();

    // Enable asks first, explaining the registrar step; "Keep as it is" changes nothing.
    await page.getByLabel("Signing algorithm").selectOption("ED25519");
    await panel.getByRole("button", { name: "Enable DNSSEC" }).click();
    const ask = panel.getByRole("alertdialog");
    expect(await ask.textContent()).toContain("registrar holds the DS record");
    await ask.getByRole("button", { name: "Keep as it is" }).click();
    await ask.waitFor({ state: "hidden" });
    expect(await dnssecOf()).toMatchObject({ enabled: false, status: "unsigned", keys: [] });

    await panel.getByRole("button", { name: "Enable DNSSEC" }).click();
    await panel.getByRole("button", { name: "Yes, enable DNSSEC" }).click();
    await status.filter({ hasText: /^Signed$/ }).waitFor({ timeout: 30_000 });
    const signed = await dnssecOf();
    expect(signed).toMatchObject({ enabled: true, algorithm: "ED25519", status: "signed" });
    expect(signed.ds).toHaveLength(1);
    const ds = panel.getByTestId("dnssec-ds").locator("code");
    expect(await ds.allTextContents()).toEqual(signed.ds);
    const keyRows = panel.locator("tr[data-key-tag]");
    expect(await keyRows.count()).toBe(2);
    for (const key of signed.keys) {
      expect(await panel.locator(`tr[data-key-tag="${key.key_tag}"] td`).allTextContents()).toEqual([
        String(key.key_tag),
        key.role.toUpperCase(),
        "15",
        key.state,
      ]);
    }
    // The copy button puts the exact DS line on the clipboard.
    await panel.getByRole("button", { name: "Copy DS record 1" }).click();
    await panel.getByText("Copied.").waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(signed.ds[0]);
    await shot("13-dnssec-signed");

    // KSK rollover: confirmed, then the new KSK's DS replaces the old one and the old KSK retires.
    await panel.getByRole("button", { name: "Start KSK rollover" }).click();
    expect(await panel.getByRole("alertdialog").textContent()).toContain(
      "Replace the DS record at your registrar",
    );
    await panel.getByRole("button", { name: "Yes, start KSK rollover" }).click();
    await status.filter({ hasText: "KSK rollover" }).waitFor({ timeout: 30_000 });
    const rolled = await dnssecOf();
    expect(rolled.status).toBe("ksk-rollover");
    expect(
      rolled.keys
        .filter((k) => k.role === "ksk")
        .map((k) => k.state)
        .sort(),
    ).toEqual(["active", "retiring"]);
    expect(rolled.ds).not.toEqual(signed.ds);
    await panel
      .locator(`tr[data-key-tag="${rolled.keys.find((k) => k.state === "retiring")?.key_tag}"]`)
      .waitFor();
    expect(await ds.allTextContents()).toEqual(rolled.ds);
    expect(await keyRows.count()).toBe(3);
    expect(await panel.getByRole("button", { name: "Start KSK rollover" }).isDisabled()).toBe(true);

    // Disable: the confirmation says to remove the DS at the registrar; the zone goes insecure, keys kept.
    await panel.getByRole("button", { name: "Disable DNSSEC" }).click();
    const off = panel.getByRole("alertdialog");
    expect(await off.textContent()).toContain("Remove the DS record at your registrar");
    expect(await off.textContent()).toContain("RFC 8078");
    await off.getByRole("button", { name: "Yes, disable DNSSEC" }).click();
    await status.filter({ hasText: "Turning off" }).waitFor({ timeout: 30_000 });
    const going = await dnssecOf();
    expect(going).toMatchObject({ enabled: false, status: "going-insecure", ds: [] });
    expect(going.keys).toHaveLength(3);
    await panel.getByTestId("dnssec-no-ds").waitFor();
    await shot("14-dnssec-going-insecure");
  });

  it("creates a zone's TSIG key, shows its secret once with a copy button, and revokes it", async () => {
    const zones = (await apiCall<{ zones: { id: string; origin: string }[] }>("GET", "/api/zones")).body
      .zones;
    const zoneId = zones.find((z) => z.origin === "console-e2e.example")?.id ?? "";
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseUrl });
    await page.goto(`${baseUrl}/zones/${zoneId}`);
    const panel = page.getByTestId("tsig-keys");
    await panel.getByText("No TSIG keys yet.").waitFor();
    await panel.getByLabel("What the key may change").selectOption("zone-admin");
    await panel.getByLabel("Key label (one DNS label)").fill("console");
    await panel.getByRole("button", { name: "Create key" }).click();
    const secret = panel.getByLabel("Secret (base64)");
    await secret.waitFor();
    const value = await secret.inputValue();
    expect(Buffer.from(value, "base64")).toHaveLength(32);
    const created = panel.getByTestId("created-tsig-key");
    expect(await created.textContent()).toContain("shown only once");
    const keyName = (await created.locator("code").first().textContent()) ?? "";
    expect(keyName).toMatch(/^console\.[0-9a-f]{8}\.tsig\.$/);
    await panel.getByRole("button", { name: "Copy secret" }).click();
    await panel.getByRole("button", { name: "Copied" }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(value);
    await shot("15-tsig-key-created");

    // Listed through the API without its secret, and the secret is gone from the page once saved.
    const listed = await apiCall<{
      tsig_keys: { id: string; name: string; scope: string; revoked: boolean }[];
    }>("GET", `/api/zones/${zoneId}/tsig-keys`);
    const key = listed.body.tsig_keys.find((k) => k.name === keyName);
    expect(key).toMatchObject({ scope: "zone-admin", revoked: false });
    expect(JSON.stringify(listed.body)).not.toContain(value);
    await panel.getByRole("button", { name: "I have saved it" }).click();
    expect(await panel.getByTestId("created-tsig-key").count()).toBe(0);
    expect(await page.content()).not.toContain(value);

    await panel.getByRole("button", { name: `Revoke key ${keyName}` }).click();
    await panel.getByText(`Key ${keyName} revoked.`).waitFor();
    await panel.locator(`tr[data-tsig-key="${key?.id}"]`, { hasText: "revoked" }).waitFor();
    const after = await apiCall<{ tsig_keys: { id: string; revoked: boolean }[] }>(
      "GET",
      `/api/zones/${zoneId}/tsig-keys`,
    );
    expect(after.body.tsig_keys.find((k) => k.id === key?.id)?.revoked).toBe(true);
  });

  it("sends an expired session back to sign-in with a message", async () => {
    await page.evaluate(() => {
      const raw = localStorage.getItem("dnscove.session") ?? "{}";
      localStorage.setItem("dnscove.session", JSON.stringify({ ...JSON.parse(raw), token: "not-a-session" }));
    });
    await page.goto(`${baseUrl}/zones`);
    await page.getByText("Your session expired or was revoked; sign in again.").waitFor();
    expect(page.url()).toBe(`${baseUrl}/sign-in`);
    // The refused credential is gone for every tab, not only this one.
    expect(await page.evaluate(() => localStorage.getItem("dnscove.session"))).toBeNull();
  });

  it("is usable on a 390 px screen", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByLabel("Email address").fill("owner@example.test");
    await page.getByRole("button", { name: "Email me a sign-in link" }).click();
    await page.getByRole("link", { name: "Open sign-in link (development)" }).click();
    await page.waitForURL(`${baseUrl}/zones`);
    await page.locator('tr[data-zone="console-e2e.example"]').waitFor();
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(await overflow()).toBeLessThanOrEqual(0);
    await shot("07-zones-narrow");

    await page.getByRole("link", { name: "console-e2e.example" }).click();
    await page.locator('tr[data-rrset="www.console-e2e.example. A"]').waitFor();
    expect(await overflow()).toBeLessThanOrEqual(0);
    // Every row's action buttons are whole and on screen (horizontally), not clipped by the table.
    const buttons = page.locator("tr[data-rrset] td.actions button");
    expect(await buttons.count()).toBeGreaterThanOrEqual(4);
    for (const button of await buttons.all()) {
      const box = await button.boundingBox();
      expect(box).not.toBeNull();
      if (!box) continue;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(390);
      // Nothing inside the button is cut off either (e.g. "Edi").
      expect(await button.evaluate((b) => b.scrollWidth <= b.clientWidth)).toBe(true);
    }
    // A record value wraps after a label's dot, never inside "example".
    const soa = page.locator('tr[data-rrset="console-e2e.example. SOA"] .record').first();
    expect(await soa.evaluate((el) => el.querySelectorAll("wbr").length)).toBeGreaterThan(0);
    // The Name hint and the editor's fields fit the screen.
    const name = await page.getByLabel("Name").boundingBox();
    expect(name && name.x + name.width).toBeLessThanOrEqual(390);
    await shot("08-zone-narrow");

    await page.getByRole("link", { name: "Tokens" }).click();
    const scope = page.getByLabel("Scope");
    await scope.waitFor();
    // The chosen option's text fits inside the select (the meaning is a line below it).
    for (const value of ["tenant-admin", "zone-admin", "acme-dns01"]) {
      await scope.selectOption(value);
      const fits = await scope.evaluate((select: HTMLSelectElement) => {
        const text = select.selectedOptions[0]?.textContent ?? "";
        const style = getComputedStyle(select);
        const canvas = document.createElement("canvas").getContext("2d");
        if (!canvas) return false;
        canvas.font = `${style.fontSize} ${style.fontFamily}`;
        return canvas.measureText(text).width < select.clientWidth - 24;
      });
      expect(fits, value).toBe(true);
    }
    // The token list is cards too: nothing scrolls sideways inside its box.
    const tokenTable = page.locator("tr[data-token]").first();
    await tokenTable.waitFor();
    expect(
      await page
        .locator(".table-wrap")
        .evaluateAll((boxes) => boxes.every((b) => b.scrollWidth <= b.clientWidth)),
    ).toBe(true);
    await shot("09-tokens-narrow");

    // The audit log and a zone's history are cards too.
    await page.getByRole("link", { name: "Audit log" }).click();
    await page.locator("tr[data-seq]").first().waitFor();
    expect(await overflow()).toBeLessThanOrEqual(0);
    await shot("09a-audit-narrow");
    await page.getByRole("link", { name: "Zones", exact: true }).click();
    await page.getByRole("link", { name: "console-e2e.example" }).click();
    await page.getByRole("link", { name: "History, diffs and rollback" }).click();
    await page.locator("tr[data-serial]").first().waitFor();
    expect(await overflow()).toBeLessThanOrEqual(0);
    await shot("09b-history-narrow");
  });

  it("signs out in every tab, and on the server", async () => {
    await page.getByRole("link", { name: "Zones", exact: true }).click();
    await page.locator('tr[data-zone="console-e2e.example"]').waitFor();
    const other = await context.newPage();
    try {
      await other.goto(`${baseUrl}/zones`);
      await other.locator('tr[data-zone="console-e2e.example"]').waitFor();
      const token = await sessionToken();
      const before = await fetch(`${baseUrl}/api/zones`, { headers: { Authorization: `Bearer ${token}` } });
      expect(before.status).toBe(200);

      await page.getByRole("button", { name: "Sign out" }).click();
      await page.waitForURL(`${baseUrl}/sign-in`);
      expect(await page.evaluate(() => localStorage.getItem("dnscove.session"))).toBeNull();
      // The other tab hears of it (the storage event) and leaves too, saying why.
      await other.waitForURL(`${baseUrl}/sign-in`);
      await other.getByText("You were signed out in another tab.").waitFor();
      // Signed out on the server too: the token the browser held is refused from now on.
      const after = await fetch(`${baseUrl}/api/zones`, { headers: { Authorization: `Bearer ${token}` } });
      expect(after.status).toBe(401);
    } finally {
      await other.close();
    }
  });

  it("ran every page without a Content-Security-Policy violation", () => {
    expect(cspViolations).toEqual([]);
  });
});
