/** hclog-style JSON lines on stderr (stdout is reserved for the handshake). */
export function log(
  level: "trace" | "debug" | "info" | "warn" | "error",
  message: string,
  fields: Record<string, unknown> = {},
): void {
  const timestamp = new Date().toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
  process.stderr.write(
    `${JSON.stringify({ "@level": level, "@message": message, "@timestamp": timestamp, ...fields })}\n`,
  );
}
