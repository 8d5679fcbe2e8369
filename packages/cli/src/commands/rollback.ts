import { type components, unwrap } from "@dnscove/sdk";
import type { Command } from "commander";
import { clientOf } from "../config.js";
import { confirmOnTerminal } from "../confirm.js";
import { printDiff } from "../diff-lines.js";
import { UsageError } from "../errors.js";
import { withMassDeleteHint } from "../mass-delete.js";
import { out, printJson } from "../output.js";
import { resolveZoneId } from "../zone-ref.js";
import { parseInteger } from "./rrsets.js";

type RollbackResult = components["schemas"]["RollbackResult"];

interface RollbackOptions {
  dryRun?: boolean;
  confirmMassDelete?: boolean;
  yes?: boolean;
  json?: boolean;
}

function printResult(result: RollbackResult): void {
  if (result.status === "UNCHANGED") {
    out(
      `unchanged: the zone already equals serial ${result.rolled_back_to} (it stays at serial ${result.serial}); nothing was written`,
    );
    return;
  }
  if (result.status === "DRY_RUN") {
    out(
      `dry run: nothing was written; rolling back to serial ${result.rolled_back_to} would take serial ${result.serial}`,
    );
  } else {
    out(
      `rolled back to serial ${result.rolled_back_to} as serial ${result.serial} (published within seconds, or now with \`dnscove zones publish\`)`,
    );
  }
  printDiff(result.diff);
}

export function registerRollback(program: Command): void {
  program
    .command("rollback")
    .description("make a zone's rrsets equal a published serial again, as a new serial")
    .argument("<zone>", "zone id or origin")
    .argument(
      "<serial>",
      "the published serial to go back to (see `dnscove history`)",
      parseInteger(1, 4294967295),
    )
    .option("--dry-run", "show the exact diff and the serial it would take; write nothing")
    .option(
      "--confirm-mass-delete",
      "allow a rollback that deletes more than the mass-delete share of the zone",
    )
    .option("-y, --yes", "do not ask for confirmation")
    .option("--json", "print the raw JSON answer")
    .addHelpText(
      "after",
      "\nThe apex SOA and NS stay as they are. On a terminal the diff is shown and confirmed first;\n" +
        "without one, pass --yes (or --dry-run to only look). A rollback that would delete more than the\n" +
        "API's mass-delete share (default 25%, at least 10 rrsets) is refused unless --confirm-mass-delete.",
    )
    .action(async (zone: string, serial: number, options: RollbackOptions, command: Command) => {
      if (!options.dryRun && !options.yes && !process.stdin.isTTY) {
        throw new UsageError(
          `refusing to roll back zone ${zone} without confirmation: pass --yes (or --dry-run to see what it would change)`,
        );
      }
      const client = clientOf(command);
      const id = await resolveZoneId(client, zone);
      const rollback = async (dryRun: boolean) =>
        unwrap(
          await withMassDeleteHint(
            client.POST("/api/zones/{id}/rollback", {
              params: { path: { id } },
              body: { serial, dry_run: dryRun, confirm_mass_delete: options.confirmMassDelete ?? false },
            }),
          ),
        );
      if (!options.dryRun && !options.yes) {
        const preview = await rollback(true);
        printResult(preview);
        if (preview.status === "UNCHANGED") return;
        await confirmOnTerminal(
          `Roll back zone ${zone} (${id}) to serial ${serial} as shown?`,
          "refusing to roll back without confirmation: pass --yes",
          "not rolled back",
        );
      }
      const result = await rollback(options.dryRun ?? false);
      if (options.json) return printJson(result);
      printResult(result);
    });
}
