import { DnscoveApiError, describeError } from "@dnscove/sdk";
import { CliError, EXIT_API } from "./errors.js";

/**
 * Awaits a write that may meet the API's mass-delete brake (409 MASS_DELETE), and turns that
 * refusal into the API's message plus how to go ahead from the command line.
 */
export async function withMassDeleteHint<T>(write: Promise<T>): Promise<T> {
  try {
    return await write;
  } catch (error) {
    if (error instanceof DnscoveApiError && error.code === "MASS_DELETE") {
      throw new CliError(
        `${describeError(error)}\nhint: nothing was written; re-run with --confirm-mass-delete to go ahead`,
        EXIT_API,
      );
    }
    throw error;
  }
}
