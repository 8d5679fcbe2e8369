import { randomBytes, randomUUID } from "node:crypto";
import { createServer as createHttpServer, type IncomingHttpHeaders, type Server } from "node:http";
import { createClient, type DnscoveClient } from "@dnscove/sdk";
import { mintToken, signIn as signInAs } from "@dnscove/testkit";
import type { CloudFormationEvent, CloudFormationResponse, LambdaContext } from "../src/event.js";

export { freePort } from "@dnscove/testkit";

export interface RecordedPut {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
  body: CloudFormationResponse;
}

/**
 * Stands in for the pre-signed S3 ResponseURL: records every request exactly and answers 200,
 * or, while `failNext` > 0, 500.
 */
export async function startResponseServer() {
  const puts: RecordedPut[] = [];
  const state = { failNext: 0, attempts: 0 };
  const server: Server = createHttpServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      state.attempts++;
      if (state.failNext > 0) {
        state.failNext--;
        response.writeHead(500).end("<Error><Code>InternalError</Code></Error>");
        return;
      }
      const rawBody = Buffer.concat(chunks).toString("utf8");
      puts.push({
        method: request.method ?? "",
        url: request.url ?? "",
        headers: request.headers,
        rawBody,
        body: JSON.parse(rawBody) as CloudFormationResponse,
      });
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    puts,
    state,
    /** A ResponseURL shaped like CloudFormation's pre-signed S3 URL. */
    url: (requestId: string) =>
      `http://127.0.0.1:${port}/cloudformation-custom-resource-response-useast1/arn%3Aaws%3Acloudformation%3Aus-east-1%3A123456789012%3Astack/dns/${requestId}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=7200&X-Amz-Signature=abc`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export const STACK_ID =
  "arn:aws:cloudformation:us-east-1:123456789012:stack/dns/5b7e0e60-1f3a-11ef-9c3b-0a1b2c3d4e5f";
export const SERVICE_TOKEN = "arn:aws:lambda:us-east-1:123456789012:function:dns-DNSCoveProvider-AbC123";

/** A real-shaped CloudFormation custom-resource request. */
export function cfnEvent(
  responseUrl: (requestId: string) => string,
  fields: {
    RequestType: CloudFormationEvent["RequestType"];
    ResourceType: string;
    LogicalResourceId: string;
    ResourceProperties: Record<string, unknown>;
    OldResourceProperties?: Record<string, unknown>;
    PhysicalResourceId?: string;
  },
): CloudFormationEvent {
  const RequestId = randomUUID();
  return {
    ServiceToken: SERVICE_TOKEN,
    ResponseURL: responseUrl(RequestId),
    StackId: STACK_ID,
    RequestId,
    ...fields,
    ResourceProperties: { ServiceToken: SERVICE_TOKEN, ...fields.ResourceProperties },
    ...(fields.OldResourceProperties
      ? { OldResourceProperties: { ServiceToken: SERVICE_TOKEN, ...fields.OldResourceProperties } }
      : {}),
  };
}

/** A Lambda context with `timeoutMs` left when invoked. */
export function lambdaContext(timeoutMs = 60_000): LambdaContext {
  const end = Date.now() + timeoutMs;
  return {
    getRemainingTimeInMillis: () => Math.max(0, end - Date.now()),
    logStreamName: "2024/06/01/[$LATEST]0123456789abcdef",
    awsRequestId: randomUUID(),
  };
}

/** Signs in through the development mailer; returns a session-authenticated client and helpers. */
export async function signIn(apiUrl: string) {
  const session = await signInAs(apiUrl, { label: "cfn" });
  const client: DnscoveClient = createClient({ baseUrl: apiUrl, token: session });
  return {
    client,
    mint: (scope: "tenant-admin" | "zone-admin", zoneId?: string): Promise<string> =>
      mintToken(apiUrl, session, { scope, name: `cfn-${scope}`, ...(zoneId ? { zoneId } : {}) }),
  };
}

/** `www.example.com` style unique origins, so tests never collide on ZONE_EXISTS. */
export function uniqueOrigin(label = "cfn"): string {
  return `${label}-${randomBytes(4).toString("hex")}.example`;
}
