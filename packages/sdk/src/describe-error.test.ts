import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  type components,
  createClient,
  DnscoveApiError,
  DnscoveNetworkError,
  describeError,
  type Problem,
  type ProblemCode,
} from "./index.js";

function problem(overrides: Partial<Problem>): Problem {
  return {
    type: "https://www.dnscove.com/docs/errors#zone_exists",
    title: "Conflict",
    status: 409,
    detail: "example.com is already hosted",
    code: "ZONE_EXISTS",
    ...overrides,
  };
}

/** A loopback port where nothing listens: a server that is down. */
async function downUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

describe("describeError", () => {
  it("renders a problem as status, code and detail", () => {
    expect(describeError(new DnscoveApiError(problem({})))).toBe(
      "409 ZONE_EXISTS: example.com is already hosted",
    );
  });

  it("appends every field error of a 400, in order", () => {
    const error = new DnscoveApiError(
      problem({
        status: 400,
        code: "VALIDATION_FAILED",
        detail: "The request has invalid fields.",
        errors: [
          { path: "records[0]", message: "invalid IPv4 address" },
          { path: "ttl", message: "must be at most 604800" },
        ],
      }),
    );
    expect(describeError(error)).toBe(
      "400 VALIDATION_FAILED: The request has invalid fields. " +
        "(records[0]: invalid IPv4 address; ttl: must be at most 604800)",
    );
  });

  it("tells how long to wait when the API asked for it (429 Retry-After)", () => {
    const error = new DnscoveApiError(
      problem({ status: 429, code: "RATE_LIMITED", detail: "Too many requests; try again later." }),
      900,
    );
    expect(describeError(error)).toBe(
      "429 RATE_LIMITED: Too many requests; try again later. (retry after 900 s)",
    );
  });

  it("renders an answer that never came as the API origin it could not reach and the socket code", async () => {
    const url = await downUrl();
    const error = await createClient({ baseUrl: `${url}/` })
      .GET("/api/zones")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DnscoveNetworkError);
    expect(describeError(error)).toBe(`cannot reach the DNSCove API at ${url} (ECONNREFUSED)`);
  });

  it("falls back to the innermost cause when a network error has no code", () => {
    const error = new DnscoveNetworkError(
      "GET",
      "https://api.example.test/api/zones",
      new TypeError("fetch failed", { cause: new Error("certificate has expired") }),
      1,
    );
    expect(describeError(error)).toBe(
      "cannot reach the DNSCove API at https://api.example.test (certificate has expired)",
    );
  });

  it("gives anything else its own message", () => {
    expect(describeError(new Error("no zone with origin nosuch.example"))).toBe(
      "no zone with origin nosuch.example",
    );
    expect(describeError("plain text")).toBe("plain text");
    expect(describeError(42)).toBe("42");
  });
});

describe("DnscoveApiError.code", () => {
  it("is the union of the schema's Problem.code enum, not string", () => {
    expectTypeOf<DnscoveApiError["code"]>().toEqualTypeOf<ProblemCode>();
    expectTypeOf<ProblemCode>().toEqualTypeOf<components["schemas"]["Problem"]["code"]>();
    expectTypeOf<"ZONE_EXISTS">().toExtend<ProblemCode>();
    expectTypeOf<string>().not.toExtend<ProblemCode>();
    const error = new DnscoveApiError(problem({}));
    // @ts-expect-error a misspelt code is a compile error (typecheck runs this file via tsconfig.test.json)
    expect(error.code === "ZONE_EXIST").toBe(false);
    expect(error.code === "ZONE_EXISTS").toBe(true);
  });
});
