import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { UsageError } from "./errors.js";

/**
 * The credential `dnscove login` keeps, like gh (`hosts.yml`) and the AWS CLI (`credentials`):
 * one file readable by its owner only, used by later commands unless `--token` or DNSCOVE_TOKEN
 * is given. It is bound to the API it came from and never sent to another.
 */
export interface StoredCredential {
  /** The API base URL the credential belongs to (no trailing slash). */
  api: string;
  token: string;
  /** A console session (ended on the server by `logout`) or a machine token. */
  kind: "session" | "token";
  email?: string;
  expires_at?: string;
}

/** `$XDG_CONFIG_HOME/dnscove/credentials.json`, `~/.config/…` when XDG_CONFIG_HOME is unset (XDG Base Directory). */
export function credentialsPath(env: { XDG_CONFIG_HOME?: string; HOME?: string }): string {
  const xdg = env.XDG_CONFIG_HOME?.trim();
  // The spec says a relative XDG_CONFIG_HOME is invalid and must be ignored.
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(env.HOME ?? "", ".config");
  return path.join(base, "dnscove", "credentials.json");
}

function isCredential(value: unknown): value is StoredCredential {
  const v = value as Partial<StoredCredential> | null;
  return (
    typeof v === "object" &&
    v !== null &&
    typeof v.api === "string" &&
    typeof v.token === "string" &&
    (v.kind === "session" || v.kind === "token")
  );
}

/** The stored credential, or undefined when there is none; a damaged file is a usage error naming it. */
export function readCredential(file: string): StoredCredential | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as { code?: string }).code === "ENOENT") return undefined;
    throw new UsageError(`cannot read ${file} (${(error as { code?: string }).code ?? "error"})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  if (!isCredential(value)) {
    throw new UsageError(
      `${file} is not a dnscove credentials file: delete it and run \`dnscove login\` again`,
    );
  }
  return value;
}

/**
 * Writes the credential with mode 0600 in a directory with mode 0700, replacing any earlier one
 * atomically (write a sibling, then rename) so a reader never sees half a file.
 */
export function saveCredential(file: string, credential: StoredCredential): void {
  const dir = path.dirname(file);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // mkdir's mode does not apply to a directory that already exists, nor escape the umask.
  chmodSync(dir, 0o700);
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(credential, null, 2)}\n`, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, file);
}

/** Deletes the stored credential; true when there was one. */
export function removeCredential(file: string): boolean {
  try {
    rmSync(file);
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === "ENOENT") return false;
    throw error;
  }
}
