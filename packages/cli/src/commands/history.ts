import { type components, unwrap } from "@dnscove/sdk";
import type { Command } from "commander";
import { clientOf } from "../config.js";
import { note, out, printJson, printTable, when } from "../output.js";
import { resolveZoneId } from "../zone-ref.js";
import { parseInteger } from "./rrsets.js";

type SnapshotSummary = components["schemas"]["SnapshotSummary"];

interface HistoryOptions {
  limit?: number;
  cursor?: string;
  all?: boolean;
  json?: boolean;
}

/** An rrset list as `rrsets list` prints it: one line per record, the name, type and TTL once. */
export function printRRsets(rrsets: components["schemas"]["RRset"][]): void {
  const rows = rrsets.flatMap((rr) =>
    rr.records.length === 0
      ? [[rr.name, rr.type, rr.ttl, ""]]
      : rr.records.map((record, i) => (i === 0 ? [rr.name, rr.type, rr.ttl, record] : ["", "", "", record])),
  );
  printTable(["NAME", "TYPE", "TTL", "RECORD"], rows, "(no rrsets)");
}

export function registerHistory(program: Command): void {
  program
    .command("history")
    .description("list a zone's published serials, or show the zone as it was at one of them")
    .argument("<zone>", "zone id or origin")
    .argument(
      "[serial]",
      "a published serial: print the zone's rrsets at that serial",
      parseInteger(1, 4294967295),
    )
    .option("--limit <n>", "serials per page (1-500, default 50)", parseInteger(1, 500))
    .option("--cursor <cursor>", "continue from an earlier page's next cursor")
    .option("--all", "follow the cursor to the oldest kept serial")
    .option("--json", "print the raw JSON answer (with --all: every serial in one page)")
    .addHelpText(
      "after",
      "\nThe history keeps every publish for DNSCOVE_HISTORY_RETENTION_DAYS (default 30) on the API.\n" +
        "ACTOR is user:<id> (a console session), token:<id> (a machine token) or system (the auto-publisher).\n" +
        "See what changed with `dnscove diff`, undo it with `dnscove rollback`.",
    )
    .action(async (zone: string, serial: number | undefined, options: HistoryOptions, command: Command) => {
      const client = clientOf(command);
      const id = await resolveZoneId(client, zone);
      if (serial !== undefined) {
        const snapshot = unwrap(
          await client.GET("/api/zones/{id}/snapshots/{serial}", {
            params: { path: { id, serial: String(serial) } },
          }),
        );
        if (options.json) return printJson(snapshot);
        out(
          `${snapshot.origin} at serial ${snapshot.serial}: published ${when(snapshot.published_at)} by ${snapshot.actor}, ${snapshot.rrset_count} rrsets`,
        );
        printRRsets(snapshot.rrsets);
        return;
      }
      const query: { limit?: number; cursor?: string } = {};
      if (options.limit) query.limit = options.limit;
      if (options.cursor) query.cursor = options.cursor;
      const list = async (cursor?: string) =>
        unwrap(
          await client.GET("/api/zones/{id}/snapshots", {
            params: { path: { id }, query: { ...query, ...(cursor ? { cursor } : {}) } },
          }),
        );
      let page = await list();
      const snapshots: SnapshotSummary[] = [...page.snapshots];
      while (options.all && page.next_cursor) {
        page = await list(page.next_cursor);
        snapshots.push(...page.snapshots);
      }
      if (options.json) return printJson({ snapshots, next_cursor: page.next_cursor });
      printTable(
        ["SERIAL", "PUBLISHED", "ACTOR", "RRSETS"],
        snapshots.map((s) => [s.serial, when(s.published_at), s.actor, s.rrset_count]),
        "(no published serials kept)",
      );
      if (page.next_cursor) note(`(older serials: add --all, or --cursor ${page.next_cursor})`);
    });
}
