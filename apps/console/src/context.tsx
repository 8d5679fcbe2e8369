import type { DnscoveClient } from "@dnscove/sdk";
import { createContext, useCallback, useContext, useState } from "react";
import { DnscoveApiError, type FieldError, toUiError, type UiError } from "./api.js";
import { navigate } from "./router.js";
import { SESSION_EXPIRED } from "./session/use-shared-session.js";

export interface ConsoleContext {
  client: DnscoveClient;
  /** The address used at sign-in, when this browser requested the link. */
  email?: string;
  /** Ends the session; with a message, the sign-in page shows it. */
  signOut: (message?: string) => void;
}

export const Ctx = createContext<ConsoleContext | null>(null);

export function useConsole(): ConsoleContext {
  const ctx = useContext(Ctx);
  if (!ctx) throw new Error("useConsole outside a signed-in page");
  return ctx;
}

/**
 * Runs API calls for a form or button: tracks `busy`, turns failures into a displayable error and
 * sends a 401 (expired or revoked session) back to sign-in.
 */
export function useAction(onUnauthorized: () => void) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<UiError | null>(null);
  const run = useCallback(
    async <T,>(fn: () => Promise<T>): Promise<T | undefined> => {
      setBusy(true);
      setError(null);
      try {
        return await fn();
      } catch (e) {
        if (e instanceof DnscoveApiError && e.status === 401) {
          onUnauthorized();
          return undefined;
        }
        setError(toUiError(e));
        return undefined;
      } finally {
        setBusy(false);
      }
    },
    [onUnauthorized],
  );
  return { busy, error, setError, run };
}

/** useAction bound to the signed-in console's sign-out. */
export function useApiAction() {
  const { signOut } = useConsole();
  const expire = useCallback(() => signOut(SESSION_EXPIRED), [signOut]);
  return useAction(expire);
}

export function ErrorBox({ error, fields = [] }: { error: UiError | null; fields?: FieldError[] }) {
  if (!error) return null;
  return (
    <div className="error" role="alert">
      <p>{error.message}</p>
      {fields.length > 0 && (
        <ul>
          {fields.map((f) => (
            <li key={`${f.path}:${f.message}`}>
              {f.path ? <code>{f.path}</code> : null}
              {f.path ? ": " : ""}
              {f.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Field errors shown under the field they belong to, linked via aria-describedby. */
export function FieldErrors({ id, errors }: { id: string; errors: FieldError[] }) {
  if (errors.length === 0) return null;
  return (
    <ul className="field-errors" id={id} role="alert">
      {errors.map((f) => (
        <li key={`${f.path}:${f.message}`}>
          {f.path}: {f.message}
        </li>
      ))}
    </ul>
  );
}

export function Link({
  to,
  children,
  className,
}: {
  to: string;
  children: React.ReactNode;
  className?: string;
}) {
  return (
    <a
      href={to}
      className={className}
      onClick={(event) => {
        if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
        event.preventDefault();
        navigate(to);
      }}
    >
      {children}
    </a>
  );
}

/** The "load more" of a cursor-paged list: its error, and the button while a next page exists. */
export function LoadMore({
  action,
  more,
  label,
  onLoad,
}: {
  action: { busy: boolean; error: UiError | null };
  more: boolean;
  label: string;
  onLoad: () => void;
}) {
  return (
    <>
      <ErrorBox error={action.error} fields={action.error?.fields} />
      {more && (
        <button type="button" className="secondary" onClick={onLoad} disabled={action.busy}>
          {action.busy ? "Loading…" : label}
        </button>
      )}
    </>
  );
}
