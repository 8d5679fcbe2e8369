import type { components } from "@dnscove/sdk";
import { useState } from "react";
import { errorsFor, otherErrors } from "../api.js";
import { DiffView } from "../changes/DiffView.js";
import { plural } from "../changes/diff-lines.js";
import { ErrorBox, FieldErrors, Link, useApiAction, useConsole } from "../context.js";

type ImportResult = components["schemas"]["Route53ImportResult"];

/** Where the zone comes from: the page, the API operation and its body field differ, nothing else. */
const SOURCES = {
  route53: {
    title: "Import from Route53",
    field: "json",
    label: "Route53 JSON",
    accept: ".json,application/json",
    uploadLabel: "Upload an export file",
    originLabel: "Origin (only if it cannot be derived from the export)",
  },
  "zone-file": {
    title: "Import a zone file",
    field: "zone_file",
    label: "Zone file (RFC 1035, as BIND and Knot write it)",
    accept: ".zone,.db,.txt,text/dns,text/plain",
    uploadLabel: "Upload a zone file",
    originLabel: "Origin (the zone's name, e.g. example.com)",
  },
} as const;

export function ImportPage({ source = "route53" }: { source?: keyof typeof SOURCES }) {
  const { client } = useConsole();
  const kind = SOURCES[source];
  const [json, setJson] = useState("");
  const [origin, setOrigin] = useState("");
  const [result, setResult] = useState<ImportResult | null>(null);
  /** The dry run's answer for exactly the current JSON and origin; importing needs one (issue 15). */
  const [preview, setPreview] = useState<ImportResult | null>(null);
  const action = useApiAction();

  // A preview holds only for the input it was made from.
  const edit = (set: (value: string) => void) => (value: string) => {
    set(value);
    setPreview(null);
  };

  const onFile = async (event: React.ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (file) edit(setJson)(await file.text());
  };

  const send = (dryRun: boolean) =>
    source === "zone-file"
      ? client.POST("/api/import/zone-file", {
          body: { zone_file: json, origin: origin.trim(), dry_run: dryRun },
        })
      : client.POST("/api/import/route53", {
          body: { json, ...(origin.trim() ? { origin: origin.trim() } : {}), dry_run: dryRun },
        });

  /** First step: a dry run, which writes nothing and answers what the import would create. */
  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    setResult(null);
    setPreview(null);
    void action.run(async () => {
      const { data } = await send(true);
      setPreview(data ?? null);
    });
  };

  /** Second, explicit step: the import itself, of the input that was previewed. */
  const confirm = () =>
    void action.run(async () => {
      const { data } = await send(false);
      setPreview(null);
      setResult(data ?? null);
    });

  return (
    <section>
      <h1>{kind.title}</h1>
      {source === "zone-file" ? (
        <p>
          Paste a zone file (for example the output of{" "}
          <code>named-compilezone -o - example.com db.example.com</code>) or upload it. <code>$INCLUDE</code>{" "}
          is not read. Preview shows what would be imported and skipped, writing nothing; a new zone is
          created with the records DNSCove can serve only when you confirm.
        </p>
      ) : (
        <p>
          Paste the output of <code>aws route53 list-resource-record-sets --hosted-zone-id …</code> or upload
          it as a file. Preview shows what would be imported and skipped, writing nothing; a new zone is
          created with the records DNSCove can serve only when you confirm.
        </p>
      )}
      <form onSubmit={submit} className="rrset-form" noValidate>
        <div className="field">
          <label htmlFor="import-file">{kind.uploadLabel}</label>
          <input id="import-file" type="file" accept={kind.accept} onChange={onFile} />
        </div>
        <div className="field">
          <label htmlFor="import-json">{kind.label}</label>
          <textarea
            id="import-json"
            rows={12}
            value={json}
            onChange={(e) => edit(setJson)(e.target.value)}
            aria-describedby={errorsFor(action.error, kind.field).length ? "import-json-errors" : undefined}
          />
          <FieldErrors id="import-json-errors" errors={errorsFor(action.error, kind.field)} />
        </div>
        <div className="field">
          <label htmlFor="import-origin">{kind.originLabel}</label>
          <input id="import-origin" value={origin} onChange={(e) => edit(setOrigin)(e.target.value)} />
          <FieldErrors id="import-origin-errors" errors={errorsFor(action.error, "origin")} />
        </div>
        <ErrorBox error={action.error} fields={otherErrors(action.error, [kind.field, "origin"])} />
        <button
          type="submit"
          className={preview ? "secondary" : undefined}
          disabled={action.busy || json.trim() === "" || (source === "zone-file" && origin.trim() === "")}
        >
          {action.busy && !preview ? "Previewing…" : "Preview import"}
        </button>
      </form>

      {preview && (
        <div className="result" data-testid="import-preview">
          <h2>
            Preview: {plural(preview.imported, "record set")} would be imported into {preview.zone.origin}
          </h2>
          <p role="status">Nothing has been written yet. The zone is created only when you import it.</p>
          <Skipped skipped={preview.skipped} testId="preview-skipped" />
          <h3>Record sets it would create</h3>
          {preview.diff && (
            <DiffView
              diff={preview.diff}
              label={`Record sets the import would create in ${preview.zone.origin}`}
            />
          )}
          <button type="button" onClick={confirm} disabled={action.busy}>
            {action.busy
              ? "Importing…"
              : `Import ${plural(preview.imported, "record set")} into ${preview.zone.origin}`}
          </button>{" "}
          <button type="button" className="secondary" onClick={() => setPreview(null)} disabled={action.busy}>
            Discard preview
          </button>
        </div>
      )}

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
          <Skipped skipped={result.skipped} testId="skipped" />
        </div>
      )}
    </section>
  );
}

function Skipped({ skipped, testId }: { skipped: ImportResult["skipped"]; testId: string }) {
  return (
    <>
      <h3>Skipped ({skipped.length})</h3>
      {skipped.length === 0 ? (
        <p>Nothing was skipped.</p>
      ) : (
        <ul data-testid={testId}>
          {skipped.map((s) => (
            <li key={`${s.name} ${s.type} ${s.reason}`}>
              <code>
                {s.name} {s.type}
              </code>
              : {s.reason}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
