import { createClient, DnscoveApiError, type DnscoveClient } from "@dnscove/sdk";

export { DnscoveApiError };

const SESSION_KEY = "dnscove.session";
const FLASH_KEY = "dnscove.flash";

export interface Session {
  token: string;
  expires_at: string;
}

export function loadSession(): Session | null {
  try {
    const raw = sessionStorage.getItem(SESSION_KEY);
    if (!raw) return null;
    const session = JSON.parse(raw) as Session;
    if (!session.token || Date.parse(session.expires_at) <= Date.now()) return null;
    return session;
  } catch {
    return null;
  }
}

export function saveSession(session: Session): void {
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
}

export function clearSession(): void {
  sessionStorage.removeItem(SESSION_KEY);
}

/** A one-time message for the sign-in page (e.g. why the user was sent there). */
export function setFlash(message: string): void {
  sessionStorage.setItem(FLASH_KEY, message);
}

export function takeFlash(): string | null {
  const message = sessionStorage.getItem(FLASH_KEY);
  sessionStorage.removeItem(FLASH_KEY);
  return message;
}

/** The API is served on the console's origin; its paths already start with /api. */
export function apiClient(token?: string): DnscoveClient {
  return createClient({ baseUrl: window.location.origin, ...(token ? { token } : {}) });
}

export const SESSION_EXPIRED = "Your session expired; sign in again.";

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
