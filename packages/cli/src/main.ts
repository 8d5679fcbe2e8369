#!/usr/bin/env node
import { DnscoveApiError, DnscoveNetworkError } from "@dnscove/sdk";
import { Command, CommanderError, Option } from "commander";
import { registerAcmeHooks } from "./acme-hooks.js";
import { registerLogin } from "./commands/login.js";
import { registerRoute53 } from "./commands/route53.js";
import { registerRRsets } from "./commands/rrsets.js";
import { registerTokens } from "./commands/tokens.js";
import { registerZones } from "./commands/zones.js";
import { DEFAULT_API } from "./config.js";
import { CliError, EXIT_API, EXIT_OK, EXIT_USAGE, NetworkError } from "./errors.js";

export const VERSION = "0.1.0";

/** The whole command tree. Commander's own exits are turned into thrown CommanderErrors. */
export function buildProgram(): Command {
  const program = new Command("dnscove")
    .description("DNSCove command-line tool: zones, rrsets, machine tokens and ACME DNS-01 hooks")
    .version(VERSION, "--version", "print the version")
    .addOption(new Option("--api <url>", `API base URL (default: $DNSCOVE_API or ${DEFAULT_API})`))
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
  registerRoute53(program);
  registerAcmeHooks(program);
  return program;
}

/** Prints an error the way users and scripts expect, and gives its exit code. */
export function reportError(error: unknown): number {
  if (error instanceof CommanderError) {
    // Help and --version "exit" with 0; commander already printed any message.
    return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
  }
  if (error instanceof DnscoveApiError) {
    const lines = [`error: ${error.status} ${error.code}: ${error.problem.detail}`];
    for (const field of error.problem.errors ?? []) lines.push(`  ${field.path}: ${field.message}`);
    if (error.retryAfter !== undefined) lines.push(`  retry after ${error.retryAfter} s`);
    process.stderr.write(`${lines.join("\n")}\n`);
    return EXIT_API;
  }
  if (error instanceof DnscoveNetworkError) {
    // The SDK already sent an idempotent request a second time after a reset: the API is unreachable.
    return reportError(new NetworkError(new URL(error.url).origin, error.cause));
  }
  if (error instanceof CliError) {
    process.stderr.write(`error: ${error.message}\n`);
    return error.exitCode;
  }
  process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
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
