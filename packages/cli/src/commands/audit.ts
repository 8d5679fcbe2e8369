import { type components, type DnscoveClient, unwrap } from "@dnscove/sdk";
import { type Command, InvalidArgumentError } from "commander";
import { clientOf } from "../config.js";
import { diffLines, type RRsetChangeLike } from "../diff-lines.js";
import { CliError, EXIT_API } from "../errors.js";
import { note, out, printFields, printJson, printTable, when } from "../output.js";
import { resolveZoneId } from "../zone-ref.js";
import { parseInteger } from "./rrsets.js";

type AuditEntry = components["schemas"]["AuditEntry"];
type AuditPage = components["schemas"]["AuditPage"];

interface ListOptions {
  zone?: string;
  actor?: string;
  since?: string;
  until?: string;
  limit?: number;
  cursor?: string;
  all?: boolean;
  json?: boolean;
}

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

/**
 * A time for --since/--until as the API takes it (RFC 3339, UTC): an RFC 3339 time as given, a
 * date (midnight UTC), or an age such as 30m, 12h, 7d (that long ago).
 */
export function parseTime(now: () => Date = () => new Date()) {
  return (value: string): string => {
    const text = value.trim();
    const age = /^(\d+)([smhdw])$/.exec(text);
    if (age)
      return new Date(now().getTime() - Number(age[1]) * (UNITS[age[2] ?? "s"] ?? 1) * 1000).toISOString();
    if (/^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(Date.parse(`${text}T00:00:00Z`)))
      return `${text}T00:00:00Z`;
    if (
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(text) &&
      !Number.isNaN(Date.parse(text))
    )
      return new Date(text).toISOString();
    throw new InvalidArgumentError(
      "must be an RFC 3339 time (2026-12-01T09:30:00Z), a date (2026-12-01) or an age (30m, 12h, 7d)",
    );
  };
}

/** Who made the entry, as one cell: the user's email, `token <id> (<name>)`, or `system <job>`. */
export function actorText(actor: AuditEntry["actor"]): string {
  if (actor.kind === "session") return actor.name ?? `user ${actor.id}`;
  if (actor.kind === "token") return `token ${actor.id}${actor.name ? ` (${actor.name})` : ""}`;
  return `system ${actor.id}`;
}

/** The rrset changes an entry records (rrsets.change, zone.rollback, acme.*), or none. */
function entryChanges(entry: AuditEntry): RRsetChangeLike[] {
  const changes = entry.detail.changes;
  return Array.isArray(changes) ? (changes as RRsetChangeLike[]) : [];
}

/** What the entry did, short enough for a table cell: the rrsets it touched, or the serials. */
export function summary(entry: AuditEntry): string {
  const changes = entryChanges(entry);
  if (changes.length > 0) {
    const sign = (c: RRsetChangeLike) => (c.before === null ? "+" : c.after === null ? "-" : "~");
    const shown = changes.slice(0, 3).map((c) => `${sign(c)}${c.name} ${c.type}`);
    if (changes.length > 3) shown.push(`(${changes.length - 3} more)`);
    return shown.join(", ");
  }
  const d = entry.detail as Record<string, unknown>;
  if (typeof d.from_serial === "number" && typeof d.serial === "number")
    return `serial ${d.from_serial}→${d.serial}`;
  if (typeof d.serial === "number") return `serial ${d.serial}`;
  const token = d.token as { id?: string } | undefined;
  if (token?.id) return `token ${token.id}`;
  if (typeof d.before === "string" && typeof d.after === "string") return `${d.before}→${d.after}`;
  return "";
}

async function listPage(client: DnscoveClient, query: Record<string, string | number>): Promise<AuditPage> {
  return unwrap(await client.GET("/api/audit", { params: { query } }));
}

