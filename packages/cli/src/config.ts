import { createClient, DEFAULT_BASE_URL, type DnscoveClient } from "@dnscove/sdk";
import { credentialsPath, readCredential, type StoredCredential } from "./credentials.js";
import { UsageError } from "./errors.js";

/** The global options every command inherits (see main.ts). */
export interface GlobalOptions {
  api?: string;
  token?: string;
}

export interface Config {
  /** The API base URL, without a trailing slash (paths start with /api). */
  api: string;
  /** The credential; never printed. */
  token: string | undefined;
  /** Where `dnscove login` keeps the credential. */
  credentialsFile: string;
  /** The stored credential when it is the one in use (no --token / DNSCOVE_TOKEN, same API). */
  stored: StoredCredential | undefined;
}

function trimUrl(value: string): string {
  return value.trim().replace(/\/+$/, "");
}

/**
 * Resolves the configuration. The API: --api, then DNSCOVE_API, then the API of the stored
 * login, then DEFAULT_BASE_URL. The token: --token, then DNSCOVE_TOKEN, then the stored login's,
 * but only when it was issued by that same API (a credential is never sent to another server).
 */
export function resolveConfig(options: GlobalOptions, env: NodeJS.ProcessEnv = process.env): Config {
  const credentialsFile = credentialsPath(env);
  const explicitApi = options.api ?? nonEmpty(env.DNSCOVE_API);
  const explicitToken = nonEmpty(options.token) ?? nonEmpty(env.DNSCOVE_TOKEN);
  const saved = explicitToken ? undefined : readCredential(credentialsFile);
  const api = trimUrl(explicitApi ?? saved?.api ?? DEFAULT_BASE_URL);
  let url: URL;
  try {
    url = new URL(api);
  } catch {
    throw new UsageError(`invalid API URL ${JSON.stringify(api)} (from --api or DNSCOVE_API)`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new UsageError(`invalid API URL ${JSON.stringify(api)}: must be http:// or https://`);
  }
  const stored = saved && trimUrl(saved.api) === api ? saved : undefined;
  const token = explicitToken?.trim() ?? stored?.token;
  return { api, token, credentialsFile, stored };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== "" ? value : undefined;
}

/** A client without credentials (sign-in). */
export function anonymousClient(config: Config): DnscoveClient {
  return createClient({ baseUrl: config.api, userAgent: USER_AGENT });
}

/** A client with the given (or the configured) token. */
export function clientWithToken(config: Config, token: string): DnscoveClient {
  return createClient({ baseUrl: config.api, token, userAgent: USER_AGENT });
}

/** A client with the configured token; a missing token is a usage error (exit 2). */
export function authenticatedClient(config: Config): DnscoveClient {
  if (!config.token) {
    throw new UsageError(
      "no API token: run `dnscove login <email>`, set DNSCOVE_TOKEN or pass --token " +
        "(or mint a machine token with `dnscove tokens mint`)",
    );
  }
  return clientWithToken(config, config.token);
}

const USER_AGENT = "dnscove-cli/0.1";

/** The configuration for a running (sub)command, from its options and its parents'. */
export function configOf(command: { optsWithGlobals(): GlobalOptions }): Config {
  return resolveConfig(command.optsWithGlobals());
}

/** An authenticated client for a running (sub)command. */
export function clientOf(command: { optsWithGlobals(): GlobalOptions }): DnscoveClient {
  return authenticatedClient(configOf(command));
}
