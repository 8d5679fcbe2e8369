import { readFile } from "node:fs/promises";
import { DEFAULT_TTL, TTL_MAX, TTL_MIN } from "@dnscove/dns";
import { type components, type RRsetChange, unwrap } from "@dnscove/sdk";
import { type Command, InvalidArgumentError } from "commander";
import { clientOf } from "../config.js";
import { printDiff } from "../diff-lines.js";
import { UsageError } from "../errors.js";
import { withMassDeleteHint } from "../mass-delete.js";
import { out, printJson, printTable } from "../output.js";
import { resolveZoneId } from "../zone-ref.js";

export function parseInteger(min: number, max: number) {
  return (value: string): number => {
    if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError("must be a whole number");
    const n = Number(value);
    if (n < min || n > max) throw new InvalidArgumentError(`must be from ${min} to ${max}`);
    return n;
  };
}

/** Reads a file, or standard input for "-"; a missing file is a usage error. */
export async function readInput(file: string): Promise<string> {
  if (file === "-") {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString("utf8");
  }
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new UsageError(`cannot read ${file}${code ? ` (${code})` : ""}`);
  }
}

/** Parses a change batch file: `{changes: [...]}` or a bare array of changes. */
export function parseChanges(text: string, file: string): RRsetChange[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  const changes = Array.isArray(data)
    ? data
    : data && typeof data === "object" && Array.isArray((data as { changes?: unknown }).changes)
      ? (data as { changes: unknown[] }).changes
      : undefined;
  if (!changes) throw new UsageError(`${file} must hold {"changes": [...]} (or an array of changes)`);
  if (changes.length === 0) throw new UsageError(`${file} holds no changes`);
  return changes as RRsetChange[];
}

type ChangeAccepted = components["schemas"]["ChangeAccepted"];

/** The options every rrset write takes. */
interface WriteOptions {
  dryRun?: boolean;
  confirmMassDelete?: boolean;
  json?: boolean;
}

function withWriteOptions(command: Command): Command {
  return command
    .option(
      "--dry-run",
      "check the change and show its exact diff and the serial it would take; write nothing",
    )
    .option(
      "--confirm-mass-delete",
      "allow a change that deletes more than the mass-delete share of the zone",
    )
    .option("--json", "print the raw JSON answer");
}

/** The flags of the request body that the write options stand for. */
function writeFlags(options: WriteOptions): { dry_run?: true; confirm_mass_delete?: true } {
  return {
    ...(options.dryRun ? { dry_run: true as const } : {}),
    ...(options.confirmMassDelete ? { confirm_mass_delete: true as const } : {}),
  };
}

/** Prints what a write did (or, dry, would do); `done` is the line for an applied change. */
function reportWrite(data: ChangeAccepted, options: WriteOptions, done?: string): void {
  if (options.json) {
    printJson(data);
    return;
  }
  if (data.status === "DRY_RUN") {
    out(`dry run: nothing was written; the change would take serial ${data.serial}`);
    if (data.diff) printDiff(data.diff);
    return;
  }
  if (done) out(done);
  out(`accepted: serial ${data.serial} (published within seconds, or now with \`dnscove zones publish\`)`);
}

const WRITE_HELP =
  "\n--dry-run runs every check the API makes (the same errors) and prints the diff; nothing is written.\n" +
  "A change that would delete more than the API's mass-delete share of the zone (default 25%, at least\n" +
  "10 rrsets) is refused with MASS_DELETE unless --confirm-mass-delete.";

