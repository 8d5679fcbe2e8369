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

/**
 * Standard output by default, written asynchronously: lines logged while a write is in flight go
 * out together in the next one, so a busy API makes far fewer write syscalls than one per request
 * line (issue 14), and an idle one still writes each line at once. pino flushes what is left
 * synchronously when the process exits.
 */
export function createLogger(options: { level?: string; destination?: DestinationStream } = {}): Logger {
  return pino(
    { level: options.level ?? "info", redact: { paths: REDACT, censor: "[redacted]" } },
    options.destination ?? pino.destination({ dest: 1, sync: false }),
  );
}
