import { writeFile } from "node:fs/promises";
import { unwrap } from "@dnscove/sdk";
import type { Command } from "commander";
import { clientOf } from "../config.js";
import { UsageError } from "../errors.js";
import { printJson } from "../output.js";
import { resolveZoneId } from "../zone-ref.js";
import { printImportAnswer } from "./route53.js";
import { readInput } from "./rrsets.js";

/** `zones export` and `zones import-file`: RFC 1035 zone files out of and into DNSCove. */
export function registerZoneFiles(zones: Command): void {
  zones
    .command("export")
    .description("print the zone as the edges serve it (published serial) as an RFC 1035 zone file")
    .argument("<zone>", "zone id or origin")
    .option("-o, --output <file>", "write the file here instead of standard output")
    .action(async (zone: string, options: { output?: string }, command: Command) => {
      const client = clientOf(command);
      const id = await resolveZoneId(client, zone);
      const text = unwrap(
        await client.GET("/api/zones/{id}/zone-file", { params: { path: { id } }, parseAs: "text" }),
      );
      if (options.output) {
        try {
          await writeFile(options.output, text);
        } catch (error) {
          const code = (error as { code?: string }).code;
          throw new UsageError(`cannot write ${options.output}${code ? ` (${code})` : ""}`);
        }
      } else process.stdout.write(text);
    });

  zones
    .command("import-file")
    .description("create a zone from an RFC 1035 zone file (as BIND and Knot write it)")
    .argument("<file>", 'the zone file ("-" for stdin)')
    .requiredOption("--origin <origin>", "the zone's origin, e.g. example.com")
    .option("--dry-run", "run every check and show the rrsets it would create; create nothing")
    .option("--json", "print the raw JSON answer")
    .action(
      async (
        file: string,
        options: { origin: string; dryRun?: boolean; json?: boolean },
        command: Command,
      ) => {
        const zoneFile = await readInput(file);
        const body = {
          origin: options.origin,
          zone_file: zoneFile,
          ...(options.dryRun ? { dry_run: true } : {}),
        };
        const data = unwrap(await clientOf(command).POST("/api/import/zone-file", { body }));
        if (options.json) return printJson(data);
        printImportAnswer(data);
      },
    );
}
