import { unwrap } from "@dnscove/sdk";
import type { Command } from "commander";
import { clientOf } from "../config.js";
import { note, out, printJson, printTable } from "../output.js";
import { readInput } from "./rrsets.js";

export function registerRoute53(program: Command): void {
  const route53 = program.command("route53").description("move zones from Amazon Route 53");

  route53
    .command("import")
    .description("import a zone from `aws route53 list-resource-record-sets` output")
    .argument("<file>", 'the JSON output of `aws route53 list-resource-record-sets` ("-" for stdin)')
    .option("--origin <origin>", "the zone's origin, when it cannot be derived from the records")
    .option("--json", "print the raw JSON answer")
    .action(async (file: string, options: { origin?: string; json?: boolean }, command: Command) => {
      const text = await readInput(file);
      const client = clientOf(command);
      const body = { json: text, ...(options.origin ? { origin: options.origin } : {}) };
      const data = unwrap(await client.POST("/api/import/route53", { body }));
      if (options.json) return printJson(data);
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
    });
}
