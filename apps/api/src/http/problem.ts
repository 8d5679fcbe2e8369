import type { Response } from "express";
import { DomainError, type ErrorCode, type FieldIssue } from "../domain/errors.js";

/** The one table from domain error codes to HTTP statuses. */
const STATUS: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  INVALID_JSON: 400,
  UNAUTHENTICATED: 401,
  INVALID_MAGIC_LINK: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  PUBLIC_SUFFIX: 400,
  ZONE_EXISTS: 409,
  RRSET_CONFLICT: 409,
  RRSET_EXISTS: 409,
  NO_PREVIOUS_NAMESERVERS: 409,
  QUOTA_EXCEEDED: 409,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  NOT_IMPLEMENTED: 501,
  PUBLISH_FAILED: 503,
  DATABASE_UNAVAILABLE: 503,
};

const TITLE: Record<ErrorCode, string> = {
  VALIDATION_FAILED: "Invalid request",
  INVALID_JSON: "Malformed JSON",
  UNAUTHENTICATED: "Unauthenticated",
  INVALID_MAGIC_LINK: "Invalid sign-in link",
  FORBIDDEN: "Forbidden",
  NOT_FOUND: "Not found",
  PUBLIC_SUFFIX: "Origin is a public suffix",
  ZONE_EXISTS: "Zone already hosted",
  RRSET_CONFLICT: "Conflicting rrsets",
  RRSET_EXISTS: "Rrset already exists",
  NO_PREVIOUS_NAMESERVERS: "No previous nameservers",
  QUOTA_EXCEEDED: "Quota exceeded",
  PAYLOAD_TOO_LARGE: "Request body too large",
  RATE_LIMITED: "Too many requests",
  INTERNAL: "Internal error",
  NOT_IMPLEMENTED: "Not implemented",
  PUBLISH_FAILED: "Publish not confirmed",
  DATABASE_UNAVAILABLE: "Database unavailable",
};

export const ERROR_CODES = Object.keys(STATUS) as ErrorCode[];

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  request_id?: string;
  errors?: FieldIssue[];
}

export function statusOf(code: ErrorCode): number {
  return STATUS[code];
}

export function toProblem(error: unknown, requestId: string): Problem {
  const domain =
    error instanceof DomainError
      ? error
      : // Anything unexpected: a generic answer; the cause is logged with the request id, never sent.
        new DomainError("INTERNAL", "An internal error occurred; quote the request id when reporting it.");
  return {
    type: `https://www.dnscove.com/docs/errors#${domain.code.toLowerCase()}`,
    title: TITLE[domain.code],
    status: STATUS[domain.code],
    detail: domain.message,
    code: domain.code,
    request_id: requestId,
    ...(domain.details.errors ? { errors: domain.details.errors } : {}),
  };
}

export function sendProblem(res: Response, problem: Problem, retryAfterSeconds?: number): void {
  if (retryAfterSeconds !== undefined) res.setHeader("Retry-After", String(retryAfterSeconds));
  res.status(problem.status).type("application/problem+json").send(JSON.stringify(problem));
}
