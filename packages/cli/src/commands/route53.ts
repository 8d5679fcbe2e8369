import { type components, unwrap } from "@dnscove/sdk";
import type { Command } from "commander";
import { clientOf } from "../config.js";
import { printDiff } from "../diff-lines.js";
import { note, out, printJson, printTable } from "../output.js";
import { readInput } from "./rrsets.js";

type ImportAnswer = components["schemas"]["Route53ImportResult"];

export function registerRoute53(program: Command): void {
  const route53 = program.command("route53").description("move zones from Amazon Route 53");

  route53
    .command("import")
    .description("import a zone from `aws route53 list-resource-record-sets` output")
    .argument("<file>", 'the JSON output of `aws route53 list-resource-record-sets` ("-" for stdin)')
    .option("--origin <origin>", "the zone's origin, when it cannot be derived from the records")
    .option("--dry-run", "run every check and show the rrsets it would create; create nothing")
    .option("--json", "print the raw JSON answer")
    .action(
      async (
        file: string,
        options: { origin?: string; dryRun?: boolean; json?: boolean },
        command: Command,
      ) => {
        const text = await readInput(file);
        const client = clientOf(command);
        const body = {
          json: text,
          ...(options.origin ? { origin: options.origin } : {}),
          ...(options.dryRun ? { dry_run: true } : {}),
        };
        const data = unwrap(await client.POST("/api/import/route53", { body }));
        if (options.json) return printJson(data);
        printImportAnswer(data);
      },
    );
}

/** What an import (Route53 or zone file) created, or on a dry run would create, and what it skipped. */
export function printImportAnswer(data: ImportAnswer): void {
  if (data.dry_run) {
    out(
      `dry run: nothing was written; the import would create ${data.zone.origin} at serial ${data.zone.serial} with ${data.imported} rrset${data.imported === 1 ? "" : "s"}`,
    );
    if (data.diff) printDiff(data.diff);
    if (data.skipped.length > 0) {
      out(`would skip ${data.skipped.length}:`);
      printTable(
        ["NAME", "TYPE", "REASON"],
        data.skipped.map((s) => [s.name, s.type, s.reason]),
      );
    }
    return;
  }
  out(
    `imported ${data.imported} rrset${data.imported === 1 ? "" : "s"} into ${data.zone.origin} (${data.zone.id})`,
  );
  if (data.skipped.length > 0) {
    out(`skipped ${data.skipped.length}:`);
    printTable(
      ["NAME", "TYPE", "REASON"],
      data.skipped.map((s) => [s.name, s.type, s.reason]),
    );
  }
  out(
    data.published
      ? `published serial ${data.zone.published_serial}`
      : `not published yet: ${data.publish_error ?? "pending"}`,
  );
  note(`delegate ${data.zone.origin} to ${data.ns.join(", ")}`);
}
