/**
 * The real API (the embedded default: API + edge on 127.0.0.20:53) inside the signed world's
 * namespace (signed-world.ts), with a Knot (127.0.0.41) and an NSD (127.0.0.42) secondary fed by
 * the edge's NOTIFY + IXFR/AXFR, and one zone the API signs at publish. The parent delegates the
 * zone with the DS `GET /api/zones/{id}/dnssec` shows, to all three servers or to one alone.
 *
 * The dnssec job's waits are hours (the DNSKEY TTL, the parent's DS TTL); `maintain` takes one of
 * its steps from this process against the API's own SQLite database (as a second API process
 * would: the edge picks the publish up by polling), after `ago` moved the stored timestamps back,
 * the way test/dnssec.test.ts drives the job. The parent's DS is asked from the parent's server
 * inside the namespace (dig), because this process is outside it.
 */
import { type OpenDatabase, openDatabase, parseDatabaseUrl } from "@dnscove/db";
import { type ApiInNetns, freePort, startApiInNetns } from "@dnscove/testkit";
import { expect } from "vitest";
import { createServices } from "../../../src/app.js";
import { loadConfig } from "../../../src/config.js";
import { createDnsChecks } from "../../../src/dns-checks/create-dns-checks.js";
import { dnsCheckConfig } from "../../../src/dns-checks/types.js";
import {
  type MaintenanceStep,
  maintainDnssec,
  type ParentDs,
} from "../../../src/domain/dnssec/maintain-dnssec.js";
import type { Services } from "../../../src/domain/services.js";
import { createLogger } from "../../../src/lib/logger.js";
import { createDevelopmentMailer } from "../../../src/mail/development-mailer.js";
import { domainSettings } from "../../../src/settings.js";
import { PARENT_ADDRESS, RESOLVER } from "../../dns-checks/helpers/hierarchy.js";
import { hierarchyApiEnv } from "../../migration-e2e/helpers/hierarchy-api-env.js";
import { type Delegation, type SignedWorld, startSignedWorld } from "./signed-world.js";

export const EDGE = { name: "edge", host: "127.0.0.20", port: 53 } as const;
export const KNOT = { kind: "knot", name: "sec-knot", address: "127.0.0.41" } as const;
export const NSD = { kind: "nsd", name: "sec-nsd", address: "127.0.0.42" } as const;
/** The zone's apex NS (DNSCOVE_NAMESERVERS): ns1 is the edge, ns2 the two secondaries. */
export const NAMESERVERS = ["ns1.dnscove.test.", "ns2.dnscove.test."] as const;
export const SERVERS = [EDGE.host, KNOT.address, NSD.address] as const;

export type Rrset = { name: string; type: string; ttl?: number; records: string[] };

export interface ApiSignedZone {
  world: SignedWorld;
  api: ApiInNetns;
  origin: string;
  zoneId: string;
  call(method: string, path: string, body?: unknown): Promise<Record<string, unknown>>;
  /** Upserts (records given) or deletes (records: []) rrsets in one batch, then publishes and settles. */
  change(rrsets: readonly Rrset[]): Promise<number>;
  /** Waits for the edge's serial on both secondaries and flushes the resolver; answers the serial. */
  settle(): Promise<number>;
  /** The DS RDATA lines `GET …/dnssec` shows ("<tag> <alg> <digest type> <hex>"). */
  dsFromApi(): Promise<string[]>;
  dnssec(): Promise<Record<string, unknown>>;
  /** Delegates the zone from the parent to the given servers (default: all three), with `ds`. */
  delegate(ds: readonly string[], servers?: readonly string[]): Promise<void>;
  /** One step of the dnssec job, from this process (see the file comment). */
  maintain(): Promise<MaintenanceStep>;
  /** The API's database, for moving the job's timestamps back; `clock` is what `maintain` signs at. */
  services: Services;
  /** Moves the clock `maintain` (and its publish) uses by `seconds`; `reset` puts it back to now. */
  clock: { shift(seconds: number): void; reset(): void };
  axfr(address: string): Promise<string>;
  close(): Promise<void>;
}

/** The delegation to the given server addresses (edge → ns1, a secondary → ns2). */
function delegation(servers: readonly string[], ds: readonly string[]): Delegation {
  const edge = servers.filter((s) => s === EDGE.host);
  const secondaries = servers.filter((s) => s !== EDGE.host);
  return {
    nameservers: [...(edge.length ? [NAMESERVERS[0]] : []), ...(secondaries.length ? [NAMESERVERS[1]] : [])],
    glue: {
      ...(edge.length ? { [NAMESERVERS[0]]: edge } : {}),
      ...(secondaries.length ? { [NAMESERVERS[1]]: secondaries } : {}),
    },
    ds,
  };
}

/** dig's DS line → "<tag> <alg> <digest type> <HEX>" (dig splits long digests with a space). */
function dsRdata(line: string): string {
  const [tag, alg, digestType, ...digest] = (line.split(/\s+IN\s+DS\s+/)[1] ?? "").trim().split(/\s+/);
  return `${tag} ${alg} ${digestType} ${digest.join("").toUpperCase()}`;
}

/** What the parent's server answers for the zone's DS (authoritative, no recursion). */
async function parentDs(world: SignedWorld, origin: string): Promise<ParentDs> {
  const out = await world.h.dig([`@${PARENT_ADDRESS}`, origin, "DS", "+norec", "+noall", "+answer"]);
  const lines = out
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => /\sIN\s+DS\s/.test(l));
  return { records: lines.map(dsRdata), ttl: lines.length ? Number(lines[0]?.split(/\s+/)[1]) : 3600 };
}

