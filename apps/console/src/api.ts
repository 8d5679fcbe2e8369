import {
  createClient,
  DnscoveApiError,
  type DnscoveClient,
  describeError,
  type ProblemCode,
} from "@dnscove/sdk";

export { DnscoveApiError };

/** The API is served on the console's origin; its paths already start with /api. */
export function apiClient(token?: string): DnscoveClient {
  return createClient({ baseUrl: window.location.origin, ...(token ? { token } : {}) });
}

export interface FieldError {
  path: string;
  message: string;
}

/** A displayable error: one line of text plus the field errors, which are shown next to their fields. */
export interface UiError {
  message: string;
  status?: number;
  code?: ProblemCode;
  fields: FieldError[];
}

/** The SDK's one error text (as the CLI prints it), without the field errors the form places itself. */
export function toUiError(error: unknown): UiError {
  if (error instanceof DnscoveApiError) {
    const { errors, ...problem } = error.problem;
    return {
      message: describeError(new DnscoveApiError(problem, error.retryAfter)),
      status: error.status,
      code: error.code,
      fields: errors ?? [],
    };
  }
  return { message: describeError(error), fields: [] };
}

/** Field errors whose path is `field` or inside it (`records` matches `records[0]`). */
export function errorsFor(error: UiError | null, field: string): FieldError[] {
  if (!error) return [];
  return error.fields.filter(
    (f) => f.path === field || f.path.startsWith(`${field}[`) || f.path.startsWith(`${field}.`),
  );
}

/** Field errors not claimed by any of the given fields (shown with the form's general error). */
export function otherErrors(error: UiError | null, fields: string[]): FieldError[] {
  if (!error) return [];
  return error.fields.filter(
    (f) => !fields.some((field) => errorsFor({ ...error, fields: [f] }, field).length),
  );
}
