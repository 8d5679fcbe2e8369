import { useCallback, useEffect, useRef, useState } from "react";
import { apiClient } from "../api.js";
import { navigate } from "../router.js";
import {
  clearSession,
  loadSession,
  parseSession,
  SESSION_KEY,
  type Session,
  saveSession,
  setFlash,
} from "./storage.js";

export const SESSION_EXPIRED = "Your session expired or was revoked; sign in again.";
export const SIGNED_OUT_ELSEWHERE = "You were signed out in another tab.";

/**
 * The signed-in session of this tab, kept in step with the other tabs: a sign-in elsewhere signs this
 * tab in, a sign-out (or an expired session) elsewhere sends it to sign-in.
 */
export function useSharedSession() {
  const [session, setSession] = useState<Session | null>(() => loadSession());
  const current = useRef(session);
  current.current = session;

  useEffect(() => {
    const onStorage = (event: StorageEvent) => {
      // key null: another tab cleared all of localStorage.
      if (event.key !== SESSION_KEY && event.key !== null) return;
      const next = parseSession(event.key === null ? null : event.newValue);
      if (!next && current.current) {
        setFlash(SIGNED_OUT_ELSEWHERE);
        navigate("/sign-in", { replace: true });
      }
      setSession(next);
    };
    window.addEventListener("storage", onStorage);
    return () => window.removeEventListener("storage", onStorage);
  }, []);

  const signIn = useCallback((next: Session) => {
    setSession(saveSession(next));
    navigate("/zones", { replace: true });
  }, []);

  /** Ends the session in every tab; with a message (why), the sign-in page shows it. */
  const signOut = useCallback((message?: string) => {
    const ending = loadSession();
    const leave = () => {
      clearSession();
      if (message) setFlash(message);
      setSession(null);
      navigate("/sign-in", { replace: true });
    };
    // Ending the session on the server first means a copy of the token (a log, a shared screen) is
    // useless from now on, not for the rest of its 12 hours. A session the server refused (message
    // given) has nothing to end; a failure to reach the server still signs this browser out.
    if (!ending || message) return leave();
    apiClient(ending.token).POST("/api/auth/sign-out").then(leave, leave);
  }, []);

  return { session, signIn, signOut };
}
