import { randomBytes } from "node:crypto";
import { type ApiCall, apiCallOf, type JsonResponse } from "./api-call.js";
import type { SmtpReceiver } from "./smtp-receiver.js";

export interface SignInOptions {
  /** Default: a fresh address (`<label>-<random>@example.test`), so each caller gets its own tenant. */
  email?: string;
  /** The local part's prefix of the generated address (default "user"). */
  label?: string;
  /**
   * Read the magic link from the mail this real SMTP receiver got (the API runs the SMTP mailer).
   * Without it the API must run the development mailer, which answers with `dev_token`.
   */
  smtp?: SmtpReceiver;
}

function expectOk(what: string, response: JsonResponse): Record<string, unknown> {
  if (response.status !== 200 || typeof response.body !== "object" || response.body === null)
    throw new Error(`${what}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as Record<string, unknown>;
}

/** The sign-in token in a magic-link mail (the link's fragment, `#token=<hex>`). */
export function magicLinkToken(text: string): string {
  const token = /#token=([0-9a-f]+)/.exec(text)?.[1];
  if (!token) throw new Error(`no sign-in link in the mail:\n${text}`);
  return token;
}

/**
 * Signs in through the real magic-link flow (POST /api/auth/magic-link, then /api/auth/exchange)
 * and returns the session token. `api` is the API's base URL or an ApiCall (e.g. through the socket
 * of an API inside a network namespace).
 */
export async function signIn(api: string | ApiCall, options: SignInOptions = {}): Promise<string> {
  const call = apiCallOf(api);
  const email = options.email ?? `${options.label ?? "user"}-${randomBytes(4).toString("hex")}@example.test`;
  const link = expectOk("magic-link", await call("POST", "/api/auth/magic-link", { body: { email } }));
  let token: string;
  if (options.smtp) {
    token = magicLinkToken((await options.smtp.waitFor(email)).text);
  } else if (typeof link.dev_token === "string") {
    token = link.dev_token;
  } else {
    throw new Error("magic-link answered no dev_token: the API does not run the development mailer");
  }
  const session = expectOk("exchange", await call("POST", "/api/auth/exchange", { body: { token } }));
  if (typeof session.token !== "string") throw new Error(`exchange: no token in ${JSON.stringify(session)}`);
  return session.token;
}

export interface MintTokenOptions {
  scope: "tenant-admin" | "zone-admin" | "acme-dns01";
  name?: string;
  /** Required for the zone-bound scopes. */
  zoneId?: string;
}

/** Mints a machine token with a session (POST /api/tokens) and returns its secret. */
export async function mintToken(
  api: string | ApiCall,
  session: string,
  options: MintTokenOptions,
): Promise<string> {
  const response = await apiCallOf(api)("POST", "/api/tokens", {
    bearer: session,
    body: {
      scope: options.scope,
      name: options.name ?? `test ${options.scope}`,
      ...(options.zoneId ? { zone_id: options.zoneId } : {}),
    },
  });
  const token = (response.body as { token?: unknown } | undefined)?.token;
  if (response.status !== 201 || typeof token !== "string")
    throw new Error(`mint ${options.scope} token: ${response.status} ${JSON.stringify(response.body)}`);
  return token;
}
