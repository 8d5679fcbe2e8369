#!/usr/bin/env node
import { DEFAULT_BASE_URL, DnscoveNetworkError, describeError } from "@dnscove/sdk";
import { Command, CommanderError, Option } from "commander";
import { registerAcmeHooks } from "./acme-hooks.js";
import { registerAudit } from "./commands/audit.js";
import { registerDiff } from "./commands/diff.js";
import { registerDnssec } from "./commands/dnssec.js";
import { registerHistory } from "./commands/history.js";
import { registerLogin } from "./commands/login.js";
import { registerRollback } from "./commands/rollback.js";
import { registerRoute53 } from "./commands/route53.js";
import { registerRRsets } from "./commands/rrsets.js";
import { registerTokens } from "./commands/tokens.js";
import { registerTsigKeys } from "./commands/tsig-keys.js";
import { registerZones } from "./commands/zones.js";
import { CliError, EXIT_API, EXIT_NETWORK, EXIT_OK, EXIT_USAGE } from "./errors.js";

export const VERSION = "0.1.0";

/** The whole command tree. Commander's own exits are turned into thrown CommanderErrors. */
export function buildProgram(): Command {
  const program = new Command("dnscove")
    .description(
      "DNSCove command-line tool: zones, rrsets, DNSSEC, machine tokens, history and audit, and ACME DNS-01 hooks",
    )
    .version(VERSION, "--version", "print the version")
    .addOption(new Option("--api <url>", `API base URL (default: $DNSCOVE_API or ${DEFAULT_BASE_URL})`))
    .addOption(new Option("--token <token>", "session or machine token (default: $DNSCOVE_TOKEN)"))
    .exitOverride()
    .showHelpAfterError("(add --help for usage)")
    .addHelpText(
      "after",
      "\nExit codes: 0 success, 1 API error, 2 usage or configuration error, 3 API unreachable.",
    );
  registerLogin(program);
  registerZones(program);
  registerRRsets(program);
  registerTokens(program);
  registerTsigKeys(program);
  registerDnssec(program);
  registerRoute53(program);
  registerAudit(program);
  registerHistory(program);
  registerDiff(program);
  registerRollback(program);
  registerAcmeHooks(program);
  return program;
}

/** Prints an error the way users and scripts expect, and gives its exit code. */
export function reportError(error: unknown): number {
  if (error instanceof CommanderError) {
    // Help and --version "exit" with 0; commander already printed any message.
    return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
  }
  if (error instanceof CliError) {
    process.stderr.write(`error: ${error.message}\n`);
    return error.exitCode;
  }
  // The one "problem / network error → text" rendering, shared with the IaC providers and the console.
  process.stderr.write(`error: ${describeError(error)}\n`);
  // The SDK already sent an idempotent request a second time after a reset: the API is unreachable.
  if (error instanceof DnscoveNetworkError) return EXIT_NETWORK;
  return EXIT_API;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return EXIT_OK;
  } catch (error) {
    return reportError(error);
  }
}

process.exitCode = await main(process.argv);
