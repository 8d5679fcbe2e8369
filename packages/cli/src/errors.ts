/** Exit codes of the dnscove command. */
export const EXIT_OK = 0;
export const EXIT_API = 1;
export const EXIT_USAGE = 2;
export const EXIT_NETWORK = 3;

/** A failure with a message for the user and the exit code it maps to. */
export class CliError extends Error {
  readonly exitCode: number;

  constructor(message: string, exitCode: number) {
    super(message);
    this.name = "CliError";
    this.exitCode = exitCode;
  }
}

/** Wrong arguments or configuration: exit code 2. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, EXIT_USAGE);
    this.name = "UsageError";
  }
}

/** The API could not be reached at all: exit code 3. */
export class NetworkError extends CliError {
  readonly url: string;

  constructor(url: string, cause: unknown) {
    super(`cannot reach the DNSCove API at ${url}${describeCause(cause)}`, EXIT_NETWORK);
    this.name = "NetworkError";
    this.url = url;
  }
}

function describeCause(error: unknown): string {
  if (!(error instanceof Error)) return "";
  if (error.name === "TimeoutError" || error.name === "AbortError") return " (timed out)";
  // undici wraps the socket error: TypeError("fetch failed", { cause: Error{code: "ECONNREFUSED"} }).
  const cause = (error as { cause?: unknown }).cause;
  if (cause && typeof cause === "object") {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === "string") return ` (${code})`;
    const message = (cause as { message?: unknown }).message;
    if (typeof message === "string" && message) return ` (${message})`;
  }
  return error.message ? ` (${error.message})` : "";
}
