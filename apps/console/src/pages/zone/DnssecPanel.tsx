import type { components } from "@dnscove/sdk";
import { useCallback, useEffect, useRef, useState } from "react";
import { ErrorBox, useApiAction, useConsole } from "../../context.js";

type Dnssec = components["schemas"]["Dnssec"];
type Algorithm = NonNullable<components["schemas"]["SetDnssecRequest"]["algorithm"]>;

const ALGORITHMS: { value: Algorithm; label: string }[] = [
  { value: "ECDSAP256SHA256", label: "ECDSA P-256 (13, recommended)" },
  { value: "ED25519", label: "Ed25519 (15)" },
];

const STATUS_TEXT: Record<Dnssec["status"], string> = {
  unsigned: "Not signed",
  signed: "Signed",
  "zsk-rollover": "Signed (ZSK rollover in progress)",
  "ksk-rollover": "Signed (KSK rollover: waiting for the new DS at the parent)",
  "going-insecure": "Turning off: waiting for the parent to remove the DS",
};

type Pending = "enable" | "disable" | "rollover";

/** What each action will do, said before it is done: the registrar step is the user's to take. */
const CONFIRM_TEXT: Record<Pending, string> = {
  enable:
    "The zone will be signed at once. Validation only starts once your registrar holds the DS record shown " +
    "here: add it there after signing (until then resolvers treat the zone as unsigned).",
  disable:
    "Remove the DS record at your registrar first (or at the same time). The zone stays signed, and " +
    "publishes delete CDS/CDNSKEY records (RFC 8078), until the parent no longer has the DS; only then " +
    "are the signatures removed, so validating resolvers never see a signed delegation to an unsigned zone.",
  rollover:
    "A new key-signing key will be added beside the current one. Replace the DS record at your registrar " +
    "with the new one shown here; the old key retires once the parent's DS names the new key.",
};

const CONFIRM_BUTTON: Record<Pending, string> = {
  enable: "Yes, enable DNSSEC",
  disable: "Yes, disable DNSSEC",
  rollover: "Yes, start KSK rollover",
};

/**
 * The zone's DNSSEC: status, the enable/disable toggle (each confirmed with the registrar step it
 * implies), the DS records to give the registrar with copy buttons, the keys, and a KSK rollover.
 */
