import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createClient } from "@dnscove/sdk";
import {
  dig,
  digStatus,
  freePort,
  type RunningProcess,
  startNodeProcess,
  waitForApi,
} from "@dnscove/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const main = fileURLToPath(new URL("../dist/src/main.js", import.meta.url));

/**
 * The embedded default a new user runs with `pnpm start`: one process, SQLite under the data
 * directory, API and edge together. Issue 3's "Done when": a record created through the API is
 * answered by `dig @127.0.0.1 -p DNS_PORT` right after it is published, and not before.
 */
describe("embedded default (pnpm start)", () => {
  let dir: string;
  let api: RunningProcess;
  let baseUrl: string;
  let dnsPort: number;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "dnscove-embedded-"));
    const port = await freePort();
    dnsPort = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    // A long auto-publish interval, so "not served before publish" is not a race.
    api = startNodeProcess(main, {
      PORT: String(port),
      DNS_PORT: String(dnsPort),
      DNSCOVE_DATA_DIR: dir,
      DNSCOVE_PUBLISH_INTERVAL_MS: "60000",
    });
    await waitForApi(api, baseUrl);
  });
  afterAll(async () => {
    await api.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("answers a new record with dig right after publish, never before", async () => {
    const anonymous = createClient({ baseUrl });
    const { data: link } = await anonymous.POST("/api/auth/magic-link", {
      body: { email: "new@example.test" },
    });
    const { data: session } = await anonymous.POST("/api/auth/exchange", {
      body: { token: link?.dev_token ?? "" },
    });
    const client = createClient({ baseUrl, token: session?.token ?? "" });
    const { data: zone } = await client.POST("/api/zones", { body: { origin: "first.example" } });
    const path = { params: { path: { id: zone?.id ?? "" } } };

    // Zone creation published serial 1: SOA and NS answer at once.
    expect(await dig(dnsPort, "first.example", "SOA", "+short")).toMatch(
      /^ns1\.dnscove\.com\. hostmaster\.dnscove\.com\. 1 /,
    );

    await client.POST("/api/zones/{id}/rrsets", {
      ...path,
      body: { name: "www", type: "A", records: ["192.0.2.80"] },
    });
    const before = await dig(dnsPort, "www.first.example", "A");
    expect(digStatus(before)).toBe("NXDOMAIN");

    const { data: published } = await client.POST("/api/zones/{id}/publish", path);
    expect(published).toMatchObject({ published: true, serial: 2 });
    const after = await dig(dnsPort, "www.first.example", "A");
    expect(digStatus(after)).toBe("NOERROR");
    expect(after).toMatch(/flags: qr aa;/);
    expect(after).toMatch(/www\.first\.example\.\s+300\s+IN\s+A\s+192\.0\.2\.80/);

    const { data: servers } = await client.GET("/api/zones/{id}/servers", path);
    expect(servers?.in_sync).toBe(true);
    expect(servers?.edges).toEqual([expect.objectContaining({ serial: 2, live: true })]);

    const { response } = await client.DELETE("/api/zones/{id}", path);
    expect(response.status).toBe(204);
    expect(digStatus(await dig(dnsPort, "www.first.example", "A"))).toBe("REFUSED");
  });
});
