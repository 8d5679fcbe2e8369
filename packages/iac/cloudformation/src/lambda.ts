import { clientFromEnv, DnscoveApiError, describeError } from "@dnscove/sdk";
import type { CloudFormationEvent, CloudFormationResponse, LambdaContext } from "./event.js";
import { handle } from "./handler.js";
import { sendResponse } from "./response.js";

/** Time kept back from the Lambda's own timeout to answer FAILED and PUT the response. */
export const TIMEOUT_MARGIN_MS = 3000;

class TimedOut extends Error {}

/** A fetch bound to `signal`, whatever shape openapi-fetch calls it with. */
function abortableFetch(signal: AbortSignal): typeof fetch {
  return (input, init) =>
    globalThis.fetch(input instanceof Request ? new Request(input, { signal }) : input, { ...init, signal });
}

/**
 * A Reason a person can act on: the SDK's one rendering (`409 ZONE_EXISTS: …` with every field
 * error, `cannot reach the DNSCove API at … (ECONNREFUSED)`), or the message of a property error
 * or of the deadline.
 */
export function reasonOf(error: unknown): string {
  return describeError(error);
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
    // DNSCOVE_API (default: the SDK's DEFAULT_BASE_URL) and DNSCOVE_TOKEN, read as every DNSCove client reads them.
    const client = clientFromEnv(process.env, {
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
    let reason = reasonOf(controller.signal.aborted ? controller.signal.reason : error);
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
  return await sendResponse(event.ResponseURL, response, {
    timeoutMs: Math.max(1000, Math.min(10_000, remaining - 500)),
    log: (message) => log(message),
  });
}
