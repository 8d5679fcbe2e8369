import { DnsInputError, DnsRecordsError } from "@dnscove/dns";
import { DnscoveApiError, DnscoveNetworkError, describeError } from "@dnscove/sdk";

export interface Diagnostic {
  severity: "ERROR" | "WARNING";
  summary: string;
  detail: string;
  attribute?: {
    steps: Array<{ attribute_name?: string; element_key_string?: string; element_key_int?: number }>;
  };
}

/** An error that already knows how to present itself as a diagnostic. */
export class DiagnosticError extends Error {
  constructor(
    readonly summary: string,
    readonly detail: string,
    readonly attributeName?: string,
  ) {
    super(`${summary}: ${detail}`);
    this.name = "DiagnosticError";
  }

  /** Any thrown value under a summary of ours (the API's problem detail kept as the detail). */
  static of(error: unknown, summary: string, attributeName?: string): DiagnosticError {
    if (error instanceof DiagnosticError) return error;
    return new DiagnosticError(summary, toDiagnostic(error, summary).detail, attributeName);
  }
}

export function attributePath(name: string) {
  return { steps: [{ attribute_name: name }] };
}

export function errorDiagnostic(summary: string, detail: string, attributeName?: string): Diagnostic {
  return {
    severity: "ERROR",
    summary,
    detail,
    ...(attributeName ? { attribute: attributePath(attributeName) } : {}),
  };
}

/**
 * Any thrown value as a diagnostic. API problems and network failures read as the SDK's
 * describeError words them, so the provider, the CLI and the console say the same thing.
 */
export function toDiagnostic(error: unknown, context: string, attributeName?: string): Diagnostic {
  if (error instanceof DiagnosticError) {
    return errorDiagnostic(error.summary, error.detail, error.attributeName ?? attributeName);
  }
  if (error instanceof DnscoveApiError) {
    return errorDiagnostic(
      `${context}: the DNSCove API answered ${error.status} ${error.code}`,
      describeError(error),
      attributeName,
    );
  }
  if (error instanceof DnscoveNetworkError) {
    return errorDiagnostic(`${context}: cannot reach the DNSCove API`, describeError(error), attributeName);
  }
  if (error instanceof DnsRecordsError || error instanceof DnsInputError) {
    return errorDiagnostic(`${context}: invalid DNS data`, error.message, attributeName);
  }
  let message = error instanceof Error ? error.message : String(error);
  const cause = error instanceof Error ? (error as { cause?: unknown }).cause : undefined;
  if (cause instanceof Error) message += `: ${cause.message}`;
  return errorDiagnostic(`${context}: unexpected error`, message, attributeName);
}
