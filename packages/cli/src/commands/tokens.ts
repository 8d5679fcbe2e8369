import { isZoneBoundScope, TOKEN_SCOPES, type TokenScope } from "@dnscove/dns";
import { type Token, unwrap } from "@dnscove/sdk";
import { type Command, Option } from "commander";
import { clientOf } from "../config.js";
import { UsageError } from "../errors.js";
import { note, out, printJson, printTable, when } from "../output.js";
import { resolveZoneId } from "../zone-ref.js";
import { parseInteger } from "./rrsets.js";

type Scope = TokenScope;

interface MintOptions {
  scope: Scope;
  zone?: string;
  name?: string;
  expiresInDays?: number;
  quiet?: boolean;
  json?: boolean;
}

function tokenRows(tokens: Token[]) {
  return tokens.map((t) => [
    t.id,
    t.scope,
    t.zone_id,
    t.name,
    when(t.created_at),
    when(t.expires_at, "never"),
    t.revoked ? "yes" : "no",
    when(t.last_used_at, "never"),
  ]);
}

export function registerTokens(program: Command): void {
  const tokens = program.command("tokens").description("list, mint and revoke machine tokens");

  tokens
    .command("list")
    .description("list the tenant's machine tokens (or those bound to one zone)")
    .option("--zone <zone>", "only tokens bound to this zone (id or origin)")
    .option("--json", "print the raw JSON answer")
    .action(async (options: { zone?: string; json?: boolean }, command: Command) => {
      const client = clientOf(command);
      const data = options.zone
        ? unwrap(
            await client.GET("/api/zones/{id}/tokens", {
              params: { path: { id: await resolveZoneId(client, options.zone) } },
            }),
          )
        : unwrap(await client.GET("/api/tokens"));
      if (options.json) return printJson(data);
      printTable(
        ["ID", "SCOPE", "ZONE", "NAME", "CREATED", "EXPIRES", "REVOKED", "LAST USED"],
        tokenRows(data.tokens),
        "(no tokens)",
      );
    });

  tokens
    .command("mint")
    .description("mint a machine token; its plaintext is shown this once")
    .addOption(
      new Option("--scope <scope>", "what the token may do").choices(TOKEN_SCOPES).makeOptionMandatory(),
    )
    .option("--zone <zone>", "the zone a zone-admin or acme-dns01 token is bound to (id or origin)")
    .option("--name <name>", "a label for listings")
    .option("--expires-in-days <days>", "lifetime in days (0: never expires)", parseInteger(0, 3650))
    .option("-q, --quiet", "print only the plaintext token on stdout (for scripts)")
    .option("--json", "print the raw JSON answer (includes the plaintext token)")
    .action(async (options: MintOptions, command: Command) => {
      const zoneBound = isZoneBoundScope(options.scope);
      if (zoneBound && !options.zone) throw new UsageError(`--scope ${options.scope} needs --zone <zone>`);
      if (!zoneBound && options.zone)
        throw new UsageError("a tenant-admin token is not bound to a zone: drop --zone");
      const client = clientOf(command);
      const body = {
        scope: options.scope,
        ...(options.zone ? { zone_id: await resolveZoneId(client, options.zone) } : {}),
        ...(options.name !== undefined ? { name: options.name } : {}),
        ...(options.expiresInDays !== undefined ? { expires_in_days: options.expiresInDays } : {}),
      };
      const minted = unwrap(await client.POST("/api/tokens", { body }));
      if (options.quiet) return out(minted.token);
      if (options.json) return printJson(minted);
      out(minted.token);
      note(
        `minted ${minted.scope} token ${minted.id}${minted.zone_id ? ` for zone ${minted.zone_id}` : ""}` +
          `, expires ${when(minted.expires_at, "never")}; it is shown only this once`,
      );
    });

  tokens
    .command("revoke")
    .description("revoke a machine token; it answers 401 from then on")
    .argument("<token-id>", "the token's public id (16 hex digits), as `tokens list` shows it")
    .option("--json", "print the raw JSON answer")
    .action(async (tokenId: string, options: { json?: boolean }, command: Command) => {
      // Accept the whole plaintext token too (dnsc_<id>_<secret>), but never echo its secret.
      const id = /^dnsc_([0-9a-f]{16})_/.exec(tokenId)?.[1] ?? tokenId;
      const data = unwrap(await clientOf(command).DELETE("/api/tokens/{id}", { params: { path: { id } } }));
      if (options.json) return printJson(data);
      out(`revoked token ${data.id} (${data.scope}${data.name ? `, ${data.name}` : ""})`);
    });
}
