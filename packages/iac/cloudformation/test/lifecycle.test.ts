import { createClient, type DnscoveClient } from "@dnscove/sdk";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { CloudFormationEvent, CloudFormationResponse } from "../src/event.js";
import { handler } from "../src/lambda.js";
import {
  cfnEvent,
  lambdaContext,
  type RecordedPut,
  STACK_ID,
  signIn,
  startResponseServer,
  uniqueOrigin,
} from "./helpers.js";

const apiUrl = inject("apiUrl");
let responses: Awaited<ReturnType<typeof startResponseServer>>;
let api: DnscoveClient;
let token: string;

beforeAll(async () => {
  responses = await startResponseServer();
  const session = await signIn(apiUrl);
  token = await session.mint("tenant-admin");
  api = createClient({ baseUrl: apiUrl, token });
});
afterAll(() => responses.close());

/** Invokes the Lambda entry as Lambda would and returns the one PUT it made to the ResponseURL. */
async function invoke(
  fields: Parameters<typeof cfnEvent>[1],
): Promise<RecordedPut & { event: CloudFormationEvent }> {
  process.env.DNSCOVE_API = apiUrl;
  process.env.DNSCOVE_TOKEN = token;
  const event = cfnEvent(responses.url, fields);
  const before = responses.puts.length;
  const returned: CloudFormationResponse = await handler(event, lambdaContext());
  expect(responses.puts.length).toBe(before + 1);
  const put = responses.puts[before] as RecordedPut;
  expect(put.body).toEqual(returned);
  return { ...put, event };
}

async function rrsets(zoneId: string) {
  const { data } = await api.GET("/api/zones/{id}/rrsets", { params: { path: { id: zoneId } } });
  return data?.rrsets ?? [];
}

