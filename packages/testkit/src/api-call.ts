import http from "node:http";

export interface JsonResponse {
  status: number;
  /** The body parsed as JSON when it is JSON, else the text (undefined when empty). */
  body: unknown;
}

export interface ApiCallOptions {
  /** Sent as JSON. */
  body?: unknown;
  /** A session or machine token, sent as `Authorization: Bearer …`. */
  bearer?: string;
  headers?: Record<string, string>;
  /** Default 60 s. */
  timeoutMs?: number;
}

/** One HTTP request to the API (`urlPath` starts with /api); never throws on a status. */
export type ApiCall = (method: string, urlPath: string, options?: ApiCallOptions) => Promise<JsonResponse>;

function parseBody(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return text;
  }
}

function requestHeaders(options: ApiCallOptions): Record<string, string> {
  return {
    ...(options.body !== undefined ? { "Content-Type": "application/json" } : {}),
    ...(options.bearer ? { Authorization: `Bearer ${options.bearer}` } : {}),
    ...options.headers,
  };
}

/** Calls the API at `baseUrl` (e.g. http://127.0.0.1:41234) with fetch. */
export function httpApiCall(baseUrl: string): ApiCall {
  return async (method, urlPath, options = {}) => {
    const response = await fetch(`${baseUrl}${urlPath}`, {
      method,
      headers: requestHeaders(options),
      signal: AbortSignal.timeout(options.timeoutMs ?? 60_000),
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
    return { status: response.status, body: parseBody(await response.text()) };
  };
}

/**
 * Calls the API through a Unix socket (http.request's socketPath): how a test outside a network
 * namespace reaches an API inside one, since socket files cross namespaces and TCP ports do not.
 */
export function socketApiCall(socketPath: string): ApiCall {
  return (method, urlPath, options = {}) => {
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    return new Promise((resolve, reject) => {
      const request = http.request(
        {
          socketPath,
          method,
          path: urlPath,
          headers: {
            Host: "localhost",
            ...requestHeaders(options),
            ...(payload !== undefined ? { "Content-Length": String(Buffer.byteLength(payload)) } : {}),
          },
          timeout: options.timeoutMs ?? 60_000,
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("error", reject);
          response.on("end", () =>
            resolve({
              status: response.statusCode ?? 0,
              body: parseBody(Buffer.concat(chunks).toString("utf8")),
            }),
          );
        },
      );
      request.on("timeout", () => request.destroy(new Error(`${method} ${urlPath}: no answer in time`)));
      request.on("error", reject);
      request.end(payload);
    });
  };
}

/** `target` as an ApiCall: a base URL is called over HTTP, a function is used as it is. */
export function apiCallOf(target: string | ApiCall): ApiCall {
  return typeof target === "string" ? httpApiCall(target) : target;
}
