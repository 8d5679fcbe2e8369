import type { MintedToken, Token, Zone } from "@dnscove/sdk";
import { useCallback, useEffect, useState } from "react";
import { errorsFor, otherErrors } from "../api.js";
import { ErrorBox, FieldErrors, useApiAction, useConsole } from "../context.js";

type Scope = Token["scope"];
/** Short option labels (a long one is cut off in a narrow select); the meaning shows below it. */
const SCOPES: { value: Scope; meaning: string }[] = [
  { value: "tenant-admin", meaning: "Everything in your account." },
  { value: "zone-admin", meaning: "One zone: its records and checks." },
  { value: "acme-dns01", meaning: "One zone: ACME challenges only." },
];

export function TokensPage() {
  const { client } = useConsole();
  const [tokens, setTokens] = useState<Token[] | null>(null);
  const [zones, setZones] = useState<Zone[]>([]);
  const [scope, setScope] = useState<Scope>("zone-admin");
  const [zoneId, setZoneId] = useState("");
  const [name, setName] = useState("");
  const [days, setDays] = useState("90");
  const [minted, setMinted] = useState<MintedToken | null>(null);
  const [copied, setCopied] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const list = useApiAction();
  const mint = useApiAction();
  const revoke = useApiAction();

  const load = useCallback(async () => {
    await list.run(async () => {
      const [t, z] = await Promise.all([client.GET("/api/tokens"), client.GET("/api/zones")]);
      setTokens(t.data?.tokens ?? []);
      setZones(z.data?.zones ?? []);
    });
  }, [client, list.run]);

  useEffect(() => {
    void load();
  }, [load]);

  const zoneBound = scope !== "tenant-admin";
  const effectiveZone = zoneId || zones[0]?.id || "";
  const origin = (id: string | null) => (id ? (zones.find((z) => z.id === id)?.origin ?? id) : "—");

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    setMinted(null);
    setCopied(false);
    setMessage(null);
    void mint.run(async () => {
      const expires = days.trim() === "" ? undefined : Number(days);
      const { data } = await client.POST("/api/tokens", {
        body: {
          scope,
          ...(name.trim() ? { name: name.trim() } : {}),
          ...(zoneBound ? { zone_id: effectiveZone } : {}),
          ...(expires === undefined ? {} : { expires_in_days: expires }),
        },
      });
      setMinted(data ?? null);
      setName("");
      await load();
    });
  };

  const doRevoke = (token: Token) => {
    setMessage(null);
    void revoke.run(async () => {
      await client.DELETE("/api/tokens/{id}", { params: { path: { id: token.id } } });
      setMessage(`Token ${token.name || token.id} revoked.`);
      if (minted?.id === token.id) setMinted(null);
      await load();
    });
  };

  const copy = async () => {
    if (!minted) return;
    try {
      await navigator.clipboard.writeText(minted.token);
      setCopied(true);
    } catch {
      // No clipboard permission: select the text so the user can copy it by hand.
      const el = document.getElementById("minted-secret") as HTMLInputElement | null;
      el?.select();
    }
  };

  const fields = ["scope", "zone_id", "name", "expires_in_days"];
  return (
    <section>
      <h1>API tokens</h1>
      <form onSubmit={submit} className="rrset-form" noValidate aria-labelledby="mint-heading">
        <h2 id="mint-heading">Create a token</h2>
        <div className="grid">
          <div className="field">
            <label htmlFor="token-scope">Scope</label>
            <select
              id="token-scope"
              value={scope}
              onChange={(e) => setScope(e.target.value as Scope)}
              aria-describedby="token-scope-meaning"
            >
              {SCOPES.map((s) => (
                <option key={s.value} value={s.value}>
                  {s.value}
                </option>
              ))}
            </select>
            <p className="hint" id="token-scope-meaning">
              {SCOPES.find((s) => s.value === scope)?.meaning}
            </p>
            <FieldErrors id="token-scope-errors" errors={errorsFor(mint.error, "scope")} />
          </div>
          {zoneBound && (
            <div className="field">
              <label htmlFor="token-zone">Zone</label>
              <select id="token-zone" value={effectiveZone} onChange={(e) => setZoneId(e.target.value)}>
                {zones.length === 0 && <option value="">(no zones yet)</option>}
                {zones.map((z) => (
                  <option key={z.id} value={z.id}>
                    {z.origin}
                  </option>
                ))}
              </select>
              <FieldErrors id="token-zone-errors" errors={errorsFor(mint.error, "zone_id")} />
            </div>
          )}
          <div className="field">
            <label htmlFor="token-name">Name</label>
            <input
              id="token-name"
              value={name}
              placeholder="ci-deploy"
              onChange={(e) => setName(e.target.value)}
            />
            <FieldErrors id="token-name-errors" errors={errorsFor(mint.error, "name")} />
          </div>
          <div className="field">
            <label htmlFor="token-days">Expires in days (0 = never)</label>
            <input
              id="token-days"
              inputMode="numeric"
              value={days}
              onChange={(e) => setDays(e.target.value)}
            />
            <FieldErrors id="token-days-errors" errors={errorsFor(mint.error, "expires_in_days")} />
          </div>
        </div>
        <ErrorBox error={mint.error} fields={otherErrors(mint.error, fields)} />
        <button type="submit" disabled={mint.busy}>
          {mint.busy ? "Creating…" : "Create token"}
        </button>
      </form>

      {minted && (
        <div className="secret" role="status" data-testid="minted-token">
          <h2>Token created: copy it now</h2>
          <p className="warning">
            <strong>This secret is shown only once.</strong> DNSCove stores only a hash of it; if you lose it,
            revoke the token and create a new one.
          </p>
          <label htmlFor="minted-secret">Secret for {minted.name || minted.id}</label>
          <div className="copy-row">
            <input
              id="minted-secret"
              readOnly
              value={minted.token}
              onFocus={(e) => e.currentTarget.select()}
            />
            <button type="button" onClick={copy}>
              {copied ? "Copied" : "Copy"}
            </button>
          </div>
          <button type="button" className="secondary" onClick={() => setMinted(null)}>
            I have saved it
          </button>
        </div>
      )}
      {message && (
        <p className="notice" role="status">
          {message}
        </p>
      )}

      <h2>Tokens</h2>
      <ErrorBox error={list.error} fields={list.error?.fields} />
      <ErrorBox error={revoke.error} fields={revoke.error?.fields} />
      {tokens && tokens.length === 0 && <p>No tokens yet.</p>}
      {tokens && tokens.length > 0 && (
        <div className="table-wrap">
          <table className="cards">
            <caption className="visually-hidden">Your API tokens</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Id</th>
                <th scope="col">Scope</th>
                <th scope="col">Zone</th>
                <th scope="col">Expires</th>
                <th scope="col">State</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {tokens.map((t) => (
                <tr key={t.id} data-token={t.id}>
                  <td data-label="Name">{t.name || "—"}</td>
                  <td data-label="Id">
                    <code>{t.id}</code>
                  </td>
                  <td data-label="Scope">{t.scope}</td>
                  <td data-label="Zone">{origin(t.zone_id)}</td>
                  <td data-label="Expires">
                    {t.expires_at ? new Date(t.expires_at).toLocaleDateString() : "never"}
                  </td>
                  <td data-label="State">
                    {t.revoked ? (
                      <span className="badge bad">revoked</span>
                    ) : (
                      <span className="badge ok">active</span>
                    )}
                  </td>
                  <td data-label="Actions" className="actions">
                    {!t.revoked && (
                      <button
                        type="button"
                        className="danger"
                        onClick={() => doRevoke(t)}
                        disabled={revoke.busy}
                        aria-label={`Revoke token ${t.name || t.id}`}
                      >
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
