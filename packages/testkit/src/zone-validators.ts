/**
 * The offline DNSSEC zone validators, run on a zone file's text: BIND's `dnssec-verify`
 * (bind9-utils), Knot's `kzonecheck --dnssec on` (knot-dnssecutils) and ldns's `ldns-verify-zone`
 * (ldnsutils). Used by packages/dnssec's tests on the signer's output and by apps/api's DNSSEC
 * end-to-end tests on the zone a server serves. A missing binary rejects (fails the test, never skips):
 * scripts/install-test-peers.sh installs all three.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCommand } from "./run-command.js";

export type ZoneValidator = "dnssec-verify" | "kzonecheck" | "ldns-verify-zone";

export const ZONE_VALIDATORS: readonly ZoneValidator[] = ["dnssec-verify", "kzonecheck", "ldns-verify-zone"];

export interface ZoneValidatorResult {
  tool: ZoneValidator;
  /** 0 when the tool accepted the zone. */
  code: number | null;
  output: string;
}

export interface VerifyZoneOptions {
  /** Validate as at this time (seconds since the epoch); kzonecheck only (`-t`), the others use now. */
  at?: number;
  /** Which validators to run; default all three. */
  tools?: readonly ZoneValidator[];
}

/** Runs the validators on `text`, the zone `origin` (absolute, with the trailing dot). */
export async function verifySignedZone(
  text: string,
  origin: string,
  options: VerifyZoneOptions = {},
): Promise<ZoneValidatorResult[]> {
  if (!origin.endsWith(".")) throw new Error(`verifySignedZone: origin must be absolute, got "${origin}"`);
  const dir = await mkdtemp(join(tmpdir(), "dnscove-zone-verify-"));
  try {
    const file = join(dir, "zone.db");
    await writeFile(file, text);
    const bare = origin === "." ? "." : origin.slice(0, -1);
    const at = options.at;
    const args: Record<ZoneValidator, string[]> = {
      "dnssec-verify": ["-o", bare, file],
      kzonecheck: ["-o", origin, "-d", "on", ...(at === undefined ? [] : ["-t", String(at)]), file],
      "ldns-verify-zone": ["-V", "2", file],
    };
    const results: ZoneValidatorResult[] = [];
    for (const tool of options.tools ?? ZONE_VALIDATORS) {
      const r = await runCommand(tool, args[tool]);
      results.push({ tool, code: r.code, output: `${r.stdout}\n${r.stderr}`.trim() });
    }
    return results;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
