/** Where commands write: stdout for results, stderr for notes and errors. */
export function out(line = ""): void {
  process.stdout.write(`${line}\n`);
}

export function note(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** Prints a value as indented JSON (the `--json` form of read commands). */
export function printJson(value: unknown): void {
  out(JSON.stringify(value, null, 2));
}

type Cell = string | number | boolean | null | undefined;

function cellText(cell: Cell): string {
  if (cell === null || cell === undefined) return "-";
  return String(cell);
}

/** Formats rows as a left-aligned table with a header line; empty tables say so. */
export function formatTable(headers: string[], rows: Cell[][]): string {
  const text = rows.map((row) => headers.map((_, i) => cellText(row[i])));
  const widths = headers.map((header, i) =>
    Math.max(header.length, ...text.map((row) => row[i]?.length ?? 0)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return [line(headers), ...text.map(line)].join("\n");
}

export function printTable(headers: string[], rows: Cell[][], empty = "(none)"): void {
  if (rows.length === 0) {
    out(empty);
    return;
  }
  out(formatTable(headers, rows));
}

/** Prints `key: value` lines with the keys aligned. */
export function printFields(fields: [string, Cell | Cell[]][]): void {
  const width = Math.max(...fields.map(([key]) => key.length)) + 1;
  for (const [key, value] of fields) {
    const text = Array.isArray(value) ? value.map(cellText).join(", ") || "-" : cellText(value);
    out(`${`${key}:`.padEnd(width)} ${text}`);
  }
}

/** A date-time shown to the second, in UTC, or "-" / "never". */
export function when(value: string | null | undefined, missing = "-"): string {
  if (!value) return missing;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toISOString().replace(/\.\d{3}Z$/, "Z");
}
