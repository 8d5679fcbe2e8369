/**
 * The world a Route53 migration happens in, built on the dns-checks hierarchy (NSD root at
 * 127.0.0.10, Knot "test." at 127.0.0.11, unbound at 127.0.0.1:53, all in a private network
 * namespace):
 *   - the parent "test." holds the glue of both providers' nameservers and the delegation of the
 *     migrated zone, which `setDelegation` rewrites (zone file + `knotc zone-reload`);
 *   - the old provider is NSD on 127.0.0.30 (ns1.oldprovider.test.) and 127.0.0.31
 *     (ns2.oldprovider.test.), serving the zone from a file `serveAtOldProvider` rewrites (SIGHUP);
 *   - our side is the real API's embedded edge on 127.0.0.20:53 (ns1 and ns2.dnscove.test.), started
 *     separately (hierarchy-api-env.ts, started by @dnscove/testkit startApiInNetns).
 * Every change is waited for (the new SOA serial on every server concerned) before it returns.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import {
  type Hierarchy,
  PARENT_ADDRESS,
  startHierarchy,
  zoneText,
} from "../../dns-checks/helpers/hierarchy.js";
import { runOk } from "../../dns-checks/helpers/netns.js";

export const OUR_EDGE = { host: "127.0.0.20", port: 53 } as const;
export const OLD_ADDRESSES = ["127.0.0.30", "127.0.0.31"] as const;
/** Absolute names, as the parent lists them. */
export const OURS = ["ns1.dnscove.test.", "ns2.dnscove.test."] as const;
export const OLD = ["ns1.oldprovider.test.", "ns2.oldprovider.test."] as const;
/** How the API shows names: without the trailing dot. */
export const bare = (names: readonly string[]) => names.map((n) => n.replace(/\.$/, ""));

export interface Rrset {
  name: string;
  type: string;
  ttl: number;
  records: string[];
}

/** Where hierarchy.ts puts the files of a server it started (`<dir>/<server name>/...`). */
const PARENT_SERVER = "parent";
const OLD_SERVER = "old";
const zoneFile = (dir: string, server: string, origin: string) =>
  path.join(dir, server, "zones", `${origin.replace(/\.$/, "")}.zone`);

function parentZoneText(serial: number, delegations: ReadonlyMap<string, readonly string[]>): string {
  return zoneText("test.", [
    `test. IN SOA ns1.nic.test. hostmaster.nic.test. ${serial} 1800 900 604800 60`,
    "test. IN NS ns1.nic.test.",
    `ns1.nic.test. IN A ${PARENT_ADDRESS}`,
    // Both of our names point at the one embedded edge (DNS_HOST takes one address).
    `ns1.dnscove.test. IN A ${OUR_EDGE.host}`,
    `ns2.dnscove.test. IN A ${OUR_EDGE.host}`,
    `ns1.oldprovider.test. IN A ${OLD_ADDRESSES[0]}`,
    `ns2.oldprovider.test. IN A ${OLD_ADDRESSES[1]}`,
    ...[...delegations].flatMap(([origin, targets]) => targets.map((t) => `${origin}. IN NS ${t}`)),
  ]);
}

/** The old provider's zone file: its own SOA and apex NS, then the rrsets as given. */
export function oldProviderZoneText(
  origin: string,
  serial: number,
  rrsets: readonly Rrset[],
  extraLines: readonly string[] = [],
): string {
  const apex = `${origin}.`;
  return zoneText(apex, [
    `${apex} 900 IN SOA ns1.oldprovider.test. hostmaster.oldprovider.test. ${serial} 7200 900 1209600 86400`,
    ...OLD.map((n) => `${apex} 172800 IN NS ${n}`),
    ...rrsets.flatMap((r) => r.records.map((record) => `${r.name} ${r.ttl} IN ${r.type} ${record}`)),
    ...extraLines,
  ]);
}

export interface MigrationWorld {
  h: Hierarchy;
  /** Makes the parent delegate `origin` (no trailing dot) to `nameservers`; [] removes the delegation. */
  setDelegation(origin: string, nameservers: readonly string[]): Promise<void>;
  /** Makes the old provider serve `rrsets` (plus `extraLines`) for the origin it was started with. */
  serveAtOldProvider(rrsets: readonly Rrset[], extraLines?: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

async function waitForSerial(h: Hierarchy, address: string, zone: string, serial: number): Promise<void> {
  const deadline = Date.now() + 15_000;
  let last = "";
  while (Date.now() < deadline) {
    last = (await h.dig([`@${address}`, zone, "SOA", "+norec", "+short", "+time=1", "+tries=1"])).trim();
    if (last.split(/\s+/)[2] === String(serial)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${address} did not serve ${zone} at serial ${serial} within 15 s (last SOA: "${last}")`);
}

export async function startMigrationWorld(options: {
  label: string;
  /** The migrated zone, without the trailing dot. */
  origin: string;
  /** The parent's delegation of `origin` at the start. */
  delegation: readonly string[];
  oldRrsets: readonly Rrset[];
  oldExtraLines?: readonly string[];
}): Promise<MigrationWorld> {
  const delegations = new Map<string, readonly string[]>([[options.origin, options.delegation]]);
  let parentSerial = 1;
  let oldSerial = 1;
  const h = await startHierarchy({
    label: options.label,
    parentZones: [{ origin: "test.", text: parentZoneText(parentSerial, delegations) }],
    servers: [
      {
        kind: "nsd",
        name: OLD_SERVER,
        addresses: [...OLD_ADDRESSES],
        zones: [
          {
            origin: `${options.origin}.`,
            text: oldProviderZoneText(options.origin, oldSerial, options.oldRrsets, options.oldExtraLines),
          },
        ],
      },
    ],
  });
  const parentFile = zoneFile(h.dir, PARENT_SERVER, "test.");
  const oldFile = zoneFile(h.dir, OLD_SERVER, options.origin);
  // Fail at once, not at the first change, if hierarchy.ts ever lays its files out differently.
  readFileSync(parentFile);
  readFileSync(oldFile);

  return {
    h,
    async setDelegation(origin, nameservers) {
      if (nameservers.length === 0) delegations.delete(origin);
      else delegations.set(origin, nameservers);
      parentSerial++;
      writeFileSync(parentFile, parentZoneText(parentSerial, delegations));
      // The control socket is a Unix socket: knotc reaches it from outside the namespace.
      await runOk("knotc", [
        "-s",
        path.join(h.dir, PARENT_SERVER, "run", "knot.sock"),
        "zone-reload",
        "test.",
      ]);
      await waitForSerial(h, PARENT_ADDRESS, "test.", parentSerial);
    },
    async serveAtOldProvider(rrsets, extraLines = []) {
      oldSerial++;
      writeFileSync(oldFile, oldProviderZoneText(options.origin, oldSerial, rrsets, extraLines));
      // NSD (started by the hierarchy, in the foreground) rereads changed zone files on SIGHUP.
      const pid = Number(readFileSync(path.join(h.dir, OLD_SERVER, "nsd.pid"), "utf8").trim());
      if (!Number.isInteger(pid) || pid <= 1) throw new Error(`bad NSD pid file: ${pid}`);
      process.kill(pid, "SIGHUP");
      for (const address of OLD_ADDRESSES) await waitForSerial(h, address, options.origin, oldSerial);
    },
    close: () => h.close(),
  };
}