export function DnssecPanel({ zoneId, onChanged }: { zoneId: string; onChanged: () => Promise<void> }) {
  const { client } = useConsole();
  const [dnssec, setDnssec] = useState<Dnssec | null>(null);
  const [algorithm, setAlgorithm] = useState<Algorithm>("ECDSAP256SHA256");
  const [pending, setPending] = useState<Pending | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const loader = useApiAction();
  const action = useApiAction();
  const path = { params: { path: { id: zoneId } } };

  const load = useCallback(
    () =>
      void loader.run(async () => {
        const { data } = await client.GET("/api/zones/{id}/dnssec", { params: { path: { id: zoneId } } });
        setDnssec(data ?? null);
      }),
    [client, zoneId, loader.run],
  );
  useEffect(() => load(), [load]);

  const confirm = (what: Pending) =>
    void action.run(async () => {
      const answer =
        what === "rollover"
          ? await client.POST("/api/zones/{id}/dnssec/ksk-rollover", path)
          : await client.PUT("/api/zones/{id}/dnssec", {
              ...path,
              body: what === "enable" ? { enabled: true, algorithm } : { enabled: false },
            });
      setPending(null);
      if (answer.data) setDnssec(answer.data);
      setNotice(
        what === "enable"
          ? "DNSSEC enabled. Give the DS record below to your registrar."
          : what === "disable"
            ? "DNSSEC is being turned off. Remove the DS record at your registrar."
            : "KSK rollover started. Replace the DS record at your registrar with the one below.",
      );
      // Signing changes took a serial: show the zone's new serials.
      await onChanged();
    });

  if (!dnssec) {
    return (
      <>
        <ErrorBox error={loader.error} />
        {!loader.error && <p role="status">Loading DNSSEC…</p>}
      </>
    );
  }
  const rolling = dnssec.status === "ksk-rollover";
  return (
    <div data-testid="dnssec">
      <p>
        Status:{" "}
        <span
          className={`badge ${dnssec.enabled ? "ok" : dnssec.status === "going-insecure" ? "warn" : ""}`}
          data-testid="dnssec-status"
        >
          {STATUS_TEXT[dnssec.status]}
        </span>
        {dnssec.algorithm && <> · algorithm {dnssec.algorithm}</>}
      </p>
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}

      {!dnssec.enabled && (
        <p>
          <label htmlFor="dnssec-algorithm">Signing algorithm</label>{" "}
          <select
            id="dnssec-algorithm"
            value={dnssec.algorithm ?? algorithm}
            disabled={dnssec.algorithm !== null}
            onChange={(e) => setAlgorithm(e.target.value as Algorithm)}
          >
            {ALGORITHMS.map((a) => (
              <option key={a.value} value={a.value}>
                {a.label}
              </option>
            ))}
          </select>
        </p>
      )}
      {pending === null && (
        <p>
          {dnssec.enabled ? (
            <>
              <button type="button" className="danger" onClick={() => setPending("disable")}>
                Disable DNSSEC
              </button>{" "}
              <button
                type="button"
                className="secondary"
                onClick={() => setPending("rollover")}
                disabled={rolling}
                title={rolling ? "A KSK rollover is already under way" : undefined}
              >
                Start KSK rollover
              </button>
            </>
          ) : (
            <button type="button" onClick={() => setPending("enable")}>
              Enable DNSSEC
            </button>
          )}
        </p>
      )}
      {pending !== null && (
        <div className="notice" role="alertdialog" aria-label={CONFIRM_BUTTON[pending].replace("Yes, ", "")}>
          <p>{CONFIRM_TEXT[pending]}</p>
          <p>
            <button
              type="button"
              className={pending === "disable" ? "danger" : undefined}
              onClick={() => confirm(pending)}
              disabled={action.busy}
            >
              {CONFIRM_BUTTON[pending]}
            </button>{" "}
            <button
              type="button"
              className="secondary"
              onClick={() => setPending(null)}
              disabled={action.busy}
            >
              Keep as it is
            </button>
          </p>
        </div>
      )}
      <ErrorBox error={action.error} fields={action.error?.fields} />

      <h3>DS records for your registrar</h3>
      {dnssec.ds.length === 0 ? (
        <p data-testid="dnssec-no-ds">
          {dnssec.status === "going-insecure"
            ? "None: the parent should no longer have a DS record for this zone."
            : "None while the zone is not signed."}
        </p>
      ) : (
        <ul className="ds-records" data-testid="dnssec-ds">
          {dnssec.ds.map((line, i) => (
            <DsRecord key={line} line={line} index={i + 1} />
          ))}
        </ul>
      )}

      {dnssec.keys.length > 0 && (
        <>
          <h3>Keys</h3>
          <div className="table-wrap">
            <table data-testid="dnssec-keys">
              <thead>
                <tr>
                  <th>Key tag</th>
                  <th>Role</th>
                  <th>Algorithm</th>
                  <th>State</th>
                </tr>
              </thead>
              <tbody>
                {dnssec.keys.map((k) => (
                  <tr key={k.id} data-key-tag={k.key_tag}>
                    <td>{k.key_tag}</td>
                    <td>{k.role.toUpperCase()}</td>
                    <td>{k.algorithm}</td>
                    <td>{k.state}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </div>
  );
}

/** One DS line with a copy button; where the clipboard is refused, the line is selected instead. */
function DsRecord({ line, index }: { line: string; index: number }) {
  const ref = useRef<HTMLElement>(null);
  const [copied, setCopied] = useState<string | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(line);
      setCopied("Copied.");
    } catch {
      const element = ref.current;
      const selection = window.getSelection();
      if (element && selection) {
        const range = document.createRange();
        range.selectNodeContents(element);
        selection.removeAllRanges();
        selection.addRange(range);
      }
      setCopied("Selected: press Ctrl+C (⌘C) to copy.");
    }
  };
  return (
    <li>
      <code ref={ref}>{line}</code>{" "}
      <button
        type="button"
        className="secondary"
        onClick={() => void copy()}
        aria-label={`Copy DS record ${index}`}
      >
        Copy
      </button>
      {copied && <span role="status"> {copied}</span>}
    </li>
  );
}
