import { ErrorBox, useApiAction, useConsole } from "../../context.js";

/**
 * Downloads the zone as an RFC 1035 zone file (`GET /zones/{id}/zone-file`: the published serial,
 * what the edges serve; unpublished changes are not in it).
 * A plain link cannot carry the session's bearer token, so the file is fetched and saved as a blob.
 */
export function ZoneFileDownload({ zoneId, origin }: { zoneId: string; origin: string }) {
  const { client } = useConsole();
  const action = useApiAction();
  const download = () =>
    void action.run(async () => {
      const { data } = await client.GET("/api/zones/{id}/zone-file", {
        params: { path: { id: zoneId } },
        parseAs: "text",
      });
      const url = URL.createObjectURL(new Blob([data ?? ""], { type: "text/dns" }));
      const a = document.createElement("a");
      a.href = url;
      a.download = `${origin}.zone`;
      a.click();
      URL.revokeObjectURL(url);
    });
  return (
    <div className="zone-file">
      <button type="button" className="secondary" onClick={download} disabled={action.busy}>
        {action.busy ? "Preparing zone file…" : "Download zone file"}
      </button>
      <ErrorBox error={action.error} fields={action.error?.fields} />
    </div>
  );
}
