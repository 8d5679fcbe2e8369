import { acmeChallengeName, digestKeyAuthorization } from "@dnscove/dns";
import { unwrap } from "@dnscove/sdk";
import type { Command } from "commander";
import { clientOf } from "./config.js";
import { CliError, EXIT_API, UsageError } from "./errors.js";
import { note, out } from "./output.js";

export type HookAction = "present" | "cleanup";

export interface Challenge {
  fqdn: string;
  value: string;
}

export { digestKeyAuthorization };

/** `_acme-challenge.<domain>.`: a wildcard domain is validated at its base name. */
export function challengeFqdn(domain: string): string {
  if (!domain.trim().replace(/^\*\./, "").replace(/\.$/, "")) throw new UsageError("empty domain");
  return acmeChallengeName(domain);
}

/**
 * The challenge from lego's exec argv: default mode `<fqdn> <value>`; RAW mode (EXEC_MODE=RAW)
 * `-- <domain> <token> <keyAuth>`, told apart by its three arguments.
 */
export function challengeFromArgs(args: string[]): Challenge {
  const operands = args[0] === "--" ? args.slice(1) : args;
  if (operands.length === 2) {
    const [fqdn = "", value = ""] = operands;
    if (!fqdn.trim() || !value.trim()) throw new UsageError("empty fqdn or value");
    const name = fqdn.trim();
    return { fqdn: name.endsWith(".") ? name : `${name}.`, value: value.trim() };
  }
  if (operands.length === 3) {
    const [domain = "", , keyAuth = ""] = operands;
    if (!keyAuth) throw new UsageError("empty key authorization");
    return { fqdn: challengeFqdn(domain), value: digestKeyAuthorization(keyAuth) };
  }
  throw new UsageError(
    `expected <fqdn> <value> (lego default mode) or -- <domain> <token> <keyAuth> (lego RAW mode), got ${operands.length} argument${operands.length === 1 ? "" : "s"}`,
  );
}

/** The challenge from certbot's manual hook environment. */
export function challengeFromCertbotEnv(env: NodeJS.ProcessEnv): Challenge {
  const domain = env.CERTBOT_DOMAIN?.trim();
  const validation = env.CERTBOT_VALIDATION?.trim();
  const missing = [!domain && "CERTBOT_DOMAIN", !validation && "CERTBOT_VALIDATION"].filter(Boolean);
  if (!domain || !validation) {
    throw new UsageError(
      `${missing.join(" and ")} not set: run this as certbot's --manual-auth-hook / --manual-cleanup-hook`,
    );
  }
  return { fqdn: challengeFqdn(domain), value: validation };
}

/**
 * Presents or cleans up one challenge value through the lego httpreq endpoints, which find the
 * zone from the name (an acme-dns01 token cannot list zones). Fails unless the change is published.
 * `report` prints the progress line: certbot shows a hook's stderr as "ran with error output"
 * (a warning) and its stdout as "ran with output", so certbot's hooks report on stdout.
 */
export async function runHook(
  command: Command,
  action: HookAction,
  challenge: Challenge,
  report: (line: string) => void = note,
): Promise<void> {
  const client = clientOf(command);
  const path = action === "present" ? "/api/acme/httpreq/present" : "/api/acme/httpreq/cleanup";
  const result = unwrap(await client.POST(path, { body: { fqdn: challenge.fqdn, value: challenge.value } }));
  const verb = action === "present" ? "presented" : "cleaned up";
  const unchanged = result.changed ? "" : action === "present" ? "already present, " : "was not there, ";
  if (!result.published) {
    throw new CliError(
      `${verb} ${challenge.fqdn} (serial ${result.serial}) but NOT published: ${result.publish_error ?? "the edge did not confirm the serial"}`,
      EXIT_API,
    );
  }
  report(`${verb} ${challenge.fqdn} (${unchanged}serial ${result.serial}, published)`);
}

const LEGO_HELP = `
lego exec provider (EXEC_PATH=dnscove, DNSCOVE_API and DNSCOVE_TOKEN set to an acme-dns01 token):
  default mode:      dnscove {present,cleanup} <fqdn> <value>
  EXEC_MODE=RAW:     dnscove {present,cleanup} -- <domain> <token> <keyAuth>`;

export function registerAcmeHooks(program: Command): void {
  for (const action of ["present", "cleanup"] as const) {
    program
      .command(action)
      .description(
        action === "present"
          ? "ACME DNS-01 hook: add a challenge TXT value and publish it (lego exec)"
          : "ACME DNS-01 hook: remove a challenge TXT value and publish (lego exec)",
      )
      .argument("<args...>", "<fqdn> <value>, or -- <domain> <token> <keyAuth> in RAW mode")
      // A base64url value may begin with "-": take it as an argument, not an unknown option.
      .allowUnknownOption()
      .addHelpText("after", LEGO_HELP)
      .action(async (args: string[], _options: unknown, command: Command) => {
        await runHook(command, action, challengeFromArgs(args));
      });
  }

  for (const [name, action] of [
    ["certbot-auth", "present"],
    ["certbot-cleanup", "cleanup"],
  ] as const) {
    program
      .command(name)
      .description(
        `certbot manual ${action === "present" ? "auth" : "cleanup"} hook: ${action} _acme-challenge.$CERTBOT_DOMAIN from CERTBOT_VALIDATION`,
      )
      .addHelpText(
        "after",
        "\ncertbot certonly --manual --preferred-challenges dns \\\n" +
          "  --manual-auth-hook 'dnscove certbot-auth' --manual-cleanup-hook 'dnscove certbot-cleanup' -d example.com",
      )
      .action(async (_options: unknown, command: Command) => {
        await runHook(command, action, challengeFromCertbotEnv(process.env), out);
      });
  }
}
