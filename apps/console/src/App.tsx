import { useCallback, useMemo, useState } from "react";
import { apiClient, clearSession, loadSession, type Session, saveSession, setFlash } from "./api.js";
import { Ctx, Link } from "./context.js";
import { ImportPage } from "./pages/ImportPage.js";
import { SignInPage } from "./pages/SignInPage.js";
import { TokensPage } from "./pages/TokensPage.js";
import { ZonePage } from "./pages/ZonePage.js";
import { ZonesPage } from "./pages/ZonesPage.js";
import { navigate, usePath } from "./router.js";

export function App() {
  const path = usePath();
  const [session, setSession] = useState<Session | null>(() => loadSession());

  const signIn = useCallback((next: Session) => {
    saveSession(next);
    setSession(next);
    navigate("/zones", { replace: true });
  }, []);

  const signOut = useCallback((message?: string) => {
    const ending = loadSession();
    const leave = () => {
      clearSession();
      if (message) setFlash(message);
      setSession(null);
      navigate("/sign-in", { replace: true });
    };
    // Ending the session on the server first means a copy of the token (a log, a shared screen) is
    // useless from now on, not for the rest of its 12 hours. An expired session has nothing to end;
    // a failure to reach the server still signs this browser out.
    if (!ending || message) return leave();
    apiClient(ending.token).POST("/api/auth/sign-out").then(leave, leave);
  }, []);

  const ctx = useMemo(
    () => (session ? { client: apiClient(session.token), signOut } : null),
    [session, signOut],
  );

  if (path === "/sign-in" || !ctx) {
    if (path !== "/sign-in") {
      // Not signed in (or the session ran out): the sign-in page, keeping the URL honest.
      queueMicrotask(() => navigate("/sign-in", { replace: true }));
    }
    return <SignInPage onSignedIn={signIn} signedIn={ctx !== null} />;
  }

  let page: React.ReactNode;
  const zoneMatch = /^\/zones\/([^/]+)$/.exec(path);
  if (zoneMatch?.[1]) page = <ZonePage zoneId={decodeURIComponent(zoneMatch[1])} />;
  else if (path === "/tokens") page = <TokensPage />;
  else if (path === "/import") page = <ImportPage />;
  else if (path === "/" || path === "/zones") page = <ZonesPage />;
  else
    page = (
      <section>
        <h1>Not found</h1>
        <p>
          There is no page at <code>{path}</code>. <Link to="/zones">Go to zones</Link>.
        </p>
      </section>
    );

  const nav = [
    ["/zones", "Zones"],
    ["/tokens", "Tokens"],
    ["/import", "Import from Route53"],
  ] as const;
  return (
    <Ctx.Provider value={ctx}>
      <header className="top">
        <span className="brand">DNSCove</span>
        <nav aria-label="Main">
          {nav.map(([to, label]) => (
            <Link key={to} to={to} className={path.startsWith(to) ? "active" : undefined}>
              {label}
            </Link>
          ))}
        </nav>
        <button type="button" className="secondary" onClick={() => signOut()}>
          Sign out
        </button>
      </header>
      <main>{page}</main>
    </Ctx.Provider>
  );
}
