import { useMemo } from "react";
import { apiClient } from "./api.js";
import { Ctx, Link } from "./context.js";
import { AuditPage } from "./pages/AuditPage.js";
import { ImportPage } from "./pages/ImportPage.js";
import { SignInPage } from "./pages/SignInPage.js";
import { TokensPage } from "./pages/TokensPage.js";
import { ZonesPage } from "./pages/ZonesPage.js";
import { HistoryPage } from "./pages/zone/HistoryPage.js";
import { ZonePage } from "./pages/zone/ZonePage.js";
import { navigate, usePath } from "./router.js";
import { useSharedSession } from "./session/use-shared-session.js";

export function App() {
  const path = usePath();
  const { session, signIn, signOut } = useSharedSession();

  const ctx = useMemo(
    () =>
      session
        ? { client: apiClient(session.token), signOut, ...(session.email ? { email: session.email } : {}) }
        : null,
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
  const historyMatch = /^\/zones\/([^/]+)\/history$/.exec(path);
  if (zoneMatch?.[1]) page = <ZonePage zoneId={decodeURIComponent(zoneMatch[1])} />;
  else if (historyMatch?.[1]) page = <HistoryPage zoneId={decodeURIComponent(historyMatch[1])} />;
  else if (path === "/audit") page = <AuditPage />;
  else if (path === "/tokens") page = <TokensPage />;
  else if (path === "/import") page = <ImportPage />;
  else if (path === "/import/zone-file") page = <ImportPage key="zone-file" source="zone-file" />;
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
    ["/import/zone-file", "Import a zone file"],
    ["/audit", "Audit log"],
  ] as const;
  return (
    <Ctx.Provider value={ctx}>
      <header className="top">
        <span className="brand">DNSCove</span>
        <nav aria-label="Main">
          {nav.map(([to, label]) => (
            <Link key={to} to={to} className={activeNav(path, nav) === to ? "active" : undefined}>
              {label}
            </Link>
          ))}
        </nav>
        <span className="who" data-testid="signed-in-as">
          {ctx.email ? (
            <>
              Signed in as <strong>{ctx.email}</strong>
            </>
          ) : (
            "Signed in"
          )}
        </span>
        <button type="button" className="secondary" onClick={() => signOut()}>
          Sign out
        </button>
      </header>
      <main>{page}</main>
    </Ctx.Provider>
  );
}

/** The nav entry the page is under: the longest one the path starts with (`/import/zone-file` is not `/import`). */
function activeNav(path: string, nav: readonly (readonly [string, string])[]): string | undefined {
  const under = nav.map(([to]) => to).filter((to) => path === to || path.startsWith(`${to}/`));
  return under.sort((a, b) => b.length - a.length)[0];
}
