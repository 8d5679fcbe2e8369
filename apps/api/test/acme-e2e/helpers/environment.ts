import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { ApiInNetns } from "@dnscove/testkit";
import { afterAll, beforeAll } from "vitest";
import { EDGE_PORT, startAcmeApi } from "./api-process.js";
import { createNetns, type Netns } from "./netns.js";
import { type Pebble, startPebble } from "./pebble.js";
import { baseEnv } from "./processes.js";
import { requireTools } from "./tools.js";

export interface RRset {
  name: string;
  type: string;
  ttl: number;
  records: string[];
}

export interface TestZone {
  id: string;
  origin: string;
  /** `_acme-challenge.<origin>.` */
  challengeName: string;
  /** A fresh `acme-dns01` token bound to this zone: the only credential the ACME client gets. */
  acmeToken: string;
}

export interface AcmeEnvironment {
  ns: Netns;
  api: ApiInNetns;
  pebble: Pebble;
  workDir: string;
  session: string;
  /** A second zone of the same tenant: no ACME token may touch it. */
  bystander: TestZone;
  createZone(origin: string): Promise<TestZone>;
  /** A fresh directory under the work directory. */
  dir(name: string): string;
  rrsets(zone: TestZone): Promise<RRset[]>;
  /** Polls the zone's rrsets while an ACME client runs; records every challenge value and the most seen at once. */
  watchChallenge(zone: TestZone): ChallengeWatcher;
  /** The API's request log lines (method, path, status) from `since` on. */
  requestLog(since?: number): Array<{ method: string; path: string; status: number }>;
  /** Current length of the API's output, to slice the request log per test. */
  logMark(): number;
  /** dig from inside the namespace against the edge. */
  dig(name: string, type: string): Promise<string>;
  close(): Promise<void>;
}

export interface ChallengeWatcher {
  stop(): Promise<{ everSeen: string[]; mostAtOnce: string[]; samples: number }>;
}

/**
 * One network namespace holding the real embedded-default API (edge on 127.0.0.1:53) and pebble
 * (validating against that edge only), plus a signed-in tenant. Throws if a peer is missing.
 */
export async function startAcmeEnvironment(label: string): Promise<AcmeEnvironment> {
  requireTools();
  const workDir = mkdtempSync(path.join(os.tmpdir(), `dnscove-acme-e2e-${label}-`));
  const ns = await createNetns(label);
  let api: ApiInNetns | undefined;
  let pebble: Pebble | undefined;
  const close = async () => {
    await pebble?.stop();
    await api?.stop();
    await ns.destroy();
    rmSync(workDir, { recursive: true, force: true });
  };
  try {
    api = await startAcmeApi(ns);
    const pebbleDir = path.join(workDir, "pebble");
    mkdirSync(pebbleDir);
    pebble = await startPebble(ns, pebbleDir, `127.0.0.1:${EDGE_PORT}`);
    const session = await api.signIn(`acme-${label}@example.test`);
    const started = api;

    const createZone = async (origin: string): Promise<TestZone> => {
      const zone = await started.call("POST", "/api/zones", {
        bearer: session,
        body: { origin },
      });
      const id = (zone.body as { id?: string }).id;
      if (zone.status !== 201 || !id)
        throw new Error(`create zone ${origin}: ${zone.status} ${JSON.stringify(zone.body)}`);
      const token = await started.call("POST", `/api/zones/${id}/tokens`, {
        bearer: session,
        body: { scope: "acme-dns01", name: `acme-e2e ${label}` },
      });
      const acmeToken = (token.body as { token?: string; scope?: string }).token;
      if (token.status !== 201 || !acmeToken || (token.body as { scope?: string }).scope !== "acme-dns01")
        throw new Error(`mint token: ${token.status} ${JSON.stringify(token.body)}`);
      return { id, origin, challengeName: `_acme-challenge.${origin}.`, acmeToken };
    };
    const rrsets = async (zone: TestZone): Promise<RRset[]> => {
      const res = await started.call("GET", `/api/zones/${zone.id}/rrsets`, { bearer: session });
      if (res.status !== 200) throw new Error(`list rrsets: ${res.status} ${JSON.stringify(res.body)}`);
      return (res.body as { rrsets: RRset[] }).rrsets;
    };
    const bystander = await createZone(`bystander-${label}.acme-e2e.test`);

    return {
      ns,
      api,
      pebble,
      workDir,
      session,
      bystander,
      createZone,
      dir(name) {
        const dir = path.join(workDir, name);
        mkdirSync(dir, { recursive: true });
        return dir;
      },
      rrsets,
      watchChallenge(zone) {
        const everSeen = new Set<string>();
        let mostAtOnce: string[] = [];
        let samples = 0;
        let running = true;
        const loop = (async () => {
          while (running) {
            try {
              const txt = (await rrsets(zone)).find((r) => r.name === zone.challengeName && r.type === "TXT");
              const values = txt?.records ?? [];
              for (const v of values) everSeen.add(v);
              if (values.length > mostAtOnce.length) mostAtOnce = [...values];
              samples++;
            } catch {
              // the API is busy or going away; try again
            }
            await new Promise((resolve) => setTimeout(resolve, 20));
          }
        })();
        return {
          async stop() {
            running = false;
            await loop;
            return { everSeen: [...everSeen].sort(), mostAtOnce: [...mostAtOnce].sort(), samples };
          },
        };
      },
      logMark: () => started.output().length,
      requestLog(since = 0) {
        const lines: Array<{ method: string; path: string; status: number }> = [];
        for (const line of started.output().slice(since).split("\n")) {
          if (!line.startsWith("{")) continue;
          try {
            const entry = JSON.parse(line) as {
              msg?: string;
              method?: string;
              path?: string;
              status?: number;
            };
            if (entry.msg === "request" && entry.method && entry.path && entry.status !== undefined)
              lines.push({ method: entry.method, path: entry.path, status: entry.status });
          } catch {
            // not a log line
          }
        }
        return lines;
      },
      async dig(name, type) {
        const result = await ns.run(
          "dig",
          ["@127.0.0.1", "-p", String(EDGE_PORT), name, type, "+norec", "+time=2", "+tries=1"],
          { env: baseEnv() },
        );
        return result.stdout;
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * Registers beforeAll/afterAll for one environment per test file. A setup failure (a missing
 * peer, a namespace that cannot be made) is rethrown by every test, so each one shows as FAILED,
 * never as skipped.
 */
export function useAcmeEnvironment(
  label: string,
  prepare: (env: AcmeEnvironment) => void | Promise<void> = () => {},
): () => AcmeEnvironment {
  let env: AcmeEnvironment | undefined;
  let setupError: unknown;
  beforeAll(async () => {
    try {
      env = await startAcmeEnvironment(label);
      await prepare(env);
    } catch (error) {
      setupError = error;
    }
  }, 90_000);
  afterAll(async () => {
    await env?.close();
  }, 30_000);
  return () => {
    if (setupError !== undefined) throw setupError;
    if (!env) throw new Error("the ACME environment was not started");
    return env;
  };
}
