import { createServer, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { CloudFormationResponse } from "../src/event.js";
import { handler } from "../src/lambda.js";
import { MAX_BODY_BYTES } from "../src/response.js";
import {
  cfnEvent,
  freePort,
  lambdaContext,
  type RecordedPut,
  signIn,
  startResponseServer,
  uniqueOrigin,
} from "./helpers.js";

const apiUrl = inject("apiUrl");
let responses: Awaited<ReturnType<typeof startResponseServer>>;
let session: Awaited<ReturnType<typeof signIn>>;
let tenantAdmin: string;

beforeAll(async () => {
  responses = await startResponseServer();
  session = await signIn(apiUrl);
  tenantAdmin = await session.mint("tenant-admin");
});
afterAll(() => responses.close());

interface InvokeOptions {
  token?: string;
  api?: string;
  timeoutMs?: number;
}

async function invoke(fields: Parameters<typeof cfnEvent>[1], options: InvokeOptions = {}) {
  process.env.DNSCOVE_API = options.api ?? apiUrl;
  process.env.DNSCOVE_TOKEN = options.token ?? tenantAdmin;
  const event = cfnEvent(responses.url, fields);
  const before = responses.puts.length;
  const started = Date.now();
  const returned: CloudFormationResponse = await handler(event, lambdaContext(options.timeoutMs));
  const elapsedMs = Date.now() - started;
  expect(responses.puts.length).toBe(before + 1);
  const put = responses.puts[before] as RecordedPut;
  expect(put.body).toEqual(returned);
  expect(put.headers["content-type"]).toBe("");
  return { ...put, event, elapsedMs };
}

async function createZone(): Promise<string> {
  const { data } = await session.client.POST("/api/zones", { body: { origin: uniqueOrigin("fail") } });
  if (!data) throw new Error("no zone");
  return data.id;
}

describe("failures are answered FAILED with a Reason a person can act on", () => {
  it("an invalid record: the API's field error, then the rollback Delete succeeds", async () => {
    const zoneId = await createZone();
    const failed = await invoke({
      RequestType: "Create",
      ResourceType: "Custom::DNSCoveRRset",
      LogicalResourceId: "Www",
      ResourceProperties: {
        ZoneId: zoneId,
        Name: "www",
        Type: "A",
        TTL: "300",
        Records: ["192.0.2.1", "not-an-ip"],
      },
    });
    expect(failed.body.Status).toBe("FAILED");
    expect(failed.body.Reason).toMatch(/^400 VALIDATION_FAILED: .+\(records\[1\]: .+\)/);
    // A failed Create still carries an id (CloudFormation requires one) that is not an rrset id...
    expect(failed.body.PhysicalResourceId).toBe(failed.event.RequestId);
    // ...so the Delete that CloudFormation sends on rollback succeeds without touching the zone.
    const rollback = await invoke({
      RequestType: "Delete",
      ResourceType: "Custom::DNSCoveRRset",
      LogicalResourceId: "Www",
      PhysicalResourceId: failed.body.PhysicalResourceId,
      ResourceProperties: {
        ZoneId: zoneId,
        Name: "www",
        Type: "A",
        TTL: "300",
        Records: ["192.0.2.1", "not-an-ip"],
      },
    });
    expect(rollback.body).toMatchObject({
      Status: "SUCCESS",
      PhysicalResourceId: failed.body.PhysicalResourceId,
    });
  });

  it("a Create over an rrset that already exists fails with RRSET_EXISTS and its rollback leaves the rrset alone", async () => {
    const zoneId = await createZone();
    const { data: existing } = await session.client.POST("/api/zones/{id}/rrsets", {
      params: { path: { id: zoneId } },
      body: { action: "UPSERT", name: "www", type: "A", ttl: 600, records: ["198.51.100.7"] },
    });
    const before = existing?.rrsets[0];
    expect(before).toMatchObject({ type: "A", ttl: 600, records: ["198.51.100.7"] });
    const properties = { ZoneId: zoneId, Name: "WWW", Type: "A", TTL: "300", Records: ["192.0.2.1"] };
    const failed = await invoke({
      RequestType: "Create",
      ResourceType: "Custom::DNSCoveRRset",
      LogicalResourceId: "Www",
      ResourceProperties: properties,
    });
    expect(failed.body.Status).toBe("FAILED");
    expect(failed.body.Reason).toMatch(/^409 RRSET_EXISTS: /);
    expect(failed.body.Reason).toContain(
      `A Custom::DNSCoveRRset only creates its rrset (WWW A in zone ${zoneId})`,
    );
    expect(failed.body.PhysicalResourceId).toBe(failed.event.RequestId);

    const rollback = await invoke({
      RequestType: "Delete",
      ResourceType: "Custom::DNSCoveRRset",
      LogicalResourceId: "Www",
      PhysicalResourceId: failed.body.PhysicalResourceId,
      ResourceProperties: properties,
    });
    expect(rollback.body.Status).toBe("SUCCESS");
    const { data: after } = await session.client.GET("/api/zones/{id}/rrsets", {
      params: { path: { id: zoneId } },
    });
    expect(after?.rrsets.find((r) => r.name === before?.name && r.type === "A")).toEqual(before);

    // An Update of a resource that owns the rrset still replaces it (UPSERT).
    const updated = await invoke({
      RequestType: "Update",
      ResourceType: "Custom::DNSCoveRRset",
      LogicalResourceId: "Www",
      PhysicalResourceId: `${zoneId}/${before?.name}/A`,
      ResourceProperties: properties,
      OldResourceProperties: { ...properties, Records: ["198.51.100.7"] },
    });
    expect(updated.body).toMatchObject({
      Status: "SUCCESS",
      PhysicalResourceId: `${zoneId}/${before?.name}/A`,
      Data: { Name: before?.name, TTL: "300", Records: "192.0.2.1" },
    });
  });

  it("a property that is not what it should be names the property", async () => {
    const zoneId = await createZone();
    const base = { ZoneId: zoneId, Name: "www", Type: "A", TTL: "300", Records: ["192.0.2.1"] };
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ ...base, TTL: "five minutes" }, /^TTL must be a whole number of seconds, got "five minutes"/],
      [{ ...base, TTL: "9999999" }, /^TTL must be from 0 to 604800/],
      [{ ...base, Records: "192.0.2.1" }, /^Records must be a non-empty list of strings/],
      [{ ...base, Records: [] }, /^Records must be a non-empty list/],
      [{ ...base, ZoneId: "example.com" }, /^ZoneId must be a DNSCove zone id/],
      [{ Name: "www", Type: "A", Records: ["192.0.2.1"] }, /^property ZoneId is required/],
      [{ ...base, Type: undefined }, /^property Type is required/],
    ];
    for (const [props, reason] of cases) {
      const failed = await invoke({
        RequestType: "Create",
        ResourceType: "Custom::DNSCoveRRset",
        LogicalResourceId: "Www",
        ResourceProperties: props,
      });
      expect(failed.body.Status).toBe("FAILED");
      expect(failed.body.Reason).toMatch(reason);
    }
    const noOrigin = await invoke({
      RequestType: "Create",
      ResourceType: "Custom::DNSCoveZone",
      LogicalResourceId: "Zone",
      ResourceProperties: {},
    });
    expect(noOrigin.body).toMatchObject({
      Status: "FAILED",
      Reason: expect.stringMatching(/^property Origin is required/),
    });
    const unknown = await invoke({
      RequestType: "Create",
      ResourceType: "Custom::DNSCoveRecord",
      LogicalResourceId: "Thing",
      ResourceProperties: {},
    });
    expect(unknown.body.Reason).toMatch(/unsupported resource type "Custom::DNSCoveRecord"/);
  });

  it("a zone-admin token may manage its zone's rrsets but not create zones (403 FORBIDDEN)", async () => {
    const zoneId = await createZone();
    const zoneAdmin = await session.mint("zone-admin", zoneId);
    const forbidden = await invoke(
      {
        RequestType: "Create",
        ResourceType: "Custom::DNSCoveZone",
        LogicalResourceId: "Zone",
        ResourceProperties: { Origin: uniqueOrigin() },
      },
      { token: zoneAdmin },
    );
    expect(forbidden.body.Status).toBe("FAILED");
    expect(forbidden.body.Reason).toMatch(/^403 FORBIDDEN: /);
    const rollback = await invoke(
      {
        RequestType: "Delete",
        ResourceType: "Custom::DNSCoveZone",
        LogicalResourceId: "Zone",
        PhysicalResourceId: forbidden.body.PhysicalResourceId,
        ResourceProperties: { Origin: "whatever.example" },
      },
      { token: zoneAdmin },
    );
    expect(rollback.body.Status).toBe("SUCCESS");

    const record = await invoke(
      {
        RequestType: "Create",
        ResourceType: "Custom::DNSCoveRRset",
        LogicalResourceId: "Www",
        ResourceProperties: { ZoneId: zoneId, Name: "www", Type: "AAAA", Records: ["2001:db8::1"] },
      },
      { token: zoneAdmin },
    );
    expect(record.body.Status).toBe("SUCCESS");
    expect(record.body.PhysicalResourceId).toMatch(new RegExp(`^${zoneId}/www\\..+\\./AAAA$`));
  });

  it("a bad token: 401 UNAUTHENTICATED", async () => {
    const failed = await invoke(
      {
        RequestType: "Create",
        ResourceType: "Custom::DNSCoveZone",
        LogicalResourceId: "Zone",
        ResourceProperties: { Origin: uniqueOrigin() },
      },
      { token: "dnsc_0000000000000000_nope" },
    );
    expect(failed.body.Reason).toMatch(/^401 UNAUTHENTICATED: /);
  });

  it("an unreachable API fails quickly, not at the Lambda's timeout", async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const failed = await invoke(
      {
        RequestType: "Create",
        ResourceType: "Custom::DNSCoveZone",
        LogicalResourceId: "Zone",
        ResourceProperties: { Origin: uniqueOrigin() },
      },
      { api: closed },
    );
    expect(failed.body.Status).toBe("FAILED");
    expect(failed.body.Reason).toContain(`cannot reach the DNSCove API at ${closed} (ECONNREFUSED)`);
    expect(failed.elapsedMs).toBeLessThan(3000);
  });

  it("an API that never answers: FAILED 'timed out' before the Lambda's own timeout", async () => {
    const sockets: Socket[] = [];
    const blackhole = createServer((socket) => sockets.push(socket)); // accepts, never answers
    await new Promise<void>((resolve) => blackhole.listen(0, "127.0.0.1", resolve));
    const address = blackhole.address();
    const port = typeof address === "object" && address ? address.port : 0;
    try {
      const lambdaTimeoutMs = 5000;
      const failed = await invoke(
        {
          RequestType: "Create",
          ResourceType: "Custom::DNSCoveZone",
          LogicalResourceId: "Zone",
          ResourceProperties: { Origin: uniqueOrigin() },
        },
        { api: `http://127.0.0.1:${port}`, timeoutMs: lambdaTimeoutMs },
      );
      expect(failed.body.Status).toBe("FAILED");
      expect(failed.body.Reason).toMatch(/^timed out: /);
      // Answered with the ~3 s margin intact: well before the function would be killed.
      expect(failed.elapsedMs).toBeGreaterThanOrEqual(1500);
      expect(failed.elapsedMs).toBeLessThan(lambdaTimeoutMs - 2000);
    } finally {
      for (const socket of sockets) socket.destroy();
      blackhole.close();
    }
  });

  it("a ResponseURL that answers 500 once: the PUT is retried and delivered", async () => {
    responses.state.failNext = 1;
    const attemptsBefore = responses.state.attempts;
    const answered = await invoke({
      RequestType: "Delete",
      ResourceType: "Custom::DNSCoveZone",
      LogicalResourceId: "Zone",
      PhysicalResourceId: "never-created",
      ResourceProperties: {},
    });
    expect(responses.state.attempts - attemptsBefore).toBe(2);
    expect(answered.body.Status).toBe("SUCCESS");
  });

  it("a huge Reason is truncated so that the body stays under 4,096 bytes", async () => {
    const zoneId = await createZone();
    const records = Array.from({ length: 400 }, (_, i) => `bad-address-${i}`);
    const failed = await invoke({
      RequestType: "Create",
      ResourceType: "Custom::DNSCoveRRset",
      LogicalResourceId: "Many",
      ResourceProperties: { ZoneId: zoneId, Name: "many", Type: "A", Records: records },
    });
    expect(failed.body.Status).toBe("FAILED");
    expect(Buffer.byteLength(failed.rawBody)).toBeLessThanOrEqual(MAX_BODY_BYTES);
    expect(Buffer.byteLength(failed.rawBody)).toBeLessThan(4096);
    expect(Buffer.byteLength(failed.rawBody)).toBeGreaterThan(MAX_BODY_BYTES - 100);
    expect(failed.body.Reason).toMatch(/^400 VALIDATION_FAILED: .*records\[0\]: .* … \(truncated\)$/);
  });
});
