import type { Mailer } from "../domain/ports.js";

/** Sends nothing: the API returns the link to the caller instead (development only). */
export function createDevelopmentMailer(): Mailer {
  return { kind: "development", sendMagicLink: async () => undefined };
}
