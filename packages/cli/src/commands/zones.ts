import { createInterface } from "node:readline/promises";
import { type components, unwrap, type Zone } from "@dnscove/sdk";
import type { Command } from "commander";
import { clientOf } from "../config.js";
import { CliError, EXIT_API, UsageError } from "../errors.js";
import { note, out, printFields, printJson, printTable, when } from "../output.js";
import { canonicalOriginOrAsTyped, resolveZoneId } from "../zone-ref.js";
import { registerZoneFiles } from "./zone-files.js";

type ServerSerial = components["schemas"]["ServerSerial"];
type DelegationResult = components["schemas"]["DelegationResult"];
type ParityResult = components["schemas"]["ParityResult"];

interface JsonOption {
  json?: boolean;
}

export function printZone(zone: Zone): void {
  printFields([
    ["id", zone.id],
    ["origin", zone.origin],
    ["status", zone.status],
    ["serial", zone.serial],
    ["published serial", zone.published_serial],
    ["nameservers", zone.ns],
    ["created", when(zone.created_at)],
    ["updated", when(zone.updated_at)],
  ]);
}

export function registerZones(program: Command): void {
  const zones = program
    .command("zones")
    .description("list, create, inspect, publish and delete zones")
    .addHelpText(
      "after",
      "\n<zone> is a zone id (Z + 14 hex digits) or an origin such as example.com. Zone-bound tokens\ncannot list zones, so with them pass the id.",
    );

  zones
    .command("list")
    .description("list the tenant's zones")
    .option("--json", "print the raw JSON answer")
    .action(async (options: JsonOption, command: Command) => {
      const data = unwrap(await clientOf(command).GET("/api/zones"));
      if (options.json) return printJson(data);
      printTable(
        ["ID", "ORIGIN", "STATUS", "SERIAL", "PUBLISHED", "NAMESERVERS"],
        data.zones.map((z) => [z.id, z.origin, z.status, z.serial, z.published_serial, z.ns.join(",")]),
        "(no zones)",
      );
    });

  zones
    .command("create")
    .description("create a zone (serial 1 with SOA and apex NS is published at once)")
    .argument("<origin>", "the zone's origin, e.g. example.com")
    .option("--json", "print the raw JSON answer")
    .action(async (origin: string, options: JsonOption, command: Command) => {
      const zone = unwrap(await clientOf(command).POST("/api/zones", { body: { origin } }));
      if (options.json) return printJson(zone);
      printZone(zone);
      note(`created ${zone.origin} (${zone.id}); delegate it to ${zone.ns.join(", ")}`);
    });

  zones
    .command("get")
    .description("show one zone")
    .argument("<zone>", "zone id or origin")
    .option("--json", "print the raw JSON answer")
    .action(async (zone: string, options: JsonOption, command: Command) => {
      const client = clientOf(command);
      const id = await resolveZoneId(client, zone);
      const data = unwrap(await client.GET("/api/zones/{id}", { params: { path: { id } } }));
      if (options.json) return printJson(data);
      printZone(data);
    });

  zones
    .command("delete")
    .description("delete a zone with all its rrsets and zone-bound tokens")
    .argument("<zone>", "zone id or origin")
    .option("-y, --yes", "do not ask for confirmation")
    .action(async (zone: string, options: { yes?: boolean }, command: Command) => {
      const client = clientOf(command);
      const id = await resolveZoneId(client, zone);
      if (!options.yes) await confirmDelete(zone, id);
      await client.DELETE("/api/zones/{id}", { params: { path: { id } } });
      note(`deleted zone ${zone === id ? id : `${canonicalOriginOrAsTyped(zone)} (${id})`}`);
    });

  zones
    .command("publish")
    .description("publish pending changes now; answers once the edge serves the serial")
    .argument("<zone>", "zone id or origin")
    .option("--json", "print the raw JSON answer")
    .action(async (zone: string, options: JsonOption, command: Command) => {
      const client = clientOf(command);
      const id = await resolveZoneId(client, zone);
      const data = unwrap(await client.POST("/api/zones/{id}/publish", { params: { path: { id } } }));
      if (options.json) printJson(data);
      else
        out(`${data.published ? "published" : "NOT published"} ${data.zone.origin} at serial ${data.serial}`);
      if (!data.published) {
        throw new CliError(
          `publish not confirmed: ${data.publish_error ?? "no edge confirmed the serial"}`,
          EXIT_API,
        );
      }
    });

  zones
    .command("servers")
    .description("show which serial each edge and secondary serves")
    .argument("<zone>", "zone id or origin")
    .option("--json", "print the raw JSON answer")
    .action(async (zone: string, options: JsonOption, command: Command) => {
      const client = clientOf(command);
      const id = await resolveZoneId(client, zone);
      const data = unwrap(await client.GET("/api/zones/{id}/servers", { params: { path: { id } } }));
      if (options.json) return printJson(data);
      out(
        `zone ${data.zone_id}: serial ${data.serial}, published ${data.published_serial}, ${data.in_sync ? "in sync" : "NOT in sync"}`,
      );
      const row = (kind: string) => (s: ServerSerial) => [
        kind,
        s.id,
        s.address,
        s.serial,
        s.live ? "yes" : "no",
        when(s.last_seen_at),
      ];
      printTable(
        ["KIND", "ID", "ADDRESS", "SERIAL", "LIVE", "LAST SEEN"],
        [...data.edges.map(row("edge")), ...data.secondaries.map(row("secondary"))],
        "(no servers)",
      );
    });

  zones
    .command("delegation")
    .description("check that the parent zone delegates to our nameservers (an ACTIVE zone when it does)")
    .argument("<zone>", "zone id or origin")
    .option("--json", "print the raw JSON answer")
    .action(async (zone: string, options: JsonOption, command: Command) => {
      const client = clientOf(command);
      const id = await resolveZoneId(client, zone);
      const data = unwrap(await client.POST("/api/zones/{id}/delegation", { params: { path: { id } } }));
      if (options.json) return printJson(data);
      printDelegation(data);
    });

  zones
    .command("parity")
    .description("compare an imported zone with what its old provider serves, before moving the delegation")
    .argument("<zone>", "zone id or origin")
    .option("--json", "print the raw JSON answer")
    .action(async (zone: string, options: JsonOption, command: Command) => {
      const client = clientOf(command);
      const id = await resolveZoneId(client, zone);
      const data = unwrap(await client.POST("/api/zones/{id}/parity", { params: { path: { id } } }));
      if (options.json) return printJson(data);
      printParity(data);
    });

  registerZoneFiles(zones);
}

