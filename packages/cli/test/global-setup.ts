import { apiGlobalSetup } from "@dnscove/testkit";

declare module "vitest" {
  export interface ProvidedContext {
    /** Base URL of the API started for this run, e.g. http://127.0.0.1:41234 */
    apiUrl: string;
  }
}

// One real API (with its embedded edge) for the run. The tests run the CLI from dist: turbo builds
// it and the API before `test` (turbo.json).
export default apiGlobalSetup();
