import { DEFAULT_TTL } from "@dnscove/dns/limits";
import type { RRset } from "@dnscove/sdk";
import { useEffect, useRef, useState } from "react";
import { errorsFor, otherErrors, type UiError } from "../../api.js";
import { ErrorBox, FieldErrors, useApiAction, useConsole } from "../../context.js";
import { EDITOR_TYPES } from "./record-types.js";
import { rrsetKey, type StoredWrite } from "./types.js";

interface Draft {
  name: string;
  type: string;
  ttl: string;
  records: string;
}

const emptyDraft: Draft = { name: "", type: "A", ttl: String(DEFAULT_TTL), records: "" };
const FIELDS = ["name", "type", "ttl", "records"];

function draftOf(r: RRset | null): Draft {
  return r ? { name: r.name, type: r.type, ttl: String(r.ttl), records: r.records.join("\n") } : emptyDraft;
}

/**
 * Adds an rrset (CREATE: the API refuses one that exists, so nothing is overwritten by accident) or
 * edits the one picked in the table (UPSERT). Mount it with a key per rrset so a new pick starts fresh.
 */
export function RecordEditor({
  zoneId,
  origin,
  editing,
  onSaved,
  onCancel,
}: {
  zoneId: string;
  origin: string;
  editing: RRset | null;
  onSaved: (message: string, write: StoredWrite | undefined) => Promise<void>;
  onCancel: () => void;
}) {
  const { client } = useConsole();
  const [draft, setDraft] = useState<Draft>(() => draftOf(editing));
  const save = useApiAction();
  const nameInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (editing) nameInput.current?.focus();
  }, [editing]);

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    const ttl = draft.ttl.trim() === "" ? DEFAULT_TTL : Number(draft.ttl);
    const records = draft.records
      .split("\n")
      .map((line) => line.trim())
      .filter((line) => line !== "");
    // Renaming or retyping in the editor makes another rrset: that must not overwrite one either.
    const same = editing && draft.name === editing.name && draft.type === editing.type;
    const action = same ? "UPSERT" : "CREATE";
    void save.run(async () => {
      const { data } = await client.POST("/api/zones/{id}/rrsets", {
        params: { path: { id: zoneId } },
        body: { action, name: draft.name, type: draft.type, ttl, records },
      });
      setDraft(emptyDraft);
      const stored = data?.rrsets[0];
      await onSaved(
        `Saved ${stored?.name ?? draft.name} ${draft.type} (serial ${data?.serial ?? "?"}, pending publish).`,
        data && stored ? { serial: data.serial, stored } : undefined,
      );
    });
  };

  const error = withExistsOnName(save.error, draft);
  const fieldErr = (f: string) => errorsFor(error, f);
  const field = (name: keyof Draft) => ({
    value: draft[name],
    "aria-describedby": fieldErr(name).length ? `rrset-${name}-errors` : undefined,
    "aria-invalid": fieldErr(name).length > 0 || undefined,
  });

  return (
    <form
      onSubmit={submit}
      className="rrset-form"
      noValidate
      aria-label={editing ? "Edit record set" : "Add record set"}
    >
      <h3>{editing ? `Edit ${rrsetKey(editing)}` : "Add a record set"}</h3>
      <div className="grid">
        <div className="field">
          <label htmlFor="rrset-name">Name</label>
          <input
            id="rrset-name"
            ref={nameInput}
            {...field("name")}
            placeholder="www, or @ for the apex"
            onChange={(e) => setDraft({ ...draft, name: e.target.value })}
          />
          <p className="hint">Relative to {origin}, or a full name ending in a dot.</p>
          <FieldErrors id="rrset-name-errors" errors={fieldErr("name")} />
        </div>
        <div className="field">
          <label htmlFor="rrset-type">Type</label>
          <select
            id="rrset-type"
            value={draft.type}
            onChange={(e) => setDraft({ ...draft, type: e.target.value })}
          >
            {(EDITOR_TYPES.includes(draft.type) ? EDITOR_TYPES : [draft.type, ...EDITOR_TYPES]).map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
          <FieldErrors id="rrset-type-errors" errors={fieldErr("type")} />
        </div>
        <div className="field">
          <label htmlFor="rrset-ttl">TTL (seconds)</label>
          <input
            id="rrset-ttl"
            inputMode="numeric"
            {...field("ttl")}
            onChange={(e) => setDraft({ ...draft, ttl: e.target.value })}
          />
          <FieldErrors id="rrset-ttl-errors" errors={fieldErr("ttl")} />
        </div>
      </div>
      <div className="field">
        <label htmlFor="rrset-records">Records (one per line)</label>
        <textarea
          id="rrset-records"
          rows={4}
          {...field("records")}
          onChange={(e) => setDraft({ ...draft, records: e.target.value })}
        />
        <FieldErrors id="rrset-records-errors" errors={fieldErr("records")} />
      </div>
      {/* RRSET_EXISTS says all it has to under Name. */}
      {error?.code !== "RRSET_EXISTS" && <ErrorBox error={error} fields={otherErrors(error, FIELDS)} />}
      <button type="submit" disabled={save.busy}>
        {save.busy ? "Saving…" : editing ? "Save changes" : "Add record set"}
      </button>{" "}
      {editing && (
        <button type="button" className="secondary" onClick={onCancel}>
          Cancel edit
        </button>
      )}
    </form>
  );
}

/**
 * The API's RRSET_EXISTS answer (409 to a CREATE) is about the name and type: it shows under Name
 * with what to do instead (the API's own hint names UPSERT, which the console calls Edit).
 */
function withExistsOnName(error: UiError | null, draft: Draft): UiError | null {
  if (error?.code !== "RRSET_EXISTS") return error;
  const hint = "use Edit in the table below to change it";
  const fields =
    error.fields.length > 0
      ? error.fields.map((f) => ({ ...f, message: `${f.message}; ${hint}` }))
      : [{ path: "name", message: `${draft.type} records for this name already exist; ${hint}` }];
  return { ...error, fields };
}
