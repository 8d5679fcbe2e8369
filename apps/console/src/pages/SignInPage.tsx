import { useCallback, useEffect, useRef, useState } from "react";
import { apiClient, errorsFor, otherErrors } from "../api.js";
import { ErrorBox, FieldErrors, useAction } from "../context.js";
import { navigate } from "../router.js";
import { rememberSignInEmail, type Session, takeFlash } from "../session/storage.js";

/** Tokens already being exchanged (a magic link is single use: never send it twice). */
const exchanging = new Set<string>();

function tokenFromHash(): string | null {
  const params = new URLSearchParams(window.location.hash.replace(/^#/, ""));
  return params.get("token");
}

/**
 * The development link on this console's origin. The API builds it from DNSCOVE_PUBLIC_URL (default
 * http://localhost:…), so browsing 127.0.0.1 would otherwise land on another origin, whose
 * localStorage holds no session.
 */
function sameOriginLink(devLink: string): string {
  try {
    const url = new URL(devLink);
    return url.pathname === "/sign-in" ? `${window.location.origin}${url.pathname}${url.hash}` : devLink;
  } catch {
    return devLink;
  }
}

export function SignInPage({
  onSignedIn,
  signedIn,
}: {
  onSignedIn: (session: Session) => void;
  signedIn: boolean;
}) {
  const [flash] = useState(() => takeFlash());
  const [email, setEmail] = useState("");
  const [sent, setSent] = useState<{ devLink?: string } | null>(null);
  const [exchangingNow, setExchangingNow] = useState(() => tokenFromHash() !== null);
  const noop = useCallback(() => undefined, []);
  const { busy, error, run } = useAction(noop);
  const exchange = useAction(noop);
  const started = useRef<string | null>(null);
  // Following a sign-in link from this page changes only the fragment: no reload, so listen.
  const [hashTick, setHashTick] = useState(0);
  useEffect(() => {
    const onHash = () => setHashTick((n) => n + 1);
    window.addEventListener("hashchange", onHash);
    return () => window.removeEventListener("hashchange", onHash);
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: hashTick re-reads the fragment after a hashchange
  useEffect(() => {
    const token = tokenFromHash();
    if (!token) {
      if (signedIn) navigate("/zones", { replace: true });
      return;
    }
    if (started.current === token || exchanging.has(token)) return;
    started.current = token;
    setExchangingNow(true);
    exchanging.add(token);
    // Drop the token from the address bar (and history) before anything else.
    window.history.replaceState(null, "", "/sign-in");
    void exchange
      .run(async () => {
        const { data } = await apiClient().POST("/api/auth/exchange", { body: { token } });
        if (!data) throw new Error("empty answer from the sign-in exchange");
        onSignedIn({ token: data.token, expires_at: data.expires_at });
      })
      .finally(() => setExchangingNow(false));
  }, [exchange.run, onSignedIn, signedIn, hashTick]);

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    setSent(null);
    void run(async () => {
      const { data } = await apiClient().POST("/api/auth/magic-link", { body: { email } });
      rememberSignInEmail(email);
      setSent(data?.dev_link ? { devLink: sameOriginLink(data.dev_link) } : {});
    });
  };

  return (
    <main className="narrow">
      <h1>Sign in to DNSCove</h1>
      {flash && (
        <p className="notice" role="status">
          {flash}
        </p>
      )}
      {exchangingNow && <p role="status">Signing you in…</p>}
      <ErrorBox error={exchange.error} fields={exchange.error?.fields} />
      <form onSubmit={submit} noValidate>
        <label htmlFor="email">Email address</label>
        <input
          id="email"
          name="email"
          type="email"
          autoComplete="email"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          aria-describedby={errorsFor(error, "email").length ? "email-errors" : undefined}
        />
        <FieldErrors id="email-errors" errors={errorsFor(error, "email")} />
        <button type="submit" disabled={busy}>
          {busy ? "Sending…" : "Email me a sign-in link"}
        </button>
      </form>
      <ErrorBox error={error} fields={otherErrors(error, ["email"])} />
      {sent && (
        <div className="notice" role="status">
          <p>If that address can sign in, a sign-in link is on its way. It works once and expires soon.</p>
          {sent.devLink && (
            <p>
              <a href={sent.devLink}>Open sign-in link (development)</a>
            </p>
          )}
        </div>
      )}
    </main>
  );
}
