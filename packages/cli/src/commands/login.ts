import { createInterface } from "node:readline";
import { DnscoveApiError, unwrap } from "@dnscove/sdk";
import type { Command } from "commander";
import { anonymousClient, clientWithToken, configOf } from "../config.js";
import { readCredential, removeCredential, saveCredential } from "../credentials.js";
import { UsageError } from "../errors.js";
import { note, out, printJson } from "../output.js";

interface LoginOptions {
  linkToken?: string;
  quiet?: boolean;
  json?: boolean;
  printExport?: boolean;
  save: boolean;
}

/** The sign-in token from what the user pasted: the token itself or the whole link from the mail. */
export function linkTokenFrom(input: string): string {
  const text = input.trim();
  const match = /[#?&]token=([^&#\s]+)/.exec(text);
  return match?.[1] ? decodeURIComponent(match[1]) : text;
}

/** Reads one line from stdin (prompting on stderr when it is a terminal). */
async function readLine(prompt: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, terminal: false });
  if (process.stdin.isTTY) process.stderr.write(prompt);
  try {
    for await (const line of rl) return line;
    return "";
  } finally {
    rl.close();
  }
}

export function registerLogin(program: Command): void {
  program
    .command("login")
    .description("sign in by e-mail (magic link) and keep the session for later commands")
    .argument("<email>", "your e-mail address")
    .option(
      "--link-token <token>",
      "exchange this sign-in token (or link) from an earlier mail; sends no new mail",
    )
    .option("--print-export", "also print `export DNSCOVE_TOKEN=…` on stdout, for eval")
    .option("-q, --quiet", "also print the bare session token on stdout")
    .option("--json", "also print the session as JSON ({token, expires_at}) on stdout")
    .option("--no-save", "do not store the session (use it with --print-export, --quiet or --json)")
    .addHelpText(
      "after",
      "\nThe session is stored in $XDG_CONFIG_HOME/dnscove/credentials.json (default ~/.config/…, mode\n" +
        "0600) for the API it came from, and used by later commands unless --token or DNSCOVE_TOKEN is\n" +
        "given. `dnscove logout` ends it. A failed login prints nothing on stdout and exits non-zero.\n" +
        'For one shell only:   eval "$(dnscove login you@example.com --print-export --no-save)"',
    )
    .action(async (email: string, options: LoginOptions, command: Command) => {
      const config = configOf(command);
      const client = anonymousClient(config);
      let linkToken: string;
      if (options.linkToken) {
        // The mail already came (from an earlier `dnscove login`): just exchange its token.
        linkToken = linkTokenFrom(options.linkToken);
      } else {
        const sent = unwrap(await client.POST("/api/auth/magic-link", { body: { email } }));
        if (sent.dev_token) {
          note("development server: using the sign-in token from its answer");
          linkToken = sent.dev_token;
        } else {
          note(`sign-in link sent to ${email}`);
          linkToken = linkTokenFrom(await readLine("Paste the token (or the whole link) from the mail: "));
          if (!linkToken) {
            throw new UsageError(
              "no sign-in token given: paste it on stdin, or run again with --link-token <token>",
            );
          }
        }
      }
      const session = unwrap(await client.POST("/api/auth/exchange", { body: { token: linkToken } }));
      if (options.save) {
        saveCredential(config.credentialsFile, {
          api: config.api,
          token: session.token,
          kind: "session",
          email,
          expires_at: session.expires_at,
        });
      }
      if (options.json) printJson(session);
      else if (options.quiet) out(session.token);
      else if (options.printExport) out(`export DNSCOVE_TOKEN=${shellQuote(session.token)}`);
      const where = options.save ? `; saved to ${config.credentialsFile}` : "";
      note(`signed in as ${email} at ${config.api}; the session expires at ${session.expires_at}${where}`);
    });

  program
    .command("logout")
    .description("end the stored session on the server and delete the stored credential")
    .action(async (_options: unknown, command: Command) => {
      const config = configOf(command);
      const stored = readCredential(config.credentialsFile);
      if (!stored) {
        note(`not logged in (no ${config.credentialsFile})`);
        return;
      }
      // Deleted first: whatever the server says, this machine no longer holds the credential.
      removeCredential(config.credentialsFile);
      if (stored.kind === "session") {
        try {
          await clientWithToken({ ...config, api: stored.api }, stored.token).POST("/api/auth/sign-out");
        } catch (error) {
          // An expired or already ended session is signed out already.
          if (!(error instanceof DnscoveApiError && error.status === 401)) throw error;
        }
      }
      note(`logged out of ${stored.api}${stored.email ? ` (${stored.email})` : ""}`);
    });
}

function shellQuote(value: string): string {
  return /^[A-Za-z0-9._~+/=:-]+$/.test(value) ? value : `'${value.replace(/'/g, "'\\''")}'`;
}
