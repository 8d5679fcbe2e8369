import { describe, expect, it } from "vitest";
import { createClient, DnscoveApiError } from "./index.js";

/** A fetch that records requests and answers with the given response. */
function fakeFetch(answer: () => Response) {
  const seen: Request[] = [];
  const fetch = async (input: Request | string | URL, init?: RequestInit) => {
    seen.push(input instanceof Request ? input : new Request(input, init));
    return answer();
  };
  return { seen, fetch: fetch as typeof globalThis.fetch };
}

describe("createClient", () => {
  it("sends the token as a bearer credential to paths under the base URL", async () => {
    const { seen, fetch } = fakeFetch(() => Response.json({ zones: [] }));
    const client = createClient({ baseUrl: "https://api.example.test/", token: "dnsc_x", fetch });
    const { data } = await client.GET("/api/zones");
    expect(data).toEqual({ zones: [] });
    expect(seen[0]?.url).toBe("https://api.example.test/api/zones");
    expect(seen[0]?.headers.get("authorization")).toBe("Bearer dnsc_x");
  });

  it("throws DnscoveApiError carrying the problem body, field errors and Retry-After", async () => {
    const problem = {
      type: "https://www.dnscove.com/docs/errors#rate_limited",
      title: "Too many requests",
      status: 429,
      detail: "Too many requests; try again later.",
      code: "RATE_LIMITED",
      errors: [{ path: "email", message: "slow down" }],
    };
    const { fetch } = fakeFetch(
      () =>
        new Response(JSON.stringify(problem), {
          status: 429,
          headers: { "content-type": "application/problem+json", "retry-after": "42" },
        }),
    );
    const client = createClient({ baseUrl: "https://api.example.test", fetch });
    const error = await client
      .POST("/api/auth/magic-link", { body: { email: "a@example.test" } })
      .catch((e) => e);
    expect(error).toBeInstanceOf(DnscoveApiError);
    expect(error).toMatchObject({ status: 429, code: "RATE_LIMITED", retryAfter: 42, problem });
    expect(error.errors).toEqual([{ path: "email", message: "slow down" }]);
  });

  it("still throws a typed error when a proxy answers with something that is not a problem", async () => {
    const { fetch } = fakeFetch(
      () => new Response("<html>bad gateway</html>", { status: 502, statusText: "Bad Gateway" }),
    );
    const error = await createClient({ baseUrl: "https://api.example.test", fetch })
      .GET("/api/zones")
      .catch((e) => e);
    expect(error).toBeInstanceOf(DnscoveApiError);
    expect(error).toMatchObject({ status: 502, code: "INTERNAL" });
    expect(error.problem.detail).toContain("bad gateway");
  });
});
