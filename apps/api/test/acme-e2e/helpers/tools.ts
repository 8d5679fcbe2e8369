import { accessSync, constants } from "node:fs";
import path from "node:path";

/** The Debian packages these tests drive; `scripts/install-test-peers.sh` installs them. */
export const REQUIRED_TOOLS = ["pebble", "lego", "certbot", "openssl", "curl", "dig", "ip"] as const;

function which(tool: string): string | undefined {
  for (const dir of (process.env.PATH ?? "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
    const candidate = path.join(dir, tool);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * Throws (never skips) when a test peer is missing, so a machine without pebble, lego or certbot
 * shows red instead of a quietly green run.
 */
export function requireTools(tools: readonly string[] = REQUIRED_TOOLS): Record<string, string> {
  const found: Record<string, string> = {};
  const missing: string[] = [];
  for (const tool of tools) {
    const at = which(tool);
    if (at) found[tool] = at;
    else missing.push(tool);
  }
  if (missing.length > 0) {
    throw new Error(
      `ACME end-to-end tests need ${missing.join(", ")} on PATH; run /work/main/scripts/install-test-peers.sh ` +
        "(Debian packages pebble, lego, certbot, openssl, curl, dnsutils, iproute2). These tests never skip.",
    );
  }
  if (process.getuid?.() !== 0) {
    throw new Error("ACME end-to-end tests create a network namespace (ip netns add) and must run as root.");
  }
  return found;
}
