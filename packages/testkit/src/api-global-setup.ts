import { type StartApiOptions, startApiProcess } from "./api-process.js";

/** The part of vitest's TestProject a global setup uses (testkit does not depend on vitest). */
export interface ApiGlobalSetupProject {
  provide(key: "apiUrl", value: string): void;
}

/**
 * A vitest global setup that starts one real API process (this checkout's build, embedded edge,
 * development mailer) for the whole run and provides its base URL as `apiUrl`
 * (`inject("apiUrl")`); the teardown stops it. Turbo builds the API before `test`, so nothing is
 * built here. Use as `export default apiGlobalSetup();` in the package's global-setup.ts, which
 * declares `apiUrl: string` in vitest's ProvidedContext.
 */
export function apiGlobalSetup(
  env: Record<string, string> = {},
  options: StartApiOptions = {},
): (project: ApiGlobalSetupProject) => Promise<() => Promise<void>> {
  return async (project) => {
    const api = await startApiProcess(undefined, env, options);
    project.provide("apiUrl", api.url);
    return api.stop;
  };
}