export function registerAudit(program: Command): void {
  const audit = program
    .command("audit")
    .description("who changed what, when and from where: the tenant's audit log")
    .addHelpText(
      "after",
      "\nWithout a subcommand, `dnscove audit [options]` lists entries (as `audit list`). The log needs\na session or a tenant-admin token.",
    );

  audit
    .command("list", { isDefault: true })
    .description("list audit entries, newest first (the default subcommand)")
    .option("--zone <zone>", "only entries about this zone (id or origin; a deleted zone by its id)")
    .option("--actor <actor>", "only entries by this user (email or id), token id, or job (auto-publisher)")
    .option(
      "--since <time>",
      "only entries at or after this time (RFC 3339, a date, or an age: 30m, 12h, 7d)",
      parseTime(),
    )
    .option("--until <time>", "only entries before this time (same forms as --since)", parseTime())
    .option("--limit <n>", "entries per page (1-1000, default 100)", parseInteger(1, 1000))
    .option("--cursor <cursor>", "continue from an earlier page's next cursor")
    .option("--all", "follow the cursor to the oldest entry")
    .option("--json", "print the raw JSON answer (with --all: every entry in one page)")
    .addHelpText(
      "after",
      "\nColumns: SEQ (the entry's number, for `audit show`), TIME (UTC), ACTOR, OPERATION, ZONE,\nCLIENT (the caller's address), REQUEST (the X-Request-Id) and WHAT (+ added, - deleted, ~ changed rrsets).",
    )
    .action(async (options: ListOptions, command: Command) => {
      const client = clientOf(command);
      const query: Record<string, string | number> = {};
      if (options.zone) query.zone = await resolveZoneId(client, options.zone);
      if (options.actor) query.actor = options.actor;
      if (options.since) query.since = options.since;
      if (options.until) query.until = options.until;
      if (options.limit) query.limit = options.limit;
      if (options.cursor) query.cursor = options.cursor;
      let page = await listPage(client, query);
      const entries = [...page.entries];
      while (options.all && page.next_cursor) {
        page = await listPage(client, { ...query, cursor: page.next_cursor });
        entries.push(...page.entries);
      }
      if (options.json) return printJson({ entries, next_cursor: page.next_cursor });
      printTable(
        ["SEQ", "TIME", "ACTOR", "OPERATION", "ZONE", "CLIENT", "REQUEST", "WHAT"],
        entries.map((e) => [
          e.seq,
          when(e.at),
          actorText(e.actor),
          e.operation,
          e.zone ? (e.zone.origin ?? e.zone.id) : null,
          e.client_address,
          e.request_id,
          summary(e),
        ]),
        "(no entries)",
      );
      if (page.next_cursor) note(`(older entries: add --all, or --cursor ${page.next_cursor})`);
    });

  audit
    .command("show")
    .description("show one entry in full, with the rrsets before and after")
    .argument("<seq>", "the entry's SEQ, as `audit` lists it", parseInteger(1, Number.MAX_SAFE_INTEGER))
    .option("--json", "print the raw JSON entry")
    .action(async (seq: number, options: { json?: boolean }, command: Command) => {
      const client = clientOf(command);
      // Pages continue below their cursor (docs/audit-log.md), so cursor seq+1 starts at entry seq.
      const page = await listPage(client, { cursor: String(seq + 1), limit: 1 });
      const entry = page.entries[0];
      if (!entry || entry.seq !== seq) throw new CliError(`no audit entry ${seq} in this tenant`, EXIT_API);
      if (options.json) return printJson(entry);
      printFields([
        ["seq", entry.seq],
        ["time", when(entry.at)],
        ["actor", actorText(entry.actor)],
        ...(entry.actor.scope ? ([["scope", entry.actor.scope]] as [string, string][]) : []),
        ["operation", entry.operation],
        ["zone", entry.zone ? `${entry.zone.origin ?? "(deleted)"} (${entry.zone.id})` : null],
        ["client address", entry.client_address],
        ["request id", entry.request_id],
        ["hash", entry.hash],
      ]);
      const changes = entryChanges(entry);
      const rest = Object.fromEntries(Object.entries(entry.detail).filter(([key]) => key !== "changes"));
      if (Object.keys(rest).length > 0) {
        out();
        out(`detail: ${JSON.stringify(rest)}`);
      }
      if (changes.length > 0) {
        out();
        for (const line of diffLines(changes)) out(line);
      }
    });

  audit
    .command("verify")
    .description("check the log's hash chain; exits 1 naming the first broken entry")
    .option("--json", "print the raw JSON answer")
    .action(async (options: { json?: boolean }, command: Command) => {
      const data = unwrap(await clientOf(command).GET("/api/audit/verify"));
      if (options.json) printJson(data);
      else if (data.ok) out(`ok: the chain of ${data.entries} entries is intact`);
      if (!data.ok) {
        const broken = data.first_broken;
        const about = broken ? [broken.operation, broken.at ? when(broken.at) : null].filter(Boolean) : [];
        const which = broken
          ? `entry ${broken.seq}${about.length > 0 ? ` (${about.join(", ")})` : ""}`
          : "an entry";
        throw new CliError(
          `audit log BROKEN at ${which}: ${data.reason ?? "unknown reason"}${data.message ? `: ${data.message}` : ""}`,
          EXIT_API,
        );
      }
    });
}