export async function startApiSignedZone(options: {
  label: string;
  origin: string;
  rrsets: readonly Rrset[];
  algorithm?: "ECDSAP256SHA256" | "ED25519";
}): Promise<ApiSignedZone> {
  const { origin } = options;
  const world = await startSignedWorld({ label: options.label });
  const env = {
    ...hierarchyApiEnv({ edge: EDGE, nameservers: NAMESERVERS, resolver: RESOLVER }),
    DNSCOVE_SECONDARIES: [KNOT, NSD].map((s) => `${s.address}:53`).join(","),
    // The rollover waits are the DNSKEY TTL and the parent's DS TTL alone (the timestamps are moved).
    DNSCOVE_DNSSEC_PROPAGATION_SECONDS: "0",
  };
  let api: ApiInNetns | undefined;
  let database: OpenDatabase | undefined;
  try {
    api = await startApiInNetns({ netns: world.h.ns.name, env });
    const running = api;
    const token = await running.signIn(`${options.label}@example.test`);
    const call = async (method: string, path: string, body?: unknown) => {
      const response = await running.call(method, path, {
        bearer: token,
        ...(body === undefined ? {} : { body }),
      });
      expect(response.status, `${method} ${path}: ${JSON.stringify(response.body)}`).toBeLessThan(300);
      return response.body as Record<string, unknown>;
    };
    const created = await call("POST", "/api/zones", { origin: origin.slice(0, -1) });
    const zoneId = ((created.zone as { id?: string } | undefined)?.id ?? created.id) as string;

    // The API's own settings (loadConfig of the same environment) and its database file: a publish
    // from here signs exactly what the API process would (the same SOA, NS and key secret).
    const config = loadConfig({ ...env, DNSCOVE_DATA_DIR: running.dataDir });
    database = await openDatabase(parseDatabaseUrl(config.databaseUrl, config.dataDir));
    let offset = 0;
    const clock = {
      now: () => new Date(Date.now() + offset),
      shift(seconds: number) {
        offset += seconds * 1000;
      },
      reset() {
        offset = 0;
      },
    };
    const silent = { host: "127.0.0.1", port: await freePort() };
    const services = createServices({
      db: database.db,
      logger: createLogger({ level: "warn" }),
      mailer: createDevelopmentMailer(),
      settings: domainSettings(config),
      clock,
      edges: { snapshotsChanged: async () => undefined, awaitServing: async () => null },
      dnsChecks: createDnsChecks(
        dnsCheckConfig({ resolver: silent, authoritativePort: silent.port, timeoutMs: 200, maxQueries: 4 }),
        silent,
      ),
    });

    const edgeSerial = async () => {
      const soa = (await world.h.dig([`@${EDGE.host}`, origin, "SOA", "+short", "+norec"])).trim();
      const serial = Number(soa.split(/\s+/)[2]);
      if (!Number.isInteger(serial)) throw new Error(`no SOA from the edge for ${origin}: ${soa}`);
      return serial;
    };
    const settle = async () => {
      const zone = await services.db.zone.findUniqueOrThrow({ where: { id: zoneId } });
      for (const address of SERVERS)
        await world.h.waitForSerial(address, origin, zone.publishedSerial, 60_000);
      await world.h.flushResolver();
      return edgeSerial();
    };
    const write = async (rrsets: readonly Rrset[]) => {
      await call("POST", `/api/zones/${zoneId}/rrsets`, {
        changes: rrsets.map((r) =>
          r.records.length === 0
            ? { action: "DELETE", name: r.name, type: r.type }
            : { action: "UPSERT", name: r.name, type: r.type, ttl: r.ttl ?? 300, records: r.records },
        ),
      });
      await call("POST", `/api/zones/${zoneId}/publish`);
    };
    const change = async (rrsets: readonly Rrset[]) => {
      await write(rrsets);
      return settle();
    };
    const dnssec = () => call("GET", `/api/zones/${zoneId}/dnssec`);
    const dsFromApi = async () =>
      ((await dnssec()).ds as string[]).map((line) => line.split(" IN DS ")[1] as string);

    await write(options.rrsets);
    await call("PUT", `/api/zones/${zoneId}/dnssec`, {
      enabled: true,
      algorithm: options.algorithm ?? "ECDSAP256SHA256",
    });
    for (const s of [KNOT, NSD])
      await world.h.addServer({
        kind: s.kind,
        name: s.name,
        addresses: [s.address],
        zones: [{ origin, primary: { host: EDGE.host, port: EDGE.port } }],
      });
    await settle();
    const delegate = (ds: readonly string[], servers: readonly string[] = SERVERS) =>
      world.delegateChild(origin, delegation(servers, ds));
    await delegate(await dsFromApi());

    const opened = database;
    return {
      world,
      api: running,
      origin,
      zoneId,
      call,
      change,
      settle,
      dsFromApi,
      dnssec,
      delegate,
      maintain: () => maintainDnssec(services, zoneId, (o) => parentDs(world, o)),
      services,
      clock,
      axfr: (address) => world.h.dig([`@${address}`, origin, "AXFR", "+onesoa", "+nocmd", "+nostats"]),
      async close() {
        await opened.close();
        await running.stop();
        await world.close();
      },
    };
  } catch (error) {
    await database?.close();
    await api?.stop();
    await world.close();
    throw error;
  }
}
