import type { components } from "./generated/schema.js";

export type Problem = components["schemas"]["Problem"];

/**
 * Every stable error code the API answers with, taken from the OpenAPI document's `Problem.code`
 * enum (itself generated from the API's one table in apps/api/src/http/problem.ts), so a typo such
 * as `err.code === "ZONE_EXIST"` does not compile.
 */
export type ProblemCode = Problem["code"];

/**
 * A non-2xx answer from the API, carrying its problem body (RFC 9457). Branch on `code`, which is
 * stable; `status` is the HTTP status and `errors` lists field-level problems for 400 answers.
 */
export class DnscoveApiError extends Error {
  readonly status: number;
  readonly code: ProblemCode;
  readonly problem: Problem;
  /** Seconds to wait before retrying, for 429 answers. */
  readonly retryAfter: number | undefined;

  constructor(problem: Problem, retryAfter?: number) {
    super(`${problem.status} ${problem.code}: ${problem.detail}`);
    this.name = "DnscoveApiError";
    this.status = problem.status;
    this.code = problem.code;
    this.problem = problem;
    this.retryAfter = retryAfter;
  }

  get errors(): Problem["errors"] {
    return this.problem.errors;
  }

  /** Builds the error from a failed response, even when its body is not a problem document. */
  static async fromResponse(response: Response): Promise<DnscoveApiError> {
    const text = await response.text();
    let problem: Problem;
    try {
      problem = JSON.parse(text) as Problem;
      if (typeof problem.code !== "string") throw new Error("not a problem body");
    } catch {
      problem = {
        type: "about:blank",
        title: response.statusText || "HTTP error",
        status: response.status,
        detail: text.slice(0, 500),
        code: "INTERNAL",
      };
    }
    const retryAfter = Number(response.headers.get("retry-after") ?? Number.NaN);
    return new DnscoveApiError(problem, Number.isFinite(retryAfter) ? retryAfter : undefined);
  }
}
