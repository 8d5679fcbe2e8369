import { apiGlobalSetup } from "@dnscove/testkit";

declare module "vitest" {
  export interface ProvidedContext {
    /** Base URL of the real API started for this run, e.g. http://127.0.0.1:41234 */
    apiUrl: string;
  }
}

// One real API (with its embedded edge) for the run; turbo builds it and the SDK the lambda
// imports before `test` (turbo.json).
export default apiGlobalSetup();
