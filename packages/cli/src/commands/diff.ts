import { unwrap } from "@dnscove/sdk";
import type { Command } from "commander";
import { clientOf } from "../config.js";
import { printDiff } from "../diff-lines.js";
import { out, printJson } from "../output.js";
import { resolveZoneId } from "../zone-ref.js";
import { parseInteger } from "./rrsets.js";

const SERIAL = parseInteger(1, 4294967295);

export function registerDiff(program: Command): void {
  program
    .command("diff")
    .description("show the rrsets added, removed and changed between two serials, like a unified diff")
    .argument("<zone>", "zone id or origin")
    .requiredOption("--from <serial>", "the serial to compare from", SERIAL)
    .option(
      "--to <serial>",
      "the serial to compare to (default: the current one, unpublished changes included)",
      SERIAL,
    )
    .option("--json", "print the raw JSON answer")
    .addHelpText(
      "after",
      "\nOne line per record in zone file form: `-` a record the change removed, `+` one it added, a space\n" +
        "one that stayed. A TTL change shows the whole rrset removed and added. Ordered by name, then type;\n" +
        "the apex SOA and NS (system-managed) are left out.",
    )
    .action(
      async (zone: string, options: { from: number; to?: number; json?: boolean }, command: Command) => {
        const client = clientOf(command);
        const id = await resolveZoneId(client, zone);
        const query = { from: options.from, ...(options.to !== undefined ? { to: options.to } : {}) };
        const diff = unwrap(await client.GET("/api/zones/{id}/diff", { params: { path: { id }, query } }));
        if (options.json) return printJson(diff);
        out(`--- serial ${diff.from}`);
        out(`+++ serial ${diff.to}`);
        printDiff(diff);
      },
    );
}
