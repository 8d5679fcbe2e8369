import type { Response } from "express";
import { z } from "zod";
import { DomainError, type DomainErrorCode } from "../domain/errors.js";

/**
 * Codes only the HTTP layer raises, before any domain operation runs: the body could not be read.
 * The domain never sees them; clients see them beside the domain's codes.
 */
export type TransportErrorCode = "INVALID_JSON" | "PAYLOAD_TOO_LARGE";

/** Every code a client can see (the `code` of a problem). */
export type ErrorCode = DomainErrorCode | TransportErrorCode;

/** A request the HTTP layer could not read (malformed or oversized body). */
export class TransportError extends Error {
  constructor(
    readonly code: TransportErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "TransportError";
  }
}

export interface ProblemKind {
  status: number;
  title: string;
  /** When a client gets this code, in one line (docs/errors.md is generated from it). */
  when: string;
}

/** The one table from error codes to HTTP statuses, titles and their documentation. */
const PROBLEMS: Record<ErrorCode, ProblemKind> = {
  VALIDATION_FAILED: {
    status: 400,
    title: "Invalid request",
    when: "invalid fields; `errors` lists every one, with paths like `changes[1].records[0]`",
  },
  INVALID_JSON: { status: 400, title: "Malformed JSON", when: "the body is not JSON (or not UTF-8)" },
  PUBLIC_SUFFIX: {
    status: 400,
    title: "Origin is a public suffix",
    when: "the zone origin is a public suffix (`co.uk`, `github.io`); `errors` names `origin`",
  },
  UNAUTHENTICATED: {
    status: 401,
    title: "Unauthenticated",
    when: "no, malformed, unknown, expired or revoked credential",
  },
  INVALID_MAGIC_LINK: {
    status: 401,
    title: "Invalid sign-in link",
    when: "the sign-in token is unknown, used or expired",
  },
  FORBIDDEN: {
    status: 403,
    title: "Forbidden",
    when: "the token's scope or zone binding does not allow the call",
  },
  NOT_FOUND: {
    status: 404,
    title: "Not found",
    when: "no such resource in the caller's tenant (another tenant's zone included), or no such rrset",
  },
  ZONE_EXISTS: {
    status: 409,
    title: "Zone already hosted",
    when: "the origin (or a parent/child of it held by another tenant) is already hosted",
  },
  RRSET_CONFLICT: {
    status: 409,
    title: "Conflicting rrsets",
    when: "CNAME beside other data, data beside a delegation, DS without NS; `errors` names the changes",
  },
  RRSET_EXISTS: {
    status: 409,
    title: "Rrset already exists",
    when: "a `CREATE` names an rrset that already exists; the whole call wrote nothing",
  },
  NO_PREVIOUS_NAMESERVERS: {
    status: 409,
    title: "No previous nameservers",
    when: "a parity check on a zone that was not imported: there are no previous nameservers to compare with",
  },
  QUOTA_EXCEEDED: {
    status: 409,
    title: "Quota exceeded",
    when: "the call would exceed a per-tenant quota (zones per tenant, rrsets per zone)",
  },
  MASS_DELETE: {
    status: 409,
    title: "Mass delete refused",
    when: "the change would delete more than 25% of the zone's rrsets (and at least 10; settings `DNSCOVE_MASS_DELETE_SHARE`, `DNSCOVE_MASS_DELETE_MIN`); `detail` says how many; resend with `confirm_mass_delete: true`",
  },
  DNSSEC_STATE: {
    status: 409,
    title: "DNSSEC state conflict",
    when: "the zone's DNSSEC state does not allow the call: a KSK rollover on an unsigned zone or during another rollover, another `algorithm` for a signed zone; `errors` names the field",
  },
  DNSSEC_UNAVAILABLE: {
    status: 409,
    title: "DNSSEC not configured",
    when: "enabling DNSSEC on an installation without `DNSCOVE_DNSSEC_KEY_SECRET` (production); nothing was changed",
  },
  HISTORY_GONE: {
    status: 410,
    title: "History no longer kept",
    when: "the serial is older than the zone's kept history (`DNSCOVE_HISTORY_RETENTION_DAYS`, 30 days by default, plus what edges still need)",
  },
  PAYLOAD_TOO_LARGE: {
    status: 413,
    title: "Request body too large",
    when: "the body exceeds the limit: 6 MiB, a Route53 import 64 MiB, by default",
  },
  RATE_LIMITED: {
    status: 429,
    title: "Too many requests",
    when: "too many sign-in requests; see `Retry-After`",
  },
  INTERNAL: { status: 500, title: "Internal error", when: "a bug; nothing internal is echoed" },
  DATABASE_UNAVAILABLE: {
    status: 503,
    title: "Database unavailable",
    when: "the database cannot be reached; nothing was changed; retry after `Retry-After` (5 s)",
  },
};

export const ERROR_CODES = Object.keys(PROBLEMS) as ErrorCode[];

/** Every code with its status, title and `when`, in the table's order. */
export function problemKinds(): [ErrorCode, ProblemKind][] {
  return ERROR_CODES.map((code) => [code, PROBLEMS[code]]);
}

const FieldError = z.object({ path: z.string(), message: z.string() }).meta({ id: "FieldError" });

/** The body of every error answer; a named component of the OpenAPI document. */
export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.enum(ERROR_CODES as [ErrorCode, ...ErrorCode[]]),
    request_id: z.string().optional(),
    errors: z.array(FieldError).optional(),
  })
  .meta({ id: "Problem", description: "RFC 9457 problem details, served as application/problem+json." });
export type Problem = z.output<typeof Problem>;

export function toProblem(error: unknown, requestId: string): Problem {
  const known =
    error instanceof DomainError || error instanceof TransportError
      ? error
      : // Anything unexpected: a generic answer; the cause is logged with the request id, never sent.
        new DomainError("INTERNAL", "An internal error occurred; quote the request id when reporting it.");
  const errors = known instanceof DomainError ? known.details.errors : undefined;
  return {
    type: `https://www.dnscove.com/docs/errors#${known.code.toLowerCase()}`,
    title: PROBLEMS[known.code].title,
    status: PROBLEMS[known.code].status,
    detail: known.message,
    code: known.code,
    request_id: requestId,
    ...(errors ? { errors } : {}),
  };
}

export function sendProblem(res: Response, problem: Problem, retryAfterSeconds?: number): void {
  if (retryAfterSeconds !== undefined) res.setHeader("Retry-After", String(retryAfterSeconds));
  res.status(problem.status).type("application/problem+json").send(JSON.stringify(problem));
}
