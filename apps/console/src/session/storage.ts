/**
 * The console session, shared by every tab of this origin: it lives in localStorage, so a new tab or
 * a reload on /zones/<id> is signed in, and a sign-out in one tab reaches the others through the
 * `storage` event (fired in every other same-origin tab when a key changes).
 */
export const SESSION_KEY = "dnscove.session";
/** The address the last sign-in link was requested for: the API's session answer names no one. */
const EMAIL_KEY = "dnscove.sign-in-email";
/** Per tab on purpose: a message for the sign-in page of the tab that was sent there. */
const FLASH_KEY = "dnscove.flash";

export interface Session {
  token: string;
  expires_at: string;
  /** The address used at sign-in, when this browser asked for the link (not when opened elsewhere). */
  email?: string;
}

export function loadSession(): Session | null {
  return parseSession(localStorage.getItem(SESSION_KEY));
}

/** A stored session value, or null when it is missing, unreadable or past its expiry. */
export function parseSession(raw: string | null): Session | null {
  if (!raw) return null;
  try {
    const session = JSON.parse(raw) as Partial<Session>;
    if (typeof session.token !== "string" || !session.token) return null;
    if (typeof session.expires_at !== "string" || !(Date.parse(session.expires_at) > Date.now())) return null;
    return {
      token: session.token,
      expires_at: session.expires_at,
      ...(typeof session.email === "string" && session.email ? { email: session.email } : {}),
    };
  } catch {
    return null;
  }
}

/** Stores a new session, naming the address its link was requested for (when known). */
export function saveSession(session: Session): Session {
  const email = session.email ?? localStorage.getItem(EMAIL_KEY) ?? undefined;
  const stored: Session = { ...session, ...(email ? { email } : {}) };
  localStorage.setItem(SESSION_KEY, JSON.stringify(stored));
  return stored;
}

export function clearSession(): void {
  localStorage.removeItem(SESSION_KEY);
}

export function rememberSignInEmail(email: string): void {
  localStorage.setItem(EMAIL_KEY, email.trim());
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