function list(values: string[]): string {
  return values.length > 0 ? values.join(", ") : "-";
}

export function printDelegation(data: DelegationResult): void {
  const d = data.delegation;
  printFields([
    ["zone", d.origin],
    ["delegated", d.delegated ? "yes" : "NO"],
    ["status", data.status],
    ["expected", list(d.expected)],
    ["found at parent", list(d.found)],
    ["missing", list(d.missing)],
    ["extra", list(d.extra)],
    ["checked", when(d.checked_at)],
    ...(d.error ? ([["error", d.error]] as [string, string][]) : []),
  ]);
  out();
  printTable(
    ["PARENT SERVER", "ADDRESS", "ANSWERED", "ERROR"],
    d.servers.map((s) => [s.name, s.address, s.answered ? "yes" : "no", s.error]),
    "(no parent server asked)",
  );
}

export function printParity(data: ParityResult): void {
  const p = data.parity;
  printFields([
    ["zone", p.origin],
    ["matches", p.matches ? "yes" : "NO"],
    ["safe to delete", data.safe_to_delete ? "yes" : "no"],
    ["status", data.status],
    ["checked", `${p.checked} rrsets${p.truncated ? " (truncated)" : ""}, ${p.mismatched} mismatched`],
    ["their servers", list(p.their_servers)],
    ["at", when(p.checked_at)],
    ...(p.error ? ([["error", p.error]] as [string, string][]) : []),
  ]);
  const rows = [
    ...p.mismatches.map((m) => [m.name, m.type, "records", list(m.ours), list(m.theirs)]),
    ...p.ttl_differences.map((t) => [t.name, t.type, "ttl", String(t.ours), String(t.theirs)]),
    ...p.not_compared.map((n) => [n.name, n.type, "not compared", n.reason, ""]),
  ];
  if (rows.length > 0) {
    out();
    printTable(["NAME", "TYPE", "DIFFERENCE", "OURS", "THEIRS"], rows);
  }
}

async function confirmDelete(zone: string, id: string): Promise<void> {
  if (!process.stdin.isTTY) {
    throw new UsageError(`refusing to delete zone ${zone} without confirmation: pass --yes`);
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(
      `Delete zone ${zone} (${id}) and all its records? Type "yes" to confirm: `,
    );
    if (answer.trim().toLowerCase() !== "yes") throw new UsageError("not deleted");
  } finally {
    rl.close();
  }
}