export function registerRRsets(program: Command): void {
  const rrsets = program
    .command("rrsets")
    .description("list and change a zone's record sets")
    .addHelpText(
      "after",
      "\n<zone> is a zone id (Z + 14 hex digits) or an origin. <name> is absolute (www.example.com.)\nor relative to the zone (www, @ for the apex).",
    );

  rrsets
    .command("list")
    .description("list the zone's rrsets, including unpublished changes")
    .argument("<zone>", "zone id or origin")
    .option("--json", "print the raw JSON answer")
    .action(async (zone: string, options: { json?: boolean }, command: Command) => {
      const client = clientOf(command);
      const id = await resolveZoneId(client, zone);
      const data = unwrap(await client.GET("/api/zones/{id}/rrsets", { params: { path: { id } } }));
      if (options.json) return printJson(data);
      const rows = data.rrsets.flatMap((rr) =>
        rr.records.length === 0
          ? [[rr.name, rr.type, rr.ttl, ""]]
          : rr.records.map((record, i) =>
              i === 0 ? [rr.name, rr.type, rr.ttl, record] : ["", "", "", record],
            ),
      );
      printTable(["NAME", "TYPE", "TTL", "RECORD"], rows, "(no rrsets)");
    });

  const upsert = rrsets
    .command("upsert")
    .description("create or replace the rrset at <name> <type> with the given records")
    .argument("<zone>", "zone id or origin")
    .argument("<name>", "owner name")
    .argument("<type>", "record type, e.g. A, AAAA, TXT, MX")
    .argument("<record...>", 'records in presentation form, e.g. 192.0.2.1 or "10 mail.example.com."')
    .option("--ttl <seconds>", "TTL", parseInteger(TTL_MIN, TTL_MAX), DEFAULT_TTL);
  withWriteOptions(upsert)
    .addHelpText("after", WRITE_HELP)
    .action(
      async (
        zone: string,
        name: string,
        type: string,
        records: string[],
        options: WriteOptions & { ttl: number },
        command: Command,
      ) => {
        const client = clientOf(command);
        const id = await resolveZoneId(client, zone);
        const body = {
          action: "UPSERT" as const,
          name,
          type,
          ttl: options.ttl,
          records,
          ...writeFlags(options),
        };
        const data = unwrap(
          await withMassDeleteHint(client.POST("/api/zones/{id}/rrsets", { params: { path: { id } }, body })),
        );
        reportWrite(data, options);
      },
    );

  withWriteOptions(
    rrsets
      .command("delete")
      .description("delete the rrset at <name> <type>")
      .argument("<zone>", "zone id or origin")
      .argument("<name>", "owner name")
      .argument("<type>", "record type"),
  )
    .addHelpText("after", WRITE_HELP)
    .action(async (zone: string, name: string, type: string, options: WriteOptions, command: Command) => {
      const client = clientOf(command);
      const id = await resolveZoneId(client, zone);
      const body = { action: "DELETE" as const, name, type, ...writeFlags(options) };
      const data = unwrap(
        await withMassDeleteHint(client.POST("/api/zones/{id}/rrsets", { params: { path: { id } }, body })),
      );
      reportWrite(data, options);
    });

  const apply = rrsets
    .command("apply")
    .description("apply a batch of changes atomically (all or none)")
    .argument("<zone>", "zone id or origin")
    .addHelpText(
      "after",
      "\nEach change's action is one of:\n" +
        "  UPSERT  create the rrset or replace its TTL and records (the default)\n" +
        "  CREATE  create the rrset; refused with 409 RRSET_EXISTS when it already exists\n" +
        "  DELETE  delete the rrset (name and type only)\n" +
        'Example: {"changes": [{"action": "CREATE", "name": "www", "type": "A", "ttl": 300,\n' +
        '                       "records": ["192.0.2.1"]}]}',
    )
    .requiredOption(
      "-f, --file <path>",
      'JSON file with {"changes": [{action, name, type, ttl, records}, ...]} ("-" for stdin)',
    );
  withWriteOptions(apply)
    .addHelpText("after", WRITE_HELP)
    .action(async (zone: string, options: WriteOptions & { file: string }, command: Command) => {
      const changes = parseChanges(await readInput(options.file), options.file);
      const client = clientOf(command);
      const id = await resolveZoneId(client, zone);
      const body = { changes, ...writeFlags(options) };
      const data = unwrap(
        await withMassDeleteHint(client.POST("/api/zones/{id}/rrsets", { params: { path: { id } }, body })),
      );
      reportWrite(data, options, `${changes.length} change${changes.length === 1 ? "" : "s"} applied`);
    });
}
