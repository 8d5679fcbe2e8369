import http from "node:http";
import https from "node:https";

/**
 * How many connections to the API one provider process keeps: Terraform runs 10 resource
 * operations at once by default (`-parallelism`), each a GET during a refresh, so 10 calls are
 * never queued behind each other; a few spare for a user's higher -parallelism.
 */
export const MAX_SOCKETS = 16;

export interface KeepAliveGetOptions {
  /** Connections per origin (default MAX_SOCKETS). */
  maxSockets?: number;
  /** TLS options for https endpoints (tests: a private CA); the default trusts Node's CAs. */
  tls?: https.AgentOptions;
  /** What every other method goes through (default: the global fetch). */
  fallback?: () => typeof fetch;
}

/**
 * A fetch for the SDK client whose GETs go over node:http with a keep-alive agent, and every other
 * method through the global fetch. A `terraform plan` refreshes each rrset with one GET, and
 * undici's fetch (Request, Response and web-stream machinery per call) costs several times what
 * the HTTP exchange itself does (docs/benchmarks.md, "Terraform no-op plan"). Only GETs: they are
 * idempotent, so a pooled connection the server closed just as it was reused is simply retried by
 * the SDK (RFC 9110 §9.2.2), while writes keep fetch's handling of stale connections.
 * A failure to get an answer is a TypeError with the socket error as `cause`, as fetch reports it,
 * so the SDK's retry and DnscoveNetworkError work unchanged.
 */
export function keepAliveGet(options: KeepAliveGetOptions = {}): typeof fetch {
  const maxSockets = options.maxSockets ?? MAX_SOCKETS;
  const agents = {
    "http:": new http.Agent({ keepAlive: true, maxSockets }),
    "https:": new https.Agent({ keepAlive: true, maxSockets, ...options.tls }),
  };
  const fallback = options.fallback ?? (() => globalThis.fetch);
  return async (input, init) => {
    const request = input instanceof Request ? input : new Request(input, init);
    const url = new URL(request.url);
    if (request.method !== "GET" || (url.protocol !== "http:" && url.protocol !== "https:")) {
      return fallback()(request);
    }
    const agent = agents[url.protocol];
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      headers[name] = value;
    });
    return new Promise<Response>((resolve, reject) => {
      const client = url.protocol === "https:" ? https : http;
      const outgoing = client.get(url, { agent, headers, signal: request.signal }, (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
        incoming.on("error", (error) => reject(new TypeError("fetch failed", { cause: error })));
        incoming.on("end", () => {
          const status = incoming.statusCode ?? 0;
          const responseHeaders = new Headers();
          for (const [name, value] of Object.entries(incoming.headers)) {
            if (Array.isArray(value)) for (const v of value) responseHeaders.append(name, v);
            else if (value !== undefined) responseHeaders.set(name, value);
          }
          // A Response may not carry a body with these statuses (Fetch standard, "null body status").
          const empty = status === 204 || status === 205 || status === 304;
          resolve(
            new Response(empty ? null : Buffer.concat(chunks), {
              status,
              statusText: incoming.statusMessage ?? "",
              headers: responseHeaders,
            }),
          );
        });
      });
      outgoing.on("error", (error) =>
        reject(error.name === "AbortError" ? error : new TypeError("fetch failed", { cause: error })),
      );
    });
  };
}
