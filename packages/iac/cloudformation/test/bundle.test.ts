import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { cfnEvent, signIn, startResponseServer, uniqueOrigin } from "./helpers.js";

const run = promisify(execFile);
const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const apiUrl = inject("apiUrl");
let responses: Awaited<ReturnType<typeof startResponseServer>>;
let workDir: string;

beforeAll(async () => {
  responses = await startResponseServer();
  workDir = mkdtempSync(path.join(tmpdir(), "dnscove-cfn-bundle-"));
});
afterAll(async () => {
  await responses.close();
  rmSync(workDir, { recursive: true, force: true });
});

describe("the Lambda bundle", () => {
  it("is a zip of one self-contained index.mjs whose handler runs a Create against the API", async () => {
    await run(process.execPath, [path.join(packageDir, "scripts/bundle.mjs")], { cwd: packageDir });
    const files = unzipSync(readFileSync(path.join(packageDir, "dist/lambda.zip")));
    expect(Object.keys(files)).toEqual(["index.mjs"]);
    const code = Buffer.from(files["index.mjs"] as Uint8Array).toString("utf8");
    // Everything is inlined: only Node built-ins are imported.
    const imports = [...code.matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1]);
    expect(imports.every((specifier) => specifier?.startsWith("node:"))).toBe(true);

    // Unpacked alone, as Lambda does (no node_modules anywhere near), and run by plain Node 20.
    const lambdaDir = path.join(workDir, "task");
    rmSync(lambdaDir, { recursive: true, force: true });
    mkdirSync(lambdaDir);
    writeFileSync(path.join(lambdaDir, "index.mjs"), code);
    const session = await signIn(apiUrl);
    const token = await session.mint("tenant-admin");
    const origin = uniqueOrigin("bundle");
    const event = cfnEvent(responses.url, {
      RequestType: "Create",
      ResourceType: "Custom::DNSCoveZone",
      LogicalResourceId: "Zone",
      ResourceProperties: { Origin: origin },
    });
    const script = `
      const { handler } = await import(${JSON.stringify(path.join(lambdaDir, "index.mjs"))});
      const event = JSON.parse(process.env.EVENT);
      const end = Date.now() + 30000;
      const result = await handler(event, { getRemainingTimeInMillis: () => end - Date.now() });
      console.log("RESULT " + JSON.stringify(result));
    `;
    const before = responses.puts.length;
    const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script], {
      cwd: lambdaDir,
      env: {
        PATH: process.env.PATH ?? "",
        DNSCOVE_API: apiUrl,
        DNSCOVE_TOKEN: token,
        EVENT: JSON.stringify(event),
      },
    });
    expect(stdout).toContain("RESULT ");
    expect(responses.puts.length).toBe(before + 1);
    const put = responses.puts[before];
    expect(put?.headers["content-type"]).toBe("");
    expect(put?.body).toMatchObject({
      Status: "SUCCESS",
      RequestId: event.RequestId,
      Data: { Origin: origin },
    });
    const zoneId = put?.body.PhysicalResourceId ?? "";
    const { data: zone } = await session.client.GET("/api/zones/{id}", { params: { path: { id: zoneId } } });
    expect(zone?.origin).toBe(origin);
    await session.client.DELETE("/api/zones/{id}", { params: { path: { id: zoneId } } });
  });
});
