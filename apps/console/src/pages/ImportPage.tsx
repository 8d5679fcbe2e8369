import type { components } from "@dnscove/sdk";
import { useState } from "react";
import { errorsFor, otherErrors } from "../api.js";
import { ErrorBox, FieldErrors, Link, useApiAction, useConsole } from "../context.js";

type ImportResult = components["schemas"]["Route53ImportResult"];

export function ImportPage() {
  const { client } = useConsole();
  const [json, setJson] = useState("");
  const [origin, setOrigin] = useState("");
  const [result, setResult] = useState<ImportResult | null>(null);
  const action = useApiAction();

  const onFile = async (event: React.ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (file) setJson(await file.text());
  };

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    setResult(null);
    void action.run(async () => {
      const { data } = await client.POST("/api/import/route53", {
        body: { json, ...(origin.trim() ? { origin: origin.trim() } : {}) },
      });
      setResult(data ?? null);
    });
  };

  return (
    <section>
      <h1>Import from Route53</h1>
      <p>
        Paste the output of <code>aws route53 list-resource-record-sets --hosted-zone-id …</code> or upload it
        as a file. A new zone is created with the records DNSCove can serve.
      </p>
      <form onSubmit={submit} className="rrset-form" noValidate>
        <div className="field">
          <label htmlFor="import-file">Upload an export file</label>
          <input id="import-file" type="file" accept=".json,application/json" onChange={onFile} />
        </div>
        <div className="field">
          <label htmlFor="import-json">Route53 JSON</label>
          <textarea
            id="import-json"
            rows={12}
            value={json}
            onChange={(e) => setJson(e.target.value)}
            aria-describedby={errorsFor(action.error, "json").length ? "import-json-errors" : undefined}
          />
          <FieldErrors id="import-json-errors" errors={errorsFor(action.error, "json")} />
        </div>
        <div className="field">
          <label htmlFor="import-origin">Origin (only if it cannot be derived from the export)</label>
          <input id="import-origin" value={origin} onChange={(e) => setOrigin(e.target.value)} />
          <FieldErrors id="import-origin-errors" errors={errorsFor(action.error, "origin")} />
        </div>
        <ErrorBox error={action.error} fields={otherErrors(action.error, ["json", "origin"])} />
        <button type="submit" disabled={action.busy || json.trim() === ""}>
          {action.busy ? "Importing…" : "Import"}
        </button>
      </form>

      {result && (
        <div className="result" role="status" data-testid="import-result">
          <h2>
            Imported {result.imported} record set{result.imported === 1 ? "" : "s"} into{" "}
            <Link to={`/zones/${result.zone.id}`}>{result.zone.origin}</Link>
          </h2>
          <p>
            {result.published
              ? "Published to the edge."
              : `Not published yet${result.publish_error ? `: ${result.publish_error}` : "."}`}
          </p>
          <p>Delegate to: {result.ns.join(", ")}</p>
          <h3>Skipped ({result.skipped.length})</h3>
          {result.skipped.length === 0 ? (
            <p>Nothing was skipped.</p>
          ) : (
            <ul data-testid="skipped">
              {result.skipped.map((s) => (
                <li key={`${s.name} ${s.type} ${s.reason}`}>
                  <code>
                    {s.name} {s.type}
                  </code>
                  : {s.reason}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}
