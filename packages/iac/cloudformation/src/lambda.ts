import { createClient, DnscoveApiError, DnscoveNetworkError } from "@dnscove/sdk";
import type { CloudFormationEvent, CloudFormationResponse, LambdaContext } from "./event.js";
import { handle, PropertyError } from "./handler.js";
import { sendResponse } from "./response.js";

export const DEFAULT_API = "https://api.dnscove.com";
/** Time kept back from the Lambda's own timeout to answer FAILED and PUT the response. */
export const TIMEOUT_MARGIN_MS = 3000;

class TimedOut extends Error {}

/** A fetch bound to `signal`, whatever shape openapi-fetch calls it with. */
function abortableFetch(signal: AbortSignal): typeof fetch {
  return (input, init) =>
    globalThis.fetch(input instanceof Request ? new Request(input, { signal }) : input, { ...init, signal });
}

/** A Reason a person can act on: `${status} ${code}: ${detail}` plus every field error. */
export function reasonOf(error: unknown, apiBase: string): string {
  if (error instanceof DnscoveApiError) {
    const fields = (error.problem.errors ?? []).map((e) => `${e.path}: ${e.message}`);
    const base = `${error.status} ${error.code}: ${error.problem.detail}`;
    return fields.length > 0 ? `${base} (${fields.join("; ")})` : base;
  }
  if (error instanceof TimedOut || error instanceof PropertyError) return error.message;
  if (error instanceof DnscoveNetworkError) {
    return `cannot reach the DNSCove API at ${apiBase}: ${error.code ?? (error.cause as Error | undefined)?.message}`;
  }
  if (error instanceof Error) {
    const cause = error.cause as { code?: string; message?: string } | undefined;
    if (error.message === "fetch failed" || error.name === "AbortError") {
      return `cannot reach the DNSCove API at ${apiBase}: ${cause?.code ?? cause?.message ?? error.message}`;
    }
    return error.message;
  }
  return String(error);
}

function log(message: string, fields: Record<string, unknown> = {}): void {
  console.log(JSON.stringify({ message, ...fields }));
}

/**
 * The Lambda entry point (`index.handler`). Runs the request against the API named by DNSCOVE_API
 * with DNSCOVE_TOKEN, then always answers CloudFormation on the ResponseURL: SUCCESS with the
 * attributes, or FAILED with a Reason, before the function's own timeout.
 */
export async function handler(
  event: CloudFormationEvent,
  context: LambdaContext,
): Promise<CloudFormationResponse> {
  const apiBase = process.env.DNSCOVE_API || DEFAULT_API;
  const token = process.env.DNSCOVE_TOKEN;
  const { ResponseURL: _url, ...loggable } = event;
  log("request", { event: loggable });

  const budgetMs = Math.max(500, context.getRemainingTimeInMillis() - TIMEOUT_MARGIN_MS);
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new TimedOut(
        `timed out: the request did not finish within ${Math.round(budgetMs / 1000)} s`,
      );
      controller.abort(error);
      reject(error);
    }, budgetMs);
  });

  let response: CloudFormationResponse;
  const common = {
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    NoEcho: false,
  };
  try {
    const client = createClient({
      baseUrl: apiBase,
      ...(token ? { token } : {}),
      fetch: abortableFetch(controller.signal),
      userAgent: "dnscove-cloudformation/0.1",
    });
    const result = await Promise.race([handle(event, { client }), deadline]);
    response = {
      ...common,
      Status: "SUCCESS",
      Reason: "OK",
      PhysicalResourceId: result.physicalResourceId,
      Data: result.data,
    };
  } catch (error) {
    let reason = reasonOf(controller.signal.aborted ? controller.signal.reason : error, apiBase);
    if (!token && error instanceof DnscoveApiError && error.status === 401) {
      reason += " (DNSCOVE_TOKEN is not set on the function)";
    }
    if (context.logStreamName) reason += ` [CloudWatch log stream: ${context.logStreamName}]`;
    response = {
      ...common,
      Status: "FAILED",
      Reason: reason,
      // A failed Create still needs an id; the RequestId is neither a zone id nor an rrset id, so
      // the Delete that CloudFormation sends on rollback is recognised and succeeds.
      PhysicalResourceId: event.PhysicalResourceId ?? event.RequestId,
      Data: {},
    };
  } finally {
    clearTimeout(timer);
  }
  log("response", { response });
  const remaining = context.getRemainingTimeInMillis();
  const sent = await sendResponse(event.ResponseURL, response, {
    timeoutMs: Math.max(1000, Math.min(10_000, remaining - 500)),
    log: (message) => log(message),
  });
  return JSON.parse(sent) as CloudFormationResponse;
}
