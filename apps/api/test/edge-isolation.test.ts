import { fileURLToPath } from "node:url";
import { createClient, type DnscoveClient } from "@dnscove/sdk";
import {
  type ApiProcess,
  dig,
  freePort,
  signIn as signInAs,
  startApiProcess,
  waitFor,
} from "@dnscove/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bigTxtBatch, route53Export } from "./helpers/route53-export.js";
import { startUdpProber } from "./helpers/udp-prober.js";

const apiMain = fileURLToPath(new URL("../dist/src/main.js", import.meta.url));

/**
 * Issue "Edge: keeps answering whatever one tenant does": in the embedded default the edge
 * answers from its own process, so one tenant's 20,000-rrset Route53 import and 3 MB change
 * batch do not stall another tenant's DNS answers. The bound is a generous version of the
 * issue's (p99 ≤ 10 ms is the benchmark's target, bench/edge-isolation.ts): a loaded 2-core
 * machine must not fail it, and the stall it guards against was seconds long.
 */
describe("DNS answers for other tenants while one tenant imports (embedded default)", () => {
  let api: ApiProcess;
  let dnsPort: number;

  const signIn = async (email: string): Promise<{ client: DnscoveClient; token: string }> => {
    const token = await signInAs(api.url, { email });
    return { client: createClient({ baseUrl: api.url, token }), token };
  };

  const postJson = async (path: string, body: string, client: string): Promise<Response> =>
    fetch(`${api.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${client}` },
      body,
    });

  beforeAll(async () => {
    dnsPort = await freePort();
    // The prober asks one name 200 times a second from one address, which is what response rate
    // limiting is for (default 200/s); this test measures isolation, so RRL is off here.
    api = await startApiProcess(apiMain, {
      DNS_PORT: String(dnsPort),
      LOG_LEVEL: "info",
      EDGE_RRL_RATE: "0",
    });
  });
  afterAll(async () => {
    await api?.stop();
  });

  it("keeps other zones' UDP answers under 1 s at p99, none lost, during a 20,000-rrset import and a 3 MB batch", async () => {
    const { client: quiet } = await signIn("quiet@example.test");
    const { data: zone } = await quiet.POST("/api/zones", { body: { origin: "quiet.example" } });
    const quietPath = { params: { path: { id: zone?.id ?? "" } } };
    await quiet.POST("/api/zones/{id}/rrsets", {
      ...quietPath,
      body: { name: "www", type: "A", records: ["192.0.2.53"] },
    });
    const { data: published } = await quiet.POST("/api/zones/{id}/publish", quietPath);
    expect(published?.published).toBe(true);

    const { client: busy, token } = await signIn("busy@example.test");
    const { data: batchZone } = await busy.POST("/api/zones", { body: { origin: "batch.example" } });
    // Built before the probe starts: stringifying megabytes would delay the probe's own loop.
    const importBody = JSON.stringify({ json: route53Export("imported.example", 20_000) });
    const batchBody = bigTxtBatch();
    expect(batchBody.length).toBeGreaterThan(2_500_000);

    const prober = startUdpProber(dnsPort, "www.quiet.example", "A", 5);
    // One after the other: sent together, the batch waits behind the import in the API's event
    // loop long enough for Node's header timeout (408) on this loaded machine, an API matter.
    const imported = await postJson("/api/import/route53", importBody, token);
    const importResult = (await imported.json()) as { imported?: number; published?: boolean };
    const batch = await postJson(`/api/zones/${batchZone?.id}/rrsets`, batchBody, token);
    expect(imported.status, JSON.stringify(importResult).slice(0, 300)).toBe(201);
    expect(importResult).toMatchObject({ imported: 20_000, published: true });
    expect(batch.status, (await batch.text()).slice(0, 300)).toBe(200);
    // The prober really ran while the import and the batch were in the API: one query every 5 ms
    // for however long they took (0.5 s or more on this machine, quiet or loaded).
    const sentDuringWork = prober.sent;
    expect(sentDuringWork).toBeGreaterThan(20);
    // Both big zones are served by now or soon (the batch by the auto-publisher). dig is only the
    // "published yet?" check here; the prober above measures the answers.
    await waitFor(
      "the imported zone and the batch to be served",
      async () =>
        (await dig(dnsPort, "host19999.imported.example", "MX", "+short")).includes("mx19999") &&
        (await dig(dnsPort, "txt999.batch.example", "TXT", "+short")).includes("batch-999-39"),
      120_000,
    );
    const result = await prober.stop();
    console.log(
      `other tenant's UDP answers during the import: ${JSON.stringify({ ...result, sentDuringWork })}`,
    );
    if (result.lost > 0 || result.p99 >= 1000) console.log(api.output().slice(-5000));
    expect(result.lost).toBe(0);
    // A generous bound: the target (p99 ≤ 10 ms) lives in bench/edge-isolation.ts, and this run
    // shares 2 cores with the rest of the suite. Clean CI runs measured p99 19.6 ms (session 2),
    // 44 and 74 ms (session 4, with the change journal); under load average 10-18 it reached
    // 67-208 ms, and 274 ms at load average 22 (session 6), all CPU contention. What it guards
    // against is the code before the edge workers, which lost 88% of these queries (p50 24 s):
    // "none lost" above, and a p99 far under that.
    expect(result.p99).toBeLessThan(1000);
  }, 300_000);
});
