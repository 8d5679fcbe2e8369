/**
 * Domain errors. Domain code never names an HTTP status: `http/problem.ts` maps each code to one,
 * in one table (beside the HTTP layer's own transport codes). Codes are stable identifiers clients
 * may branch on.
 */
export type DomainErrorCode =
  | "VALIDATION_FAILED"
  | "UNAUTHENTICATED"
  | "INVALID_MAGIC_LINK"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "ZONE_EXISTS"
  | "RRSET_CONFLICT"
  | "RRSET_EXISTS"
  | "NO_PREVIOUS_NAMESERVERS"
  | "PUBLIC_SUFFIX"
  | "QUOTA_EXCEEDED"
  | "MASS_DELETE"
  | "HISTORY_GONE"
  | "DNSSEC_STATE"
  | "DNSSEC_UNAVAILABLE"
  | "RATE_LIMITED"
  | "DATABASE_UNAVAILABLE"
  | "INTERNAL";

export interface FieldIssue {
  /** Where the problem is, e.g. `changes[1].records[0]`; empty for the body as a whole. */
  path: string;
  message: string;
}

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details: { errors?: FieldIssue[]; retryAfterSeconds?: number } = {},
  ) {
    super(message);
    this.name = "DomainError";
  }
}

/** Bad input: lists every field error found, not just the first. */
export class ValidationError extends DomainError {
  constructor(errors: FieldIssue[], message = "The request has invalid fields.") {
    super("VALIDATION_FAILED", message, { errors });
  }
}

export class NotFoundError extends DomainError {
  constructor(what: string) {
    super("NOT_FOUND", `${what} not found.`);
  }
}

export class UnauthenticatedError extends DomainError {
  constructor(message = "A valid credential is required.") {
    super("UNAUTHENTICATED", message);
  }
}

export class ForbiddenError extends DomainError {
  constructor(message = "This credential's scope does not allow this call.") {
    super("FORBIDDEN", message);
  }
}

export class ConflictError extends DomainError {
  constructor(
    code: "ZONE_EXISTS" | "RRSET_CONFLICT" | "RRSET_EXISTS" | "NO_PREVIOUS_NAMESERVERS",
    message: string,
    errors?: FieldIssue[],
  ) {
    super(code, message, errors ? { errors } : {});
  }
}

export class RateLimitedError extends DomainError {
  constructor(retryAfterSeconds: number) {
    super("RATE_LIMITED", "Too many requests; try again later.", { retryAfterSeconds });
  }
}

/**
 * A zone whose origin is itself a public suffix (`co.uk`, `github.io`): hosting it would let one
 * tenant answer for, and block every other tenant from, the registrable domains below it.
 */
export class PublicSuffixError extends DomainError {
  constructor(origin: string) {
    super(
      "PUBLIC_SUFFIX",
      `${origin} is a public suffix (Public Suffix List); host a registrable domain below it instead.`,
      { errors: [{ path: "origin", message: "is a public suffix" }] },
    );
  }
}

/** A per-tenant limit (zones per tenant, rrsets per zone) would be exceeded; nothing was written. */
export class QuotaExceededError extends DomainError {
  constructor(message: string, errors?: FieldIssue[]) {
    super("QUOTA_EXCEEDED", message, errors ? { errors } : {});
  }
}

/**
 * The change would delete more than the configured share of the zone's rrsets (and at least the
 * minimum count); it goes through only with `confirm_mass_delete: true`. Nothing was written.
 */
export class MassDeleteError extends DomainError {
  constructor(message: string) {
    super("MASS_DELETE", message, {
      errors: [{ path: "confirm_mass_delete", message: "required for this change" }],
    });
  }
}

/** A serial older than the history kept (DNSCOVE_HISTORY_RETENTION_DAYS): it existed, it is gone. */
export class HistoryGoneError extends DomainError {
  constructor(serial: number, oldest: number, path = "serial") {
    super(
      "HISTORY_GONE",
      `Serial ${serial} is older than the history kept for this zone (it starts at serial ${oldest}).`,
      { errors: [{ path, message: `older than the kept history (from serial ${oldest})` }] },
    );
  }
}

/** Seconds a client is asked to wait (Retry-After) while the database cannot be reached. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/** The database cannot be reached (down, restarting, failing over): retry later, nothing was lost. */
export class DatabaseUnavailableError extends DomainError {
  constructor(
    message = "The database is unavailable; nothing was changed. Retry after the time in Retry-After.",
  ) {
    super("DATABASE_UNAVAILABLE", message, { retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS });
  }
}

/**
 * The zone's DNSSEC state does not allow the call (a KSK rollover on an unsigned zone or during
 * another one, another algorithm for a signed zone); `errors` names the field. Nothing was written.
 */
export class DnssecStateError extends DomainError {
  constructor(message: string, path: string) {
    super("DNSSEC_STATE", message, { errors: [{ path, message }] });
  }
}

/** DNSSEC cannot be enabled: no DNSCOVE_DNSSEC_KEY_SECRET is configured (production). */
export class DnssecUnavailableError extends DomainError {
  constructor() {
    super(
      "DNSSEC_UNAVAILABLE",
      "DNSSEC is not available on this installation: the operator has not set DNSCOVE_DNSSEC_KEY_SECRET.",
      { errors: [{ path: "enabled", message: "DNSSEC is not configured on this installation" }] },
    );
  }
}
