import createFetchClient, { type Client } from "openapi-fetch";
import { DnscoveApiError } from "./errors.js";
import type { paths } from "./generated/schema.js";
import { resilientFetch } from "./network.js";

export interface ClientOptions {
  /** Where the API is served, e.g. `https://api.dnscove.com` (paths already start with /api). */
  baseUrl: string;
  /** A session or a machine token (`dnsc_…`), sent as `Authorization: Bearer`. */
  token?: string;
  /** A fetch implementation (tests, proxies); defaults to the global fetch. */
  fetch?: typeof fetch;
  userAgent?: string;
}

export type DnscoveClient = Client<paths>;

/**
 * A typed client for every DNSCove operation, generated from the API's OpenAPI document. Calls
 * resolve with `{ data, response }` on success and reject with `DnscoveApiError` (an answer that
 * is not 2xx) or `DnscoveNetworkError` (no answer at all), so `data` is always present after an
 * `await` that did not throw. GET, HEAD, PUT, DELETE and OPTIONS are sent once more when their
 * connection is reset; POST never is (see network.ts).
 */
export function createClient(options: ClientOptions): DnscoveClient {
  const client = createFetchClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ""),
    // Resolved per call, so a fetch replaced after the client was made is still used.
    fetch: resilientFetch(() => options.fetch ?? globalThis.fetch),
  });
  client.use({
    onRequest({ request }) {
      if (options.token) request.headers.set("Authorization", `Bearer ${options.token}`);
      request.headers.set("User-Agent", options.userAgent ?? "dnscove-sdk/0.1");
      return request;
    },
    async onResponse({ response }) {
      if (!response.ok) throw await DnscoveApiError.fromResponse(response);
      return response;
    },
  });
  return client;
}

/** The data of a successful call (narrowing away openapi-fetch's `undefined`). */
export function unwrap<T>(result: { data?: T; response: Response }): T {
  if (result.data === undefined && result.response.status !== 204) {
    throw new Error(`empty answer from ${result.response.url} (${result.response.status})`);
  }
  return result.data as T;
}