describe("a stack's lifecycle against the real API", () => {
  it("creates, updates in place, replaces and deletes a zone and its rrsets", async () => {
    const origin = uniqueOrigin();
    // --- Create the zone (as CloudFormation sends it: strings everywhere).
    const zone = await invoke({
      RequestType: "Create",
      ResourceType: "Custom::DNSCoveZone",
      LogicalResourceId: "Zone",
      ResourceProperties: { Origin: `${origin.toUpperCase()}.` },
    });
    // The documented response, PUT exactly as cfn-response does it.
    expect(zone.method).toBe("PUT");
    expect(zone.headers["content-type"]).toBe("");
    expect(zone.headers["content-length"]).toBe(String(Buffer.byteLength(zone.rawBody)));
    expect(zone.url).toContain("X-Amz-Signature=abc");
    expect(Object.keys(zone.body).sort()).toEqual(
      [
        "Data",
        "LogicalResourceId",
        "NoEcho",
        "PhysicalResourceId",
        "Reason",
        "RequestId",
        "StackId",
        "Status",
      ].sort(),
    );
    expect(zone.body).toMatchObject({
      Status: "SUCCESS",
      StackId: STACK_ID,
      RequestId: zone.event.RequestId,
      LogicalResourceId: "Zone",
      NoEcho: false,
    });
    const zoneId = zone.body.PhysicalResourceId;
    expect(zoneId).toMatch(/^Z[0-9a-f]{14}$/);
    const { data: created } = await api.GET("/api/zones/{id}", { params: { path: { id: zoneId } } });
    expect(created?.origin).toBe(origin);
    // GetAtt values: all strings; NameServers comma-joined.
    expect(zone.body.Data).toEqual({
      Id: zoneId,
      Origin: origin,
      NameServers: created?.ns.join(","),
      Status: "PENDING_VERIFICATION",
      Dnssec: "false",
      DS: "",
    });
    expect(zone.body.Data.NameServers?.split(",").length).toBeGreaterThanOrEqual(2);

    // --- Three rrsets, referencing the zone by its id (Ref Zone).
    const www = await invoke({
      RequestType: "Create",
      ResourceType: "Custom::DNSCoveRRset",
      LogicalResourceId: "Www",
      ResourceProperties: {
        ZoneId: zoneId,
        Name: "WWW",
        Type: "a",
        TTL: "300",
        Records: ["192.0.2.1", "192.0.2.2"],
      },
    });
    expect(www.body.Status).toBe("SUCCESS");
    expect(www.body.PhysicalResourceId).toBe(`${zoneId}/www.${origin}./A`);
    expect(www.body.Data).toEqual({
      ZoneId: zoneId,
      Name: `www.${origin}.`,
      Type: "A",
      TTL: "300",
      Records: "192.0.2.1,192.0.2.2",
    });
    const mx = await invoke({
      RequestType: "Create",
      ResourceType: "Custom::DNSCoveRRset",
      LogicalResourceId: "Mail",
      ResourceProperties: {
        ZoneId: zoneId,
        Name: `${origin}.`,
        Type: "MX",
        TTL: "3600",
        Records: [`10 mail.${origin}.`],
      },
    });
    expect(mx.body.PhysicalResourceId).toBe(`${zoneId}/${origin}./MX`);
    const txt = await invoke({
      RequestType: "Create",
      ResourceType: "Custom::DNSCoveRRset",
      LogicalResourceId: "Dmarc",
      ResourceProperties: { ZoneId: zoneId, Name: "_dmarc", Type: "TXT", Records: ['"v=DMARC1; p=none"'] },
    });
    expect(txt.body.PhysicalResourceId).toBe(`${zoneId}/_dmarc.${origin}./TXT`);
    expect(txt.body.Data.TTL).toBe("300");
    const names = (await rrsets(zoneId)).map((r) => `${r.name} ${r.type}`);
    expect(names).toEqual(
      expect.arrayContaining([`www.${origin}. A`, `${origin}. MX`, `_dmarc.${origin}. TXT`]),
    );

    // --- Update in place: TTL and records change, same key → same PhysicalResourceId.
    const wwwUpdate = await invoke({
      RequestType: "Update",
      ResourceType: "Custom::DNSCoveRRset",
      LogicalResourceId: "Www",
      PhysicalResourceId: www.body.PhysicalResourceId,
      ResourceProperties: { ZoneId: zoneId, Name: "www", Type: "A", TTL: "600", Records: ["192.0.2.9"] },
      OldResourceProperties: {
        ZoneId: zoneId,
        Name: "WWW",
        Type: "a",
        TTL: "300",
        Records: ["192.0.2.1", "192.0.2.2"],
      },
    });
    expect(wwwUpdate.body).toMatchObject({
      Status: "SUCCESS",
      PhysicalResourceId: www.body.PhysicalResourceId,
    });
    expect((await rrsets(zoneId)).find((r) => r.name === `www.${origin}.` && r.type === "A")).toEqual({
      name: `www.${origin}.`,
      type: "A",
      ttl: 600,
      records: ["192.0.2.9"],
    });

    // --- Update with replacement: a new Name → a new id; CloudFormation then deletes the old one.
    const txtReplaced = await invoke({
      RequestType: "Update",
      ResourceType: "Custom::DNSCoveRRset",
      LogicalResourceId: "Dmarc",
      PhysicalResourceId: txt.body.PhysicalResourceId,
      ResourceProperties: {
        ZoneId: zoneId,
        Name: "_dmarc.mail",
        Type: "TXT",
        Records: ['"v=DMARC1; p=reject"'],
      },
      OldResourceProperties: { ZoneId: zoneId, Name: "_dmarc", Type: "TXT", Records: ['"v=DMARC1; p=none"'] },
    });
    expect(txtReplaced.body.Status).toBe("SUCCESS");
    expect(txtReplaced.body.PhysicalResourceId).toBe(`${zoneId}/_dmarc.mail.${origin}./TXT`);
    // Until the cleanup Delete both exist (so a rollback could swap back without a gap).
    let current = (await rrsets(zoneId)).map((r) => `${r.name} ${r.type}`);
    expect(current).toEqual(expect.arrayContaining([`_dmarc.${origin}. TXT`, `_dmarc.mail.${origin}. TXT`]));
    const oldDelete = await invoke({
      RequestType: "Delete",
      ResourceType: "Custom::DNSCoveRRset",
      LogicalResourceId: "Dmarc",
      PhysicalResourceId: txt.body.PhysicalResourceId,
      ResourceProperties: { ZoneId: zoneId, Name: "_dmarc", Type: "TXT", Records: ['"v=DMARC1; p=none"'] },
    });
    expect(oldDelete.body).toMatchObject({
      Status: "SUCCESS",
      PhysicalResourceId: txt.body.PhysicalResourceId,
    });
    current = (await rrsets(zoneId)).map((r) => `${r.name} ${r.type}`);
    expect(current).not.toContain(`_dmarc.${origin}. TXT`);
    expect(current).toContain(`_dmarc.mail.${origin}. TXT`);

    // --- Zone Update with the same origin (case and trailing dot aside): a no-op, same id.
    const zoneSame = await invoke({
      RequestType: "Update",
      ResourceType: "Custom::DNSCoveZone",
      LogicalResourceId: "Zone",
      PhysicalResourceId: zoneId,
      ResourceProperties: { Origin: origin },
      OldResourceProperties: { Origin: `${origin.toUpperCase()}.` },
    });
    expect(zoneSame.body).toMatchObject({ Status: "SUCCESS", PhysicalResourceId: zoneId });
    expect(zoneSame.body.Data.Id).toBe(zoneId);

    // --- Stack deletion: rrsets first (they depend on the zone), then the zone.
    for (const id of [
      www.body.PhysicalResourceId,
      mx.body.PhysicalResourceId,
      txtReplaced.body.PhysicalResourceId,
    ]) {
      const deleted = await invoke({
        RequestType: "Delete",
        ResourceType: "Custom::DNSCoveRRset",
        LogicalResourceId: "Any",
        PhysicalResourceId: id,
        ResourceProperties: { ZoneId: zoneId, Name: "x", Type: "A", Records: ["192.0.2.1"] },
      });
      expect(deleted.body).toMatchObject({ Status: "SUCCESS", PhysicalResourceId: id });
    }
    expect((await rrsets(zoneId)).filter((r) => !["SOA", "NS"].includes(r.type))).toEqual([]);
    // Deleting an rrset that is already gone succeeds (CloudFormation retries deletes).
    const again = await invoke({
      RequestType: "Delete",
      ResourceType: "Custom::DNSCoveRRset",
      LogicalResourceId: "Www",
      PhysicalResourceId: www.body.PhysicalResourceId,
      ResourceProperties: { ZoneId: zoneId, Name: "www", Type: "A", Records: ["192.0.2.9"] },
    });
    expect(again.body.Status).toBe("SUCCESS");

    const zoneDelete = await invoke({
      RequestType: "Delete",
      ResourceType: "Custom::DNSCoveZone",
      LogicalResourceId: "Zone",
      PhysicalResourceId: zoneId,
      ResourceProperties: { Origin: origin },
    });
    expect(zoneDelete.body).toMatchObject({ Status: "SUCCESS", PhysicalResourceId: zoneId });
    const gone = await api.GET("/api/zones/{id}", { params: { path: { id: zoneId } } }).catch((e) => e);
    expect(gone).toMatchObject({ status: 404 });
    // Idempotent: the zone is gone (404), and so is an rrset of it.
    for (const [type, id] of [
      ["Custom::DNSCoveZone", zoneId],
      ["Custom::DNSCoveRRset", mx.body.PhysicalResourceId],
    ] as const) {
      const repeat = await invoke({
        RequestType: "Delete",
        ResourceType: type,
        LogicalResourceId: "Again",
        PhysicalResourceId: id,
        ResourceProperties: {},
      });
      expect(repeat.body.Status).toBe("SUCCESS");
    }
  });

  it("replaces a zone whose Origin changes: a new zone, then the old one's Delete", async () => {
    const first = uniqueOrigin("old");
    const second = uniqueOrigin("new");
    const created = await invoke({
      RequestType: "Create",
      ResourceType: "Custom::DNSCoveZone",
      LogicalResourceId: "Zone",
      ResourceProperties: { Origin: first },
    });
    const oldId = created.body.PhysicalResourceId;
    const updated = await invoke({
      RequestType: "Update",
      ResourceType: "Custom::DNSCoveZone",
      LogicalResourceId: "Zone",
      PhysicalResourceId: oldId,
      ResourceProperties: { Origin: second },
      OldResourceProperties: { Origin: first },
    });
    expect(updated.body.Status).toBe("SUCCESS");
    const newId = updated.body.PhysicalResourceId;
    expect(newId).not.toBe(oldId);
    expect(updated.body.Data).toMatchObject({ Id: newId, Origin: second });

    const cleanup = await invoke({
      RequestType: "Delete",
      ResourceType: "Custom::DNSCoveZone",
      LogicalResourceId: "Zone",
      PhysicalResourceId: oldId,
      ResourceProperties: { Origin: first },
    });
    expect(cleanup.body.Status).toBe("SUCCESS");
    const { data } = await api.GET("/api/zones");
    const origins = data?.zones.map((z) => z.origin);
    expect(origins).toContain(second);
    expect(origins).not.toContain(first);
    await invoke({
      RequestType: "Delete",
      ResourceType: "Custom::DNSCoveZone",
      LogicalResourceId: "Zone",
      PhysicalResourceId: newId,
      ResourceProperties: { Origin: second },
    });
  });
});
