// Feeds the bundled handler (dist/index.mjs, from `pnpm --filter @dnscove/cloudformation bundle`)
// one CloudFormation custom-resource event, the way Lambda would, with a local listener standing in
// for the pre-signed S3 ResponseURL. Prints the response the handler sent CloudFormation (one JSON
// line) and exits 0 on SUCCESS, 1 on FAILED. Reads DNSCOVE_API and DNSCOVE_TOKEN like the function.
//
//   node scripts/invoke-local.mjs <Create|Update|Delete> <Custom::DNSCoveZone|Custom::DNSCoveRRset> \
//     '<ResourceProperties JSON>' [PhysicalResourceId] ['<OldResourceProperties JSON>']
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const [requestType, resourceType, properties = "{}", physicalId, oldProperties] = process.argv.slice(2);
if (!["Create", "Update", "Delete"].includes(requestType ?? "") || !resourceType) {
  console.error(
    "usage: invoke-local.mjs <Create|Update|Delete> <Custom::DNSCoveZone|Custom::DNSCoveRRset> '<properties JSON>' [PhysicalResourceId] ['<old properties JSON>']",
  );
  process.exit(2);
}

const bundle = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../dist/index.mjs");
const { handler } = await import(pathToFileURL(bundle).href).catch(() => {
  console.error(`no bundle at ${bundle}: run pnpm --filter @dnscove/cloudformation bundle first`);
  process.exit(2);
});

let received;
const server = createServer((request, response) => {
  const chunks = [];
  request.on("data", (chunk) => chunks.push(chunk));
  request.on("end", () => {
    received = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    response.writeHead(200).end();
  });
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const { port } = server.address();

const serviceToken = "arn:aws:lambda:us-east-1:123456789012:function:local-DNSCoveProvider";
const requestId = randomUUID();
const event = {
  RequestType: requestType,
  ServiceToken: serviceToken,
  ResponseURL: `http://127.0.0.1:${port}/cloudformation-custom-resource-response/${requestId}`,
  StackId: "arn:aws:cloudformation:us-east-1:123456789012:stack/local/00000000-0000-0000-0000-000000000000",
  RequestId: requestId,
  ResourceType: resourceType,
  LogicalResourceId: "Local",
  ResourceProperties: { ServiceToken: serviceToken, ...JSON.parse(properties) },
  ...(physicalId ? { PhysicalResourceId: physicalId } : {}),
  ...(oldProperties
    ? { OldResourceProperties: { ServiceToken: serviceToken, ...JSON.parse(oldProperties) } }
    : {}),
};
const deadline = Date.now() + 60_000; // the example template's function timeout
// The handler logs each request and response (CloudWatch in Lambda); keep stdout for the answer.
console.log = console.info = (...args) => console.error(...args);
await handler(event, {
  getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  logStreamName: "local",
  awsRequestId: requestId,
});
server.close();
if (!received) {
  process.stderr.write("the handler returned without answering the ResponseURL\n");
  process.exit(1);
}
const { Status, Reason, PhysicalResourceId, Data } = received;
process.stdout.write(`${JSON.stringify({ Status, Reason, PhysicalResourceId, Data })}\n`);
process.exit(Status === "SUCCESS" ? 0 : 1);
