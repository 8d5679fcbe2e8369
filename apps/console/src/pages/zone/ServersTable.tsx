import type { Servers } from "./types.js";

/** The serial each edge and secondary serves for the zone. */
export function ServersTable({ servers }: { servers: Servers }) {
  const rows = [
    ...servers.edges.map((s) => ({ ...s, kind: "edge" })),
    ...servers.secondaries.map((s) => ({ ...s, kind: "secondary" })),
  ];
  return (
    <div className="table-wrap">
      <table data-testid="servers">
        <caption className="visually-hidden">Serial served per edge</caption>
        <thead>
          <tr>
            <th scope="col">Server</th>
            <th scope="col">Address</th>
            <th scope="col">Serial</th>
            <th scope="col">Live</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((s) => (
            <tr key={`${s.kind}:${s.id}`}>
              <td>
                {s.id} ({s.kind})
              </td>
              <td>{s.address}</td>
              <td>{s.serial ?? "—"}</td>
              <td>{s.live ? "yes" : "no"}</td>
            </tr>
          ))}
          {rows.length === 0 && (
            <tr>
              <td colSpan={4}>No servers have reported yet.</td>
            </tr>
          )}
        </tbody>
      </table>
      <p>{servers.in_sync ? "All servers serve the published serial." : "Some servers are behind."}</p>
    </div>
  );
}
