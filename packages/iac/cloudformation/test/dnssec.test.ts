import { createClient, type DnscoveClient } from "@dnscove/sdk";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { CloudFormationResponse } from "../src/event.js";
import { handler } from "../src/lambda.js";
import {
  cfnEvent,
  lambdaContext,
  type RecordedPut,
  signIn,
  startResponseServer,
  uniqueOrigin,
} from "./helpers.js";

/** `Dnssec` on Custom::DNSCoveZone and its `DS` / `Dnssec` attributes, against the real API (issue 16). */
const apiUrl = inject("apiUrl");
let responses: Awaited<ReturnType<typeof startResponseServer>>;
let api: DnscoveClient;
let token: string;

beforeAll(async () => {
  responses = await startResponseServer();
  token = await (await signIn(apiUrl)).mint("tenant-admin");
  api = createClient({ baseUrl: apiUrl, token });
});
afterAll(() => responses.close());

async function invoke(fields: Parameters<typeof cfnEvent>[1]): Promise<RecordedPut> {
  process.env.DNSCOVE_API = apiUrl;
  process.env.DNSCOVE_TOKEN = token;
  const before = responses.puts.length;
  const returned: CloudFormationResponse = await handler(cfnEvent(responses.url, fields), lambdaContext());
  expect(responses.puts.length).toBe(before + 1);
  const put = responses.puts[before] as RecordedPut;
  expect(put.body).toEqual(returned);
  return put;
}

async function dnssecOf(id: string) {
  const { data } = await api.GET("/api/zones/{id}/dnssec", { params: { path: { id } } });
  if (!data) throw new Error("no DNSSEC state");
  return data;
}

async function zoneIdOf(origin: string): Promise<string | undefined> {
  const { data } = await api.GET("/api/zones");
  return data?.zones.find((z) => z.origin === origin)?.id;
}

describe("Dnssec on Custom::DNSCoveZone", () => {
  it("creates a signed zone (template string 'true') and answers the DS for Fn::GetAtt", async () => {
    const origin = uniqueOrigin("cfn-dnssec");
    const zone = await invoke({
      RequestType: "Create",
      ResourceType: "Custom::DNSCoveZone",
      LogicalResourceId: "Zone",
      ResourceProperties: { Origin: origin, Dnssec: "true" },
    });
    expect(zone.body.Status, zone.body.Reason).toBe("SUCCESS");
    const zoneId = zone.body.PhysicalResourceId;
    const state = await dnssecOf(zoneId);
    expect(state).toMatchObject({ enabled: true, algorithm: "ECDSAP256SHA256", status: "signed" });
    expect(state.ds).toHaveLength(1);
    expect(state.ds[0]).toMatch(
      new RegExp(`^${origin.replace(/\./g, "\\.")}\\.\\s+IN\\s+DS\\s+\\d+ 13 2 [0-9A-Fa-f]{64}$`),
    );
    expect(zone.body.Data).toMatchObject({ Id: zoneId, Dnssec: "true", DS: state.ds.join(",") });
    const { data: current } = await api.GET("/api/zones/{id}", { params: { path: { id: zoneId } } });
    // The zone attributes are read after signing (the serial it took), not before.
    expect(current?.serial).toBeGreaterThan(1);

    // An Update that leaves Dnssec alone (boolean this time, as the CDK may pass it) changes nothing.
    const same = await invoke({
      RequestType: "Update",
      ResourceType: "Custom::DNSCoveZone",
      LogicalResourceId: "Zone",
      PhysicalResourceId: zoneId,
      ResourceProperties: { Origin: origin, Dnssec: true },
      OldResourceProperties: { Origin: origin, Dnssec: "true" },
    });
    expect(same.body).toMatchObject({ Status: "SUCCESS", PhysicalResourceId: zoneId });
    expect(same.body.Data.DS).toBe(state.ds.join(","));
    expect(await dnssecOf(zoneId)).toEqual(state);

    // A KSK rollover started outside the stack: the next Update answers the new DS.
    const { data: rolled } = await api.POST("/api/zones/{id}/dnssec/ksk-rollover", {
      params: { path: { id: zoneId } },
    });
    const after = await invoke({
      RequestType: "Update",
      ResourceType: "Custom::DNSCoveZone",
      LogicalResourceId: "Zone",
      PhysicalResourceId: zoneId,
      ResourceProperties: { Origin: origin, Dnssec: "true" },
      OldResourceProperties: { Origin: origin, Dnssec: "true" },
    });
    expect(after.body.Data.DS).toBe(rolled?.ds.join(","));
    expect(after.body.Data.DS).not.toBe(state.ds.join(","));

    // Dnssec false in place: the insecure transition (still the same zone, DS gone from the attribute).
    const off = await invoke({
      RequestType: "Update",
      ResourceType: "Custom::DNSCoveZone",
      LogicalResourceId: "Zone",
      PhysicalResourceId: zoneId,
      ResourceProperties: { Origin: origin, Dnssec: "false" },
      OldResourceProperties: { Origin: origin, Dnssec: "true" },
    });
    expect(off.body).toMatchObject({ Status: "SUCCESS", PhysicalResourceId: zoneId });
    expect(off.body.Data).toMatchObject({ Dnssec: "false", DS: "" });
    const going = await dnssecOf(zoneId);
    expect(going).toMatchObject({ enabled: false, status: "going-insecure", ds: [] });
    expect(going.keys.length).toBeGreaterThan(0);

    const deleted = await invoke({
      RequestType: "Delete",
      ResourceType: "Custom::DNSCoveZone",
      LogicalResourceId: "Zone",
      PhysicalResourceId: zoneId,
      ResourceProperties: { Origin: origin, Dnssec: "false" },
    });
    expect(deleted.body.Status).toBe("SUCCESS");
    expect(await zoneIdOf(origin)).toBeUndefined();
  });

  it("signs an unsigned zone in place when Dnssec is added", async () => {
    const origin = uniqueOrigin("cfn-dnssec-on");
    const created = await invoke({
      RequestType: "Create",
      ResourceType: "Custom::DNSCoveZone",
      LogicalResourceId: "Zone",
      ResourceProperties: { Origin: origin },
    });
    const zoneId = created.body.PhysicalResourceId;
    expect(created.body.Data).toMatchObject({ Dnssec: "false", DS: "" });
    const on = await invoke({
      RequestType: "Update",
      ResourceType: "Custom::DNSCoveZone",
      LogicalResourceId: "Zone",
      PhysicalResourceId: zoneId,
      ResourceProperties: { Origin: origin, Dnssec: "true" },
      OldResourceProperties: { Origin: origin },
    });
    expect(on.body).toMatchObject({ Status: "SUCCESS", PhysicalResourceId: zoneId });
    const state = await dnssecOf(zoneId);
    expect(state.enabled).toBe(true);
    expect(on.body.Data).toMatchObject({ Dnssec: "true", DS: state.ds.join(",") });
  });

  it("refuses a Dnssec that is not a boolean, naming it, and creates nothing", async () => {
    const origin = uniqueOrigin("cfn-dnssec-bad");
    const failed = await invoke({
      RequestType: "Create",
      ResourceType: "Custom::DNSCoveZone",
      LogicalResourceId: "Zone",
      ResourceProperties: { Origin: origin, Dnssec: "yes" },
    });
    expect(failed.body.Status).toBe("FAILED");
    expect(failed.body.Reason).toMatch(/^Dnssec must be true or false, got "yes"/);
    expect(await zoneIdOf(origin)).toBeUndefined();
  });
});
