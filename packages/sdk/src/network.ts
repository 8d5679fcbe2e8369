/**
 * The request never got an answer: the connection was refused, reset or closed, or DNS failed.
 * Unlike `DnscoveApiError` there is no status; `code` is the system or undici code when one is
 * known (`ECONNREFUSED`, `ECONNRESET`, `UND_ERR_SOCKET`, `ENOTFOUND`, …) and `cause` the original.
 */
export class DnscoveNetworkError extends Error {
  readonly method: string;
  readonly url: string;
  readonly code: string | undefined;
  /** How many times the request was sent (2 when an idempotent request was retried). */
  readonly attempts: number;

  constructor(method: string, url: string, cause: unknown, attempts: number) {
    const code = causeCode(cause);
    const reason = innermost(cause)?.message ?? String(cause);
    super(`${method} ${url} failed without an answer${code ? ` (${code})` : ""}: ${reason}`, { cause });
    this.name = "DnscoveNetworkError";
    this.method = method;
    this.url = url;
    this.code = code;
    this.attempts = attempts;
  }
}

/**
 * Methods whose repetition has the same effect as one request (RFC 9110 §9.2.2). Only these are
 * sent again, because after a reset we cannot know whether the server acted on the request: a
 * repeated POST could publish twice or mint a second token.
 */
const IDEMPOTENT = new Set(["GET", "HEAD", "PUT", "DELETE", "OPTIONS"]);

/**
 * The failures a second attempt cures: the connection was closed under the request, typically a
 * pooled keep-alive connection the server (or a balancer) closed just as we reused it.
 */
const RESET_CODES = new Set(["ECONNRESET", "EPIPE", "UND_ERR_SOCKET"]);

function* causes(error: unknown): Generator<{ message?: string; code?: unknown; name?: string }> {
  let current = error;
  for (let depth = 0; depth < 8 && current && typeof current === "object"; depth++) {
    yield current as { message?: string; code?: unknown };
    current = (current as { cause?: unknown }).cause;
  }
}

function causeCode(error: unknown): string | undefined {
  let code: string | undefined;
  for (const e of causes(error)) if (typeof e.code === "string") code = e.code;
  return code;
}

function innermost(error: unknown): { message?: string } | undefined {
  let last: { message?: string } | undefined;
  for (const e of causes(error)) last = e;
  return last;
}

function isConnectionReset(error: unknown): boolean {
  for (const e of causes(error)) {
    if (typeof e.code === "string" && RESET_CODES.has(e.code)) return true;
    if (typeof e.message === "string" && /other side closed/i.test(e.message)) return true;
  }
  return false;
}

/**
 * fetch reports a network error as a TypeError (Fetch standard, "network error"); anything else
 * (the caller's own abort or timeout, or an error a caller-supplied fetch throws) is theirs and
 * passes through untouched.
 */
function isNetworkError(error: unknown): boolean {
  return error instanceof TypeError;
}

/**
 * Wraps fetch: an idempotent request whose connection was reset is sent once more; any failure to
 * get an answer becomes a `DnscoveNetworkError` naming the method and URL.
 */
export function resilientFetch(base: () => typeof fetch): typeof fetch {
  return async (input, init) => {
    const request = input instanceof Request ? input : new Request(input, init);
    const rest = input instanceof Request ? init : undefined;
    // The body can be read once; keep a copy for the retry (only idempotent methods retry).
    const spare = IDEMPOTENT.has(request.method) ? request.clone() : undefined;
    try {
      return await base()(request, rest);
    } catch (first) {
      if (!isNetworkError(first)) throw first;
      if (!spare || !isConnectionReset(first)) {
        throw new DnscoveNetworkError(request.method, request.url, first, 1);
      }
      try {
        return await base()(spare, rest);
      } catch (second) {
        if (!isNetworkError(second)) throw second;
        throw new DnscoveNetworkError(request.method, request.url, second, 2);
      }
    }
  };
}
