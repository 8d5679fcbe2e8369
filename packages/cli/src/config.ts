import { createClient, DEFAULT_BASE_URL, type DnscoveClient } from "@dnscove/sdk";
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
}

/** Resolves the configuration: command-line options win over DNSCOVE_API / DNSCOVE_TOKEN. */
export function resolveConfig(options: GlobalOptions, env: NodeJS.ProcessEnv = process.env): Config {
  const api = (options.api ?? nonEmpty(env.DNSCOVE_API) ?? DEFAULT_BASE_URL).trim().replace(/\/+$/, "");
  let url: URL;
  try {
    url = new URL(api);
  } catch {
    throw new UsageError(`invalid API URL ${JSON.stringify(api)} (from --api or DNSCOVE_API)`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new UsageError(`invalid API URL ${JSON.stringify(api)}: must be http:// or https://`);
  }
  const token = nonEmpty(options.token) ?? nonEmpty(env.DNSCOVE_TOKEN);
  return { api, token: token?.trim() };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== "" ? value : undefined;
}

/** A client without credentials (sign-in). */
export function anonymousClient(config: Config): DnscoveClient {
  return createClient({ baseUrl: config.api, userAgent: USER_AGENT });
}

/** A client with the configured token; a missing token is a usage error (exit 2). */
export function authenticatedClient(config: Config): DnscoveClient {
  if (!config.token) {
    throw new UsageError(
      "no API token: set DNSCOVE_TOKEN or pass --token (get a session with `dnscove login <email>`, " +
        "or mint a machine token with `dnscove tokens mint`)",
    );
  }
  return createClient({
    baseUrl: config.api,
    token: config.token,
    userAgent: USER_AGENT,
  });
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
