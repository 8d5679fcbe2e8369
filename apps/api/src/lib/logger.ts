import { type DestinationStream, type Logger, pino } from "pino";

export type { Logger };

/**
 * Every log line passes through these redactions, so a credential that reaches a log object by
 * mistake is still never written (issue 2: logs never contain sessions, magic links or secrets).
 */
const REDACT = [
  "req.headers.authorization",
  "headers.authorization",
  "authorization",
  "token",
  "*.token",
  "dev_token",
  "dev_link",
  "secret",
];

export function createLogger(options: { level?: string; destination?: DestinationStream } = {}): Logger {
  return pino(
    { level: options.level ?? "info", redact: { paths: REDACT, censor: "[redacted]" } },
    options.destination,
  );
}
