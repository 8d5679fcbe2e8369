import { createInterface } from "node:readline";
import { unwrap } from "@dnscove/sdk";
import type { Command } from "commander";
import { anonymousClient, configOf } from "../config.js";
import { UsageError } from "../errors.js";
import { note, out, printJson } from "../output.js";

interface LoginOptions {
  linkToken?: string;
  quiet?: boolean;
  json?: boolean;
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
    .description("sign in by e-mail (magic link) and print a session token")
    .argument("<email>", "your e-mail address")
    .option(
      "--link-token <token>",
      "exchange this sign-in token (or link) from an earlier mail; sends no new mail",
    )
    .option("-q, --quiet", "print only the session token on stdout")
    .option("--json", "print the session as JSON ({token, expires_at})")
    .addHelpText(
      "after",
      '\nUse the session with:  export DNSCOVE_TOKEN="$(dnscove login you@example.com --quiet)"\n' +
        'or:                   eval "$(dnscove login you@example.com)"',
    )
    .action(async (email: string, options: LoginOptions, command: Command) => {
      const client = anonymousClient(configOf(command));
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
      if (options.json) return printJson(session);
      if (options.quiet) return out(session.token);
      out(`export DNSCOVE_TOKEN=${shellQuote(session.token)}`);
      note(`signed in as ${email}; the session expires at ${session.expires_at}`);
    });
}

function shellQuote(value: string): string {
  return /^[A-Za-z0-9._~+/=:-]+$/.test(value) ? value : `'${value.replace(/'/g, "'\\''")}'`;
}
