import { type components, unwrap } from "@dnscove/sdk";
import { type Command, Option } from "commander";
import { clientOf } from "../config.js";
import { note, out, printFields, printJson, printTable, when } from "../output.js";
import { resolveZoneId } from "../zone-ref.js";

type Dnssec = components["schemas"]["Dnssec"];
type Algorithm = NonNullable<components["schemas"]["SetDnssecRequest"]["algorithm"]>;

const ALGORITHMS: Algorithm[] = ["ECDSAP256SHA256", "ED25519"];

interface JsonOption {
  json?: boolean;
}

/** The zone's DNSSEC state: a few fields, the keys, then the DS lines (one a line, ready to paste). */
export function printDnssec(view: Dnssec): void {
  printFields([
    ["enabled", view.enabled ? "yes" : "no"],
    ["status", view.status],
    ["algorithm", view.algorithm],
  ]);
  out();
  printTable(
    ["KEY TAG", "ROLE", "ALGORITHM", "STATE", "CREATED", "ACTIVATED", "RETIRING SINCE"],
    view.keys.map((k) => [
      k.key_tag,
      k.role,
      k.algorithm,
      k.state,
      when(k.created_at),
      when(k.activated_at),
      when(k.inactive_at),
    ]),
    "(no keys)",
  );
  out();
  if (view.ds.length === 0) {
    out("DS: (none)");
    return;
  }
  out("DS (give these to the registrar or parent zone):");
  for (const line of view.ds) out(line);
}

/** What the user has to do next, after a change (on stderr, so stdout stays the state). */
function nextStep(view: Dnssec): string | undefined {
  if (view.status === "going-insecure")
    return (
      "DNSSEC is being turned off through the insecure transition (RFC 8078): the zone stays signed and " +
      "publishes delete CDS/CDNSKEY until the parent has no DS for it. Remove the DS records at your " +
      "registrar now (or let a parent that reads CDS do it); the signatures and keys go once the DS is gone. " +
      "Removing the signatures first would make validating resolvers answer SERVFAIL."
    );
  if (view.status === "ksk-rollover")
    return (
      "KSK rollover started: replace the DS at your registrar with the line(s) above (the parent may also " +
      "read them from CDS). The old KSK retires once the parent's DS names the new one."
    );
  if (view.enabled)
    return "The zone is signed. Give the DS line(s) above to your registrar to make it validate from the root.";
  return undefined;
}

function printChanged(view: Dnssec, options: JsonOption): void {
  if (options.json) {
    printJson(view);
    return;
  }
  printDnssec(view);
  const step = nextStep(view);
  if (step) note(step);
}

export function registerDnssec(program: Command): void {
  const dnssec = program
    .command("dnssec")
    .description("sign a zone with DNSSEC, show its keys and DS records, roll its KSK")
    .addHelpText("after", "\n<zone> is a zone id (Z + 14 hex digits) or an origin such as example.com.");

  dnssec
    .command("status")
    .description("show whether the zone is signed, its keys and the DS records for the registrar")
    .argument("<zone>", "zone id or origin")
    .option("--json", "print the raw JSON answer")
    .action(async (zone: string, options: JsonOption, command: Command) => {
      const client = clientOf(command);
      const id = await resolveZoneId(client, zone);
      const view = unwrap(await client.GET("/api/zones/{id}/dnssec", { params: { path: { id } } }));
      if (options.json) return printJson(view);
      printDnssec(view);
    });

  dnssec
    .command("enable")
    .description("sign the zone (the signed serial is published before this returns); prints the DS records")
    .argument("<zone>", "zone id or origin")
    .addOption(
      new Option("--algorithm <algorithm>", "signing algorithm (default: ECDSAP256SHA256)").choices(
        ALGORITHMS,
      ),
    )
    .option("--json", "print the raw JSON answer")
    .action(async (zone: string, options: JsonOption & { algorithm?: Algorithm }, command: Command) => {
      const client = clientOf(command);
      const id = await resolveZoneId(client, zone);
      const body = { enabled: true, ...(options.algorithm ? { algorithm: options.algorithm } : {}) };
      printChanged(
        unwrap(await client.PUT("/api/zones/{id}/dnssec", { params: { path: { id } }, body })),
        options,
      );
    });

  dnssec
    .command("disable")
    .description(
      "start the insecure transition: the zone stays signed until the parent's DS is gone (remove it at the registrar)",
    )
    .argument("<zone>", "zone id or origin")
    .option("--json", "print the raw JSON answer")
    .action(async (zone: string, options: JsonOption, command: Command) => {
      const client = clientOf(command);
      const id = await resolveZoneId(client, zone);
      printChanged(
        unwrap(
          await client.PUT("/api/zones/{id}/dnssec", { params: { path: { id } }, body: { enabled: false } }),
        ),
        options,
      );
    });

  dnssec
    .command("ksk-rollover")
    .description("start a KSK rollover: a new KSK and DS; it finishes when the parent's DS names the new KSK")
    .argument("<zone>", "zone id or origin")
    .option("--json", "print the raw JSON answer")
    .action(async (zone: string, options: JsonOption, command: Command) => {
      const client = clientOf(command);
      const id = await resolveZoneId(client, zone);
      printChanged(
        unwrap(await client.POST("/api/zones/{id}/dnssec/ksk-rollover", { params: { path: { id } } })),
        options,
      );
    });
}
