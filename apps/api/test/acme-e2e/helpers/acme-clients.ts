import { accessSync, chmodSync, constants, existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { EDGE_PORT } from "./api-process.js";
import type { AcmeEnvironment, ChallengeWatcher, TestZone } from "./environment.js";
import { baseEnv, type ChildEnv, type RunResult } from "./processes.js";

/** The dnscove CLI (packages/cli, built to dist/main.js). */
export const CLI_MAIN = fileURLToPath(new URL("../../../../../packages/cli/dist/main.js", import.meta.url));

export function cliBuilt(): boolean {
  return existsSync(CLI_MAIN);
}

/** Fails loudly when the CLI has not been built. */
export function requireCli(): string {
  if (!cliBuilt()) {
    throw new Error(
      `the dnscove CLI is not built: ${CLI_MAIN} is missing (pnpm --filter @dnscove/cli build)`,
    );
  }
  return CLI_MAIN;
}

/** A hook executable for lego (EXEC_PATH) and certbot: `node packages/cli/dist/main.js "$@"`. */
export function writeCliWrapper(dir: string): string {
  const cli = requireCli();
  const wrapper = path.join(dir, "dnscove-hook.sh");
  writeFileSync(wrapper, `#!/bin/sh\nexec '${process.execPath}' '${cli}' "$@"\n`);
  chmodSync(wrapper, 0o755);
  accessSync(wrapper, constants.X_OK);
  return wrapper;
}

export interface ClientRun extends RunResult {
  /** The leaf (possibly followed by the chain) and the chain file for `openssl verify -untrusted`. */
  leafFile: string;
  chainFile: string;
  log: string;
}

export interface WatchedLegoRun {
  run: ClientRun;
  /** The challenge TXT values seen while lego ran. */
  watched: Awaited<ReturnType<ChallengeWatcher["stop"]>>;
  /** The API's request log lines written while lego ran. */
  requests: ReturnType<AcmeEnvironment["requestLog"]>;
}

/**
 * `lego run` inside the namespace for `domains`, against pebble. Propagation checks ask only the
 * edge (`--dns.resolvers 127.0.0.1:53`) and are disabled (`--dns.disable-cp`): the API publishes
 * before it answers, so pebble is asked to validate right after the present call returns.
 */
export function runLego(
  env: AcmeEnvironment,
  zone: TestZone,
  provider: "httpreq" | "exec" | "rfc2136",
  providerEnv: ChildEnv,
  label: string,
): Promise<ClientRun> {
  return runLegoOnce(env, zone, provider, providerEnv, label);
}

/**
 * `runLego` while watching the zone's challenge rrset and the API's request log.
 *
 * One retry, only when pebble stalled after every DNS-01 validation had succeeded: pebble has a
 * history of order-lock stalls while issuing (letsencrypt/pebble#38, #440), and one was seen in
 * CI on a loaded machine. Our part (present, publish, answer, clean up) is over by then; a
 * failure anywhere before it still fails the test. The answer describes the last attempt.
 */
export async function runLegoWatched(
  env: AcmeEnvironment,
  zone: TestZone,
  provider: "httpreq" | "exec" | "rfc2136",
  providerEnv: ChildEnv,
  label: string,
): Promise<WatchedLegoRun> {
  const attempt = async (attemptLabel: string): Promise<WatchedLegoRun> => {
    const mark = env.logMark();
    const watcher = env.watchChallenge(zone);
    const run = await runLegoOnce(env, zone, provider, providerEnv, attemptLabel);
    return { run, watched: await watcher.stop(), requests: env.requestLog(mark) };
  };
  const first = await attempt(label);
  if (first.run.code === 0 || !stalledInIssuance(first.run)) return first;
  const second = await attempt(`${label}-retry`);
  const log = `${first.run.log}\n=== pebble stalled after validation; retried once\n${second.run.log}`;
  return { ...second, run: { ...second.run, log } };
}

function stalledInIssuance(run: RunResult): boolean {
  const output = `${run.stdout}\n${run.stderr}`;
  return (
    output.includes("Validations succeeded; requesting certificates") &&
    output.includes("timeout awaiting response headers")
  );
}

async function runLegoOnce(
  env: AcmeEnvironment,
  zone: TestZone,
  provider: "httpreq" | "exec" | "rfc2136",
  providerEnv: ChildEnv,
  label: string,
): Promise<ClientRun> {
  const legoPath = env.dir(`lego-${label}`);
  const domains = [zone.origin, `*.${zone.origin}`];
  const args = [
    "--server",
    env.pebble.directory,
    "--accept-tos",
    "--email",
    `lego-${label}@example.test`,
    "--path",
    legoPath,
    "--key-type",
    "ec256",
    "--dns",
    provider,
    "--dns.resolvers",
    `127.0.0.1:${EDGE_PORT}`,
    "--dns.disable-cp",
    ...domains.flatMap((d) => ["-d", d]),
    "run",
  ];
  const result = await env.ns.run("lego", args, {
    env: baseEnv({ HOME: legoPath, LEGO_CA_CERTIFICATES: env.pebble.tlsCaFile, ...providerEnv }),
    timeoutMs: 110_000,
  });
  const log = `$ lego ${args.join(" ")}\n(exit ${result.code ?? result.signal} after ${result.ms} ms)\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`;
  return {
    ...result,
    leafFile: path.join(legoPath, "certificates", `${zone.origin}.crt`),
    chainFile: path.join(legoPath, "certificates", `${zone.origin}.issuer.crt`),
    log,
  };
}

/**
 * certbot inside the namespace: `--manual` with the dnscove CLI as the auth and cleanup hooks, or
 * (`rfc2136`: the path of a credentials file) Debian's `python3-certbot-dns-rfc2136` plugin.
 */
export async function runCertbot(
  env: AcmeEnvironment,
  zone: TestZone,
  wrapper: string,
  label: string,
  rfc2136?: string,
): Promise<ClientRun> {
  const base = env.dir(`certbot-${label}`);
  const certName = `acme-e2e-${label}`;
  const args = [
    "certonly",
    "--non-interactive",
    "--agree-tos",
    "-m",
    `certbot-${label}@example.test`,
    "--server",
    env.pebble.directory,
    "--config-dir",
    path.join(base, "config"),
    "--work-dir",
    path.join(base, "work"),
    "--logs-dir",
    path.join(base, "logs"),
    ...(rfc2136
      ? ["--dns-rfc2136", "--dns-rfc2136-credentials", rfc2136, "--dns-rfc2136-propagation-seconds", "1"]
      : [
          "--manual",
          "--preferred-challenges",
          "dns",
          "--manual-auth-hook",
          `${wrapper} certbot-auth`,
          "--manual-cleanup-hook",
          `${wrapper} certbot-cleanup`,
        ]),
    "--key-type",
    "ecdsa",
    "-d",
    zone.origin,
    "-d",
    `*.${zone.origin}`,
    "--cert-name",
    certName,
  ];
  const result = await env.ns.run("certbot", args, {
    env: baseEnv({
      HOME: base,
      REQUESTS_CA_BUNDLE: env.pebble.tlsCaFile,
      DNSCOVE_API: env.api.innerUrl,
      DNSCOVE_TOKEN: zone.acmeToken,
    }),
    timeoutMs: 110_000,
  });
  const log = `$ certbot ${args.join(" ")}\n(exit ${result.code ?? result.signal} after ${result.ms} ms)\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`;
  const live = path.join(base, "config", "live", certName);
  return { ...result, leafFile: path.join(live, "cert.pem"), chainFile: path.join(live, "chain.pem"), log };
}
