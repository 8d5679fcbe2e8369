import { ZONE_BOUND_SCOPES } from "@dnscove/dns";
import { type TsigKey, unwrap } from "@dnscove/sdk";
import { type Command, Option } from "commander";
import { clientOf } from "../config.js";
import { note, out, printJson, printTable, when } from "../output.js";
import { resolveZoneId } from "../zone-ref.js";

function keyRows(keys: TsigKey[]) {
  return keys.map((k) => [
    k.id,
    k.name,
    k.scope,
    when(k.created_at),
    k.revoked ? "yes" : "no",
    when(k.last_used_at, "never"),
  ]);
}

/** `dnscove tsig-keys create|list|revoke`: zone-bound TSIG keys for RFC 2136 updates (docs/guides/rfc2136.md). */
export function registerTsigKeys(program: Command): void {
  const keys = program
    .command("tsig-keys")
    .description("create, list and revoke a zone's TSIG keys for RFC 2136 dynamic updates");

  keys
    .command("create")
    .description("create an hmac-sha256 key bound to a zone; its secret is shown this once")
    .requiredOption("--zone <zone>", "the zone (id or origin)")
    .addOption(
      new Option("--scope <scope>", "what the key may change")
        .choices(ZONE_BOUND_SCOPES)
        .default("acme-dns01"),
    )
    .option("--name <label>", "first label of the key name (default: the scope)")
    .option("--json", "print the raw JSON answer (includes the secret)")
    .action(
      async (options: { zone: string; scope: string; name?: string; json?: boolean }, command: Command) => {
        const client = clientOf(command);
        const id = await resolveZoneId(client, options.zone);
        const created = unwrap(
          await client.POST("/api/zones/{id}/tsig-keys", {
            params: { path: { id } },
            body: {
              scope: options.scope as (typeof ZONE_BOUND_SCOPES)[number],
              ...(options.name !== undefined ? { name: options.name } : {}),
            },
          }),
        );
        if (options.json) return printJson(created);
        // The line nsupdate/knsupdate take with -y.
        out(`hmac-sha256:${created.name}:${created.secret}`);
        note(
          `created ${created.scope} key ${created.id} (${created.name}); the secret is shown only this once`,
        );
      },
    );

  keys
    .command("list")
    .description("list a zone's TSIG keys (never their secrets)")
    .requiredOption("--zone <zone>", "the zone (id or origin)")
    .option("--json", "print the raw JSON answer")
    .action(async (options: { zone: string; json?: boolean }, command: Command) => {
      const client = clientOf(command);
      const id = await resolveZoneId(client, options.zone);
      const data = unwrap(await client.GET("/api/zones/{id}/tsig-keys", { params: { path: { id } } }));
      if (options.json) return printJson(data);
      printTable(
        ["ID", "NAME", "SCOPE", "CREATED", "REVOKED", "LAST USED"],
        keyRows(data.tsig_keys),
        "(no keys)",
      );
    });

  keys
    .command("revoke")
    .description("revoke a TSIG key; updates signed with it answer NOTAUTH from then on")
    .requiredOption("--zone <zone>", "the zone (id or origin)")
    .argument("<key-id>", "the key's id (16 hex digits), as `tsig-keys list` shows it")
    .option("--json", "print the raw JSON answer")
    .action(async (keyId: string, options: { zone: string; json?: boolean }, command: Command) => {
      const client = clientOf(command);
      const id = await resolveZoneId(client, options.zone);
      const data = unwrap(
        await client.DELETE("/api/zones/{id}/tsig-keys/{keyId}", { params: { path: { id, keyId } } }),
      );
      if (options.json) return printJson(data);
      out(`revoked TSIG key ${data.id} (${data.name})`);
    });
}
