import http from "node:http";
import https from "node:https";
import type { CloudFormationResponse } from "./event.js";

/** CloudFormation rejects response bodies of 4,096 bytes or more; stay well below. */
export const MAX_BODY_BYTES = 4000;
const TRUNCATED = " … (truncated)";

const bytes = (text: string) => Buffer.byteLength(text, "utf8");

/**
 * The response as it can be sent: `Reason` shortened (then `Data` dropped) so that its JSON body
 * stays under MAX_BODY_BYTES.
 */
export function fitResponse(response: CloudFormationResponse): CloudFormationResponse {
  if (bytes(JSON.stringify(response)) <= MAX_BODY_BYTES) return response;
  const chars = Array.from(response.Reason); // code points: never split a surrogate pair
  const withReason = (n: number) => ({ ...response, Reason: chars.slice(0, n).join("") + TRUNCATED });
  const fits = (n: number) => bytes(JSON.stringify(withReason(n))) <= MAX_BODY_BYTES;
  if (!fits(0)) {
    if (Object.keys(response.Data).length > 0) return fitResponse({ ...response, Data: {} });
    return { ...response, Reason: "response too large" };
  }
  let low = 0;
  let high = chars.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (fits(mid)) low = mid;
    else high = mid - 1;
  }
  return withReason(low);
}

/** The JSON body for the ResponseURL (see fitResponse). */
export function responseBody(response: CloudFormationResponse): string {
  return JSON.stringify(fitResponse(response));
}

export interface SendOptions {
  /** Attempts in all (first try included). */
  attempts?: number;
  /** Delay before the first retry; doubles on each retry. */
  backoffMs?: number;
  /** Per-attempt timeout. */
  timeoutMs?: number;
  log?: (message: string) => void;
}

class TransientError extends Error {}

/** One PUT, exactly as cfn-response does it: empty content-type, explicit content-length. */
function put(url: URL, body: string, timeoutMs: number): Promise<number> {
  const transport = url.protocol === "http:" ? http : https;
  return new Promise((resolve, reject) => {
    const request = transport.request(
      url,
      {
        method: "PUT",
        headers: { "content-type": "", "content-length": bytes(body) },
        timeout: timeoutMs,
      },
      (response) => {
        response.resume();
        response.on("end", () => resolve(response.statusCode ?? 0));
        response.on("error", (error) => reject(new TransientError(error.message)));
      },
    );
    request.on("timeout", () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on("error", (error) => reject(new TransientError(error.message)));
    request.end(body);
  });
}

/**
 * PUTs the response to the pre-signed ResponseURL, retrying network failures, 5xx and 429 with
 * exponential backoff. Returns the response sent (Reason possibly truncated). Throws when every
 * attempt failed or the URL refused the response (4xx).
 */
export async function sendResponse(
  responseUrl: string,
  response: CloudFormationResponse,
  options: SendOptions = {},
): Promise<CloudFormationResponse> {
  const { attempts = 5, backoffMs = 250, timeoutMs = 10_000, log = () => {} } = options;
  const url = new URL(responseUrl);
  const sent = fitResponse(response);
  const body = JSON.stringify(sent);
  let lastProblem = "";
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const status = await put(url, body, timeoutMs);
      if (status >= 200 && status < 300) return sent;
      lastProblem = `the ResponseURL answered ${status}`;
      if (status < 500 && status !== 429) throw new Error(lastProblem);
    } catch (error) {
      if (!(error instanceof TransientError)) throw error;
      lastProblem = `the ResponseURL could not be reached: ${error.message}`;
    }
    log(`response attempt ${attempt} of ${attempts} failed: ${lastProblem}`);
    if (attempt < attempts)
      await new Promise((resolve) => setTimeout(resolve, backoffMs * 2 ** (attempt - 1)));
  }
  throw new Error(`${lastProblem} (after ${attempts} attempts)`);
}
