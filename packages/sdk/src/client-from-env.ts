import { type ClientOptions, createClient, type DnscoveClient } from "./client.js";

/**
 * Where a DNSCove API started with its defaults listens (`pnpm start` in the repository: PORT 8080
 * on loopback). The one definition the CLI, the CloudFormation handler and the CDK construct use
 * when no URL is given.
 */
export const DEFAULT_BASE_URL = "http://127.0.0.1:8080";

/** The variables `clientFromEnv` reads; any `process.env`-like record fits. */
export interface DnscoveEnv {
  /** The API base URL; `DEFAULT_BASE_URL` when unset or empty. */
  DNSCOVE_API?: string | undefined;
  /** A session or machine token; the client sends none when unset or empty. */
  DNSCOVE_TOKEN?: string | undefined;
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/** `process.env` where there is one (Node), nothing in a browser. */
function processEnv(): DnscoveEnv {
  return (globalThis as { process?: { env?: DnscoveEnv } }).process?.env ?? {};
}

/**
 * A client configured the way the CLI and the IaC handlers are: the API at `DNSCOVE_API`
 * (default `DEFAULT_BASE_URL`) with the credential in `DNSCOVE_TOKEN`. `options` adds a fetch or
 * a user agent.
 */
export function clientFromEnv(
  env: DnscoveEnv = processEnv(),
  options: Omit<ClientOptions, "baseUrl" | "token"> = {},
): DnscoveClient {
  const token = nonEmpty(env.DNSCOVE_TOKEN);
  return createClient({
    ...options,
    baseUrl: nonEmpty(env.DNSCOVE_API) ?? DEFAULT_BASE_URL,
    ...(token ? { token } : {}),
  });
}
