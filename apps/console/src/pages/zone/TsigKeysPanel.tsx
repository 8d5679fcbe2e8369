import type { CreatedTsigKey, TsigKey } from "@dnscove/sdk";
import { useCallback, useEffect, useState } from "react";
import { errorsFor, otherErrors } from "../../api.js";
import { ErrorBox, FieldErrors, useApiAction, useConsole } from "../../context.js";

type Scope = TsigKey["scope"];
const SCOPES: { value: Scope; meaning: string }[] = [
  {
    value: "acme-dns01",
    meaning: "ACME challenges only: _acme-challenge TXT records (certbot, lego, cert-manager).",
  },
  { value: "zone-admin", meaning: "Every record but the apex SOA and NS (external-dns, nsupdate)." },
];

/**
 * The zone's TSIG keys for RFC 2136 updates (docs/guides/rfc2136.md), like the tokens page: create
 * one (its secret shown once, with a copy button, and the `nsupdate -y` line), list, revoke.
 */
export function TsigKeysPanel({ zoneId }: { zoneId: string }) {
  const { client } = useConsole();
  const [keys, setKeys] = useState<TsigKey[] | null>(null);
  const [scope, setScope] = useState<Scope>("acme-dns01");
  const [name, setName] = useState("");
  const [created, setCreated] = useState<CreatedTsigKey | null>(null);
  const [copied, setCopied] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const list = useApiAction();
  const create = useApiAction();
  const revoke = useApiAction();

  const load = useCallback(async () => {
    await list.run(async () => {
      const { data } = await client.GET("/api/zones/{id}/tsig-keys", { params: { path: { id: zoneId } } });
      setKeys(data?.tsig_keys ?? []);
    });
  }, [client, list.run, zoneId]);

  useEffect(() => {
    void load();
  }, [load]);

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    setCreated(null);
    setCopied(false);
    setMessage(null);
    void create.run(async () => {
      const { data } = await client.POST("/api/zones/{id}/tsig-keys", {
        params: { path: { id: zoneId } },
        body: { scope, ...(name.trim() ? { name: name.trim() } : {}) },
      });
      setCreated(data ?? null);
      setName("");
      await load();
    });
  };

  const doRevoke = (key: TsigKey) => {
    setMessage(null);
    void revoke.run(async () => {
      await client.DELETE("/api/zones/{id}/tsig-keys/{keyId}", {
        params: { path: { id: zoneId, keyId: key.id } },
      });
      setMessage(`Key ${key.name} revoked.`);
      if (created?.id === key.id) setCreated(null);
      await load();
    });
  };

  const copy = async () => {
    if (!created) return;
    try {
      await navigator.clipboard.writeText(created.secret);
      setCopied(true);
    } catch {
      // No clipboard permission: select the text so the user can copy it by hand.
      (document.getElementById("tsig-secret") as HTMLInputElement | null)?.select();
    }
  };

  return (
    <div data-testid="tsig-keys">
      <form onSubmit={submit} className="rrset-form" noValidate aria-labelledby="tsig-create-heading">
        <h3 id="tsig-create-heading">Create a TSIG key</h3>
        <div className="grid">
          <div className="field">
            <label htmlFor="tsig-scope">What the key may change</label>
            <select
              id="tsig-scope"
              value={scope}
              onChange={(e) => setScope(e.target.value as Scope)}
              aria-describedby="tsig-scope-meaning"
            >
              {SCOPES.map((s) => (
                <option key={s.value} value={s.value}>
                  {s.value}
                </option>
              ))}
            </select>
            <p className="hint" id="tsig-scope-meaning">
              {SCOPES.find((s) => s.value === scope)?.meaning}
            </p>
            <FieldErrors id="tsig-scope-errors" errors={errorsFor(create.error, "scope")} />
          </div>
          <div className="field">
            <label htmlFor="tsig-name">Key label (one DNS label)</label>
            <input
              id="tsig-name"
              value={name}
              placeholder={scope}
              onChange={(e) => setName(e.target.value)}
            />
            <FieldErrors id="tsig-name-errors" errors={errorsFor(create.error, "name")} />
          </div>
        </div>
        <ErrorBox error={create.error} fields={otherErrors(create.error, ["scope", "name"])} />
        <button type="submit" disabled={create.busy}>
          {create.busy ? "Creating…" : "Create key"}
        </button>
      </form>

      {created && (
        <div className="secret" role="status" data-testid="created-tsig-key">
          <h3>Key created: copy its secret now</h3>
          <p className="warning">
            <strong>This secret is shown only once.</strong> If you lose it, revoke the key and create a new
            one.
          </p>
          <p>
            Key name <code>{created.name}</code>, algorithm <code>{created.algorithm}</code>.
          </p>
          <label htmlFor="tsig-secret">Secret (base64)</label>
          <div className="copy-row">
            <input
              id="tsig-secret"
              readOnly
              value={created.secret}
              onFocus={(e) => e.currentTarget.select()}
            />
            <button type="button" onClick={copy}>
              {copied ? "Copied" : "Copy secret"}
            </button>
          </div>
          <p className="hint">
            For <code>nsupdate -y</code>: <code>hmac-sha256:{created.name}:</code> followed by the secret.
          </p>
          <button type="button" className="secondary" onClick={() => setCreated(null)}>
            I have saved it
          </button>
        </div>
      )}
      {message && (
        <p className="notice" role="status">
          {message}
        </p>
      )}

      <ErrorBox error={list.error} fields={list.error?.fields} />
      <ErrorBox error={revoke.error} fields={revoke.error?.fields} />
      {keys && keys.length === 0 && <p>No TSIG keys yet.</p>}
      {keys && keys.length > 0 && (
        <div className="table-wrap">
          <table className="cards">
            <caption className="visually-hidden">The zone's TSIG keys</caption>
            <thead>
              <tr>
                <th scope="col">Key name</th>
                <th scope="col">Scope</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">State</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {keys.map((k) => (
                <tr key={k.id} data-tsig-key={k.id}>
                  <td data-label="Key name">
                    <code>{k.name}</code>
                  </td>
                  <td data-label="Scope">{k.scope}</td>
                  <td data-label="Created">{new Date(k.created_at).toLocaleString()}</td>
                  <td data-label="Last used">
                    {k.last_used_at ? new Date(k.last_used_at).toLocaleString() : "never"}
                  </td>
                  <td data-label="State">
                    {k.revoked ? (
                      <span className="badge bad">revoked</span>
                    ) : (
                      <span className="badge ok">active</span>
                    )}
                  </td>
                  <td data-label="Actions" className="actions">
                    {!k.revoked && (
                      <button
                        type="button"
                        className="danger"
                        onClick={() => doRevoke(k)}
                        disabled={revoke.busy}
                        aria-label={`Revoke key ${k.name}`}
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
    </div>
  );
}
