import type { Zone } from "@dnscove/sdk";
import { useState } from "react";
import { ErrorBox, useApiAction, useConsole } from "../../context.js";
import type { Delegation, Parity } from "./types.js";

/** The nameservers to delegate to, and the delegation and parity checks. */
export function DelegationPanel({ zone, onChecked }: { zone: Zone; onChecked: () => Promise<void> }) {
  const { client } = useConsole();
  const [delegation, setDelegation] = useState<Delegation | null>(null);
  const [parity, setParity] = useState<Parity | null>(null);
  const checks = useApiAction();
  const id = { params: { path: { id: zone.id } } };

  const checkDelegation = () =>
    void checks.run(async () => {
      const { data } = await client.POST("/api/zones/{id}/delegation", id);
      setDelegation(data ?? null);
      // A passing check activates the zone: show its new status.
      await onChecked();
    });
  const checkParity = () =>
    void checks.run(async () => {
      const { data } = await client.POST("/api/zones/{id}/parity", id);
      setParity(data ?? null);
    });

  return (
    <>
      <p>Delegate {zone.origin} to these nameservers at your registrar:</p>
      <ul data-testid="nameservers">
        {zone.ns.map((ns) => (
          <li key={ns}>
            <code>{ns}</code>
          </li>
        ))}
      </ul>
      <p>
        <button type="button" onClick={checkDelegation} disabled={checks.busy}>
          Check delegation
        </button>{" "}
        <button type="button" onClick={checkParity} disabled={checks.busy}>
          Check parity
        </button>
      </p>
      <ErrorBox error={checks.error} fields={checks.error?.fields} />
      {delegation && <DelegationReport result={delegation} />}
      {parity && <ParityReport result={parity} />}
    </>
  );
}

function DelegationReport({ result }: { result: Delegation }) {
  const { delegation } = result;
  return (
    <div className="result" data-testid="delegation-result" role="status">
      <h3>Delegation check</h3>
      <p>
        Delegated: <strong>{delegation.delegated ? "yes" : "no"}</strong> (status {result.status})
      </p>
      <p>Found: {delegation.found.join(", ") || "none"}</p>
      <p>Missing: {delegation.missing.join(", ") || "none"}</p>
      {delegation.extra.length > 0 && <p>Extra: {delegation.extra.join(", ")}</p>}
      {delegation.error && <p className="error-text">{delegation.error}</p>}
    </div>
  );
}

function ParityReport({ result }: { result: Parity }) {
  const { parity } = result;
  return (
    <div className="result" data-testid="parity-result" role="status">
      <h3>Parity check</h3>
      <p>
        Matches: <strong>{parity.matches ? "yes" : "no"}</strong> ({parity.checked} checked,{" "}
        {parity.mismatched} mismatched{parity.truncated ? ", truncated" : ""})
      </p>
      <p>
        Safe to delete at the old provider: <strong>{result.safe_to_delete ? "yes" : "no"}</strong>
      </p>
      {parity.error && <p className="error-text">{parity.error}</p>}
      {parity.mismatches.length > 0 && (
        <ul>
          {parity.mismatches.map((m) => (
            <li key={`${m.name} ${m.type}`}>
              {m.name} {m.type}: ours [{m.ours.join(", ")}], theirs [{m.theirs.join(", ")}]
            </li>
          ))}
        </ul>
      )}
      {parity.not_compared.length > 0 && (
        <ul>
          {parity.not_compared.map((m) => (
            <li key={`${m.name} ${m.type}`}>
              Not compared: {m.name} {m.type}: {m.reason}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
