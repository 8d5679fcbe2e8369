import { DnscoveApiError } from "./errors.js";
import { DnscoveNetworkError } from "./network.js";

/** The origin (scheme, host, port) of a URL, or the URL itself when it does not parse. */
function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

/** The message of the deepest `cause` (undici hides the socket error under "fetch failed"). */
function innermostMessage(error: unknown): string | undefined {
  let message: string | undefined;
  for (let e = error, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) {
    if (e.message) message = e.message;
  }
  return message;
}

/**
 * One line a person can act on, for any error a DNSCove call can end in. The CLI, the
 * CloudFormation handler, the Terraform provider and the console all print this, so one failure
 * reads the same everywhere:
 * - an API problem (RFC 9457): `409 ZONE_EXISTS: example.com is already hosted`, followed by the
 *   field errors of a 400 (`(records[0]: invalid IPv4 address; ttl: …)`) and the wait a 429 asks
 *   for (`(retry after 900 s)`, RFC 9110 §10.2.3);
 * - no answer at all: `cannot reach the DNSCove API at http://127.0.0.1:8080 (ECONNREFUSED)`;
 * - anything else: its message.
 */
export function describeError(error: unknown): string {
  if (error instanceof DnscoveApiError) {
    let text = `${error.status} ${error.code}: ${error.problem.detail}`;
    const fields = (error.problem.errors ?? []).map((field) => `${field.path}: ${field.message}`);
    if (fields.length > 0) text += ` (${fields.join("; ")})`;
    if (error.retryAfter !== undefined) text += ` (retry after ${error.retryAfter} s)`;
    return text;
  }
  if (error instanceof DnscoveNetworkError) {
    const why = error.code ?? innermostMessage(error.cause);
    return `cannot reach the DNSCove API at ${originOf(error.url)}${why ? ` (${why})` : ""}`;
  }
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
