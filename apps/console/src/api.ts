import { createClient, DnscoveApiError, type DnscoveClient } from "@dnscove/sdk";

export { DnscoveApiError };

/** The API is served on the console's origin; its paths already start with /api. */
export function apiClient(token?: string): DnscoveClient {
  return createClient({ baseUrl: window.location.origin, ...(token ? { token } : {}) });
}

export interface FieldError {
  path: string;
  message: string;
}

/** A displayable error: the problem's detail plus its field errors. */
export interface UiError {
  message: string;
  status?: number;
  code?: string;
  fields: FieldError[];
}

export function toUiError(error: unknown): UiError {
  if (error instanceof DnscoveApiError) {
    return {
      message: error.problem.detail || error.problem.title || error.message,
      status: error.status,
      code: error.code,
      fields: error.problem.errors ?? [],
    };
  }
  if (error instanceof Error) return { message: error.message, fields: [] };
  return { message: String(error), fields: [] };
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
