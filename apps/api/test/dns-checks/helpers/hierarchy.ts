/**
 * A real DNS hierarchy inside a private network namespace (after dns-harness.md section 3):
 *   127.0.0.10:53  NSD    root zone ".", delegating "test." to ns1.nic.test.
 *   127.0.0.11:53  Knot   the parent "test." (plus any zones a test wants on the same server)
 *   127.0.0.1:53   unbound, recursive through the fake root (the checks' config.resolver)
 * plus whatever authoritative servers (Knot or NSD, primaries from a zone text or secondaries fed by
 * AXFR/IXFR) and misbehaving fakes a test file adds, at the start or later (`addServer`).
 *
 * With `dnssec: true` the hierarchy is signed and the resolver validates (issue 16): the root and
 * every parent zone are signed by BIND's dnssec-signzone with keys made at start (dnssec-bind.ts;
 * the root with NSEC, the parent zones with NSEC3 per RFC 9276), the root holds the DS of "test.",
 * and unbound validates with the root's KSK as its only trust anchor (nothing from the machine).
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type BindSigner, createBindSigner, DNSSEC_TOOLS } from "./dnssec-bind.js";
import { createNetns, type Netns, requireTools, runOk } from "./netns.js";

export const ROOT_ADDRESS = "127.0.0.10";
export const PARENT_ADDRESS = "127.0.0.11";
export const RESOLVER = { host: "127.0.0.1", port: 53 } as const;

export const REQUIRED_TOOLS = ["ip", "knotd", "nsd", "unbound", "dig"] as const;

const RUNNER = fileURLToPath(new URL("./check-runner.mjs", import.meta.url));
const FAKES = fileURLToPath(new URL("./fake-dns-servers.mjs", import.meta.url));
/**
 * The checks as the API runs them: its build output, which turbo makes before `test`. The vitest
 * worker runs outside the namespace and a process cannot move itself into one (setns is not
 * reachable from Node), so check-runner.mjs imports this in a child `node` inside it.
 */
const DNS_CHECKS_DIST = fileURLToPath(new URL("../../../dist/src/dns-checks/", import.meta.url));

/** A zone the server loads from a file made of `text` (a primary). */
export interface ZoneSpec {
  /** Absolute, e.g. "test." */
  origin: string;
  text: string;
}

/** A zone the server transfers (AXFR/IXFR) from `primary` and follows by NOTIFY (a secondary). */
export interface SecondaryZoneSpec {
  /** Absolute, e.g. "signed.test." */
  origin: string;
  /** Inside the namespace, e.g. the API's edge { host: "127.0.0.20", port: 53 }. */
  primary: { host: string; port: number };
}

export interface AuthServerSpec {
  kind: "knot" | "nsd";
  /** Unique in the hierarchy; its files are in `<dir>/<name>/`. */
  name: string;
  addresses: string[];
  zones: Array<ZoneSpec | SecondaryZoneSpec>;
  /** Where a primary zone's NOTIFY goes when it changes (its secondaries). */
  notify?: Array<{ host: string; port: number }>;
}

export interface HierarchySpec {
  label: string;
  /** Zones of the Knot server at 127.0.0.11; must include "test.". */
  parentZones: ZoneSpec[];
  servers?: AuthServerSpec[];
  /** Arguments for fake-dns-servers.mjs, e.g. "blackhole=127.0.0.98". */
  fakes?: string[];
  /** Sign the root and the parent zones and make unbound validate (see the header). */
  dnssec?: boolean;
}

export interface Hierarchy {
  ns: Netns;
  dir: string;
  /** Runs check-runner.mjs inside the namespace with one request; returns its parsed output. */
  runCheck<T = unknown>(request: Record<string, unknown>): Promise<RunnerOutput<T>>;
  dig(args: string[]): Promise<string>;
  /**
   * Starts one more authoritative server in the namespace and waits until each of its addresses
   * answers for each of its zones (a secondary zone: once its first transfer is done).
   */
  addServer(spec: AuthServerSpec): Promise<void>;
  /**
   * Replaces a primary zone of a server this hierarchy started with `text` (Knot: `knotc
   * zone-reload`; NSD: SIGHUP) and waits until each of the server's addresses serves the serial of
   * the text's SOA (a one-line SOA record). Does not flush the resolver.
   */
  serveZone(server: string, origin: string, text: string): Promise<void>;
  /**
   * Replaces a zone of the parent Knot (127.0.0.11), e.g. "test.", with `text` (unsigned; with
   * `dnssec` signed here with that zone's keys), waits for its serial and flushes the resolver.
   */
  serveParentZone(origin: string, text: string): Promise<void>;
  /** Waits until `address` answers `origin`'s SOA (non-recursively) with `serial`. */
  waitForSerial(address: string, origin: string, serial: number, timeoutMs?: number): Promise<void>;
  /**
   * Empties every cache of the resolver (answers, negative answers, bogus marks, validated keys,
   * what it learned about servers), so the next question sees the servers as they are now.
   */
  flushResolver(): Promise<void>;
  /** Set when started with `dnssec: true`: the signer of the root and parent zones, and the root trust anchor. */
  dnssec?: BindSigner;
  close(): Promise<void>;
}

export interface RunnerOutput<T> {
  result?: T;
  error?: { name: string; kind?: string; message: string };
  thrown?: { name: string; message: string; stack: string };
  budgetUsed?: number;
  elapsedMs: number;
}

/** A zone file from absolute-name lines; "@" is not used so the text reads the same everywhere. */
export function zoneText(origin: string, lines: string[], ttl = 3600): string {
  return [`$ORIGIN ${origin}`, `$TTL ${ttl}`, ...lines, ""].join("\n");
}

const ROOT_LINES = [
  ". IN SOA a.root-servers.net. hostmaster.root. 1 1800 900 604800 60",
  ". IN NS a.root-servers.net.",
  `a.root-servers.net. IN A ${ROOT_ADDRESS}`,
  "test. IN NS ns1.nic.test.",
  `ns1.nic.test. IN A ${PARENT_ADDRESS}`,
];

function zoneFileName(origin: string): string {
  return origin === "." ? "root.zone" : `${origin.replace(/\.$/, "")}.zone`;
}

const isPrimary = (zone: ZoneSpec | SecondaryZoneSpec): zone is ZoneSpec => "text" in zone;

interface PlacedZone {
  origin: string;
  file: string;
  primary?: { host: string; port: number };
}

/** Writes the primary zones' files; a secondary zone gets the path its server keeps its copy at. */
function placeZones(dir: string, zones: Array<ZoneSpec | SecondaryZoneSpec>): PlacedZone[] {
  mkdirSync(dir, { recursive: true });
  return zones.map((zone) => {
    const file = path.join(dir, zoneFileName(zone.origin));
    if (isPrimary(zone)) {
      writeFileSync(file, zone.text);
      return { origin: zone.origin, file };
    }
    return { origin: zone.origin, file, primary: zone.primary };
  });
}

/** The SOA serial of a zone text with a one-line SOA record (what zoneText and the signers write). */
export function soaSerial(text: string): number {
  for (const line of text.split("\n")) {
    const m = /^\S+\s+(?:\d+\s+)?(?:IN\s+)?(?:\d+\s+)?SOA\s+\S+\s+\S+\s+(\d+)\s/.exec(line);
    if (m) return Number(m[1]);
  }
  throw new Error(`no one-line SOA record in the zone text:\n${text.slice(0, 500)}`);
}

function knotConfig(
  dir: string,
  addresses: string[],
  zones: PlacedZone[],
  notify: Array<{ host: string; port: number }>,
): string {
  mkdirSync(path.join(dir, "run"), { recursive: true });
  mkdirSync(path.join(dir, "db"), { recursive: true });
  const primaries = [
    ...new Set(zones.flatMap((z) => (z.primary ? [`${z.primary.host}@${z.primary.port}`] : []))),
  ];
  const remoteId = (address: string) => `primary${primaries.indexOf(address)}`;
  const remotes = [
    ...primaries.map((a) => [`  - id: ${remoteId(a)}`, `    address: ${a}`]),
    ...notify.map((n, i) => [`  - id: notify${i}`, `    address: ${n.host}@${n.port}`]),
  ].flat();
  return [
    "server:",
    `    rundir: "${dir}/run"`,
    `    listen: [ ${addresses.map((a) => `${a}@53`).join(", ")} ]`,
    "log:",
    `  - target: ${dir}/knot.log`,
    "    any: info",
    "database:",
    `    storage: "${dir}/db"`,
    ...(remotes.length > 0 ? ["remote:", ...remotes] : []),
    "acl:",
    // Loopback only exists in the namespace: anyone there may transfer, and NOTIFY a secondary.
    "  - id: loopback_transfer",
    "    address: 127.0.0.0/8",
    "    action: transfer",
    "  - id: loopback_notify",
    "    address: 127.0.0.0/8",
    "    action: notify",
    "template:",
    "  - id: default",
    "    zonefile-sync: -1",
    "    journal-content: none",
    "zone:",
    ...zones.flatMap((z) =>
      z.primary
        ? [
            `  - domain: "${z.origin}"`,
            `    file: "${z.file}"`,
            `    master: ${remoteId(`${z.primary.host}@${z.primary.port}`)}`,
            "    zonefile-load: none",
            "    acl: [loopback_notify, loopback_transfer]",
          ]
        : [
            `  - domain: "${z.origin}"`,
            `    file: "${z.file}"`,
            "    acl: [loopback_transfer]",
            ...(notify.length > 0 ? [`    notify: [${notify.map((_, i) => `notify${i}`).join(", ")}]`] : []),
          ],
    ),
    "",
  ].join("\n");
}

function nsdConfig(
  dir: string,
  addresses: string[],
  zones: PlacedZone[],
  notify: Array<{ host: string; port: number }>,
): string {
  return [
    "server:",
    ...addresses.map((a) => `    ip-address: ${a}@53`),
    '    username: ""',
    '    chroot: ""',
    `    zonesdir: "${dir}"`,
    '    database: ""',
    `    pidfile: "${dir}/nsd.pid"`,
    `    xfrdfile: "${dir}/xfrd.state"`,
    `    zonelistfile: "${dir}/zone.list"`,
    `    xfrdir: "${dir}"`,
    `    logfile: "${dir}/nsd.log"`,
    "    server-count: 1",
    "    do-ip6: no",
    // Debian builds NSD with response rate limiting (200 q/s per source, then truncated answers):
    // a resolver and dnsviz asking one server in bursts must not be slowed into retries.
    "    rrl-ratelimit: 0",
    "remote-control:",
    "    control-enable: no",
    ...zones.flatMap((z) => [
      "zone:",
      `    name: "${z.origin}"`,
      `    zonefile: "${z.file}"`,
      "    provide-xfr: 127.0.0.0/8 NOKEY",
      ...(z.primary
        ? [
            "    allow-notify: 127.0.0.0/8 NOKEY",
            `    request-xfr: ${z.primary.host}@${z.primary.port} NOKEY`,
          ]
        : notify.map((n) => `    notify: ${n.host}@${n.port} NOKEY`)),
    ]),
    "",
  ].join("\n");
}

function unboundConfig(dir: string, trustAnchorFile?: string): string {
  writeFileSync(
    path.join(dir, "root.hints"),
    `.                    3600000  NS  a.root-servers.net.\na.root-servers.net.  3600000  A   ${ROOT_ADDRESS}\n`,
  );
  const validation = trustAnchorFile
    ? [
        '    module-config: "validator iterator"',
        // The private root's KSK, nothing from the machine (no auto-trust-anchor-file, no root.key).
        `    trust-anchor-file: "${trustAnchorFile}"`,
        // Why an answer is bogus, in unbound.log (quoted in failing tests' messages).
        "    val-log-level: 2",
        "    harden-dnssec-stripped: yes",
        "    val-permissive-mode: no",
        // Extended DNS Errors (RFC 8914) on SERVFAIL: tests tell "bogus" from any other failure.
        "    ede: yes",
        // Answer from what the servers say now, not from NSEC ranges learned earlier (RFC 8198).
        "    aggressive-nsec: no",
      ]
    : ['    module-config: "iterator"'];
  return [
    "server:",
    `    interface: ${RESOLVER.host}@${RESOLVER.port}`,
    "    do-ip6: no",
    "    do-daemonize: no",
    '    username: ""',
    '    chroot: ""',
    `    directory: "${dir}"`,
    `    pidfile: "${dir}/unbound.pid"`,
    `    logfile: "${dir}/unbound.log"`,
    "    use-syslog: no",
    "    access-control: 127.0.0.0/8 allow",
    // REQUIRED: unbound refuses 127/8 upstreams otherwise.
    "    do-not-query-localhost: no",
    `    root-hints: "${dir}/root.hints"`,
    ...validation,
    // REQUIRED: unbound serves test. (RFC 6761) as a local static zone by default.
    '    local-zone: "test." nodefault',
    "    cache-max-ttl: 0",
    "    cache-max-negative-ttl: 0",
    "    infra-host-ttl: 5",
    // A Unix socket (no certificates), reachable from outside the namespace: flushResolver.
    "remote-control:",
    "    control-enable: yes",
    `    control-interface: "${dir}/unbound.ctl"`,
    "",
  ].join("\n");
}

function logTail(file: string): string {
  try {
    return readFileSync(file, "utf8").split("\n").slice(-30).join("\n");
  } catch {
    return "(no log)";
  }
}

/** Polls until `ok` returns true or `timeoutMs` passes. */
async function until(what: string, timeoutMs: number, ok: () => Promise<boolean>, details: () => string) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await ok()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}\n${details()}`);
}

export async function startHierarchy(spec: HierarchySpec): Promise<Hierarchy> {
  requireTools(spec.dnssec ? [...REQUIRED_TOOLS, ...DNSSEC_TOOLS] : REQUIRED_TOOLS);
  if (!existsSync(path.join(DNS_CHECKS_DIST, "index.js")))
    throw new Error(`${DNS_CHECKS_DIST} is not built: build the API first (pnpm build)`);
  const dir = mkdtempSync(path.join(os.tmpdir(), `dnscove-dns-checks-${spec.label}-`));
  let ns: Netns | undefined;
  const close = async () => {
    await ns?.destroy();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    ns = await createNetns(spec.label);
    const inNs = ns;
    const moduleDir = DNS_CHECKS_DIST;
    const dig = async (args: string[]) => (await inNs.run("dig", args, 10_000)).stdout;
    const logs: string[] = [];
    const details = () => logs.map((l) => `--- ${l}\n${logTail(l)}`).join("\n");
    const servers = new Map<string, AuthServerSpec>();
    const signer = spec.dnssec ? await createBindSigner(path.join(dir, "dnssec")) : undefined;

    const waitForSerial = async (address: string, origin: string, serial: number, timeoutMs = 15_000) => {
      let last = "";
      await until(
        `${origin} at serial ${serial} on ${address}`,
        timeoutMs,
        async () => {
          last = (
            await dig([`@${address}`, origin, "SOA", "+norec", "+short", "+time=1", "+tries=1"])
          ).trim();
          return last.split(/\s+/)[2] === String(serial);
        },
        () => `last SOA: "${last}"\n${details()}`,
      );
    };

    /** Starts a server; returns what it must answer for, to wait on. */
    const startAuth = (server: AuthServerSpec): Array<{ address: string; origin: string }> => {
      if (servers.has(server.name)) throw new Error(`a server named ${server.name} already runs`);
      servers.set(server.name, server);
      const base = path.join(dir, server.name);
      const zones = placeZones(path.join(base, "zones"), server.zones);
      const conf = path.join(base, `${server.kind}.conf`);
      const log = path.join(base, "stdout.log");
      logs.push(log, path.join(base, `${server.kind}.log`));
      if (server.kind === "knot") {
        writeFileSync(conf, knotConfig(base, server.addresses, zones, server.notify ?? []));
        inNs.start(server.name, "knotd", ["-c", conf], log);
      } else {
        writeFileSync(conf, nsdConfig(base, server.addresses, zones, server.notify ?? []));
        inNs.start(server.name, "nsd", ["-d", "-c", conf], log);
      }
      return server.zones.flatMap((zone) =>
        server.addresses.map((address) => ({ address, origin: zone.origin })),
      );
    };
    const answering = async (expectations: Array<{ address: string; origin: string }>) => {
      for (const { address, origin } of expectations) {
        await until(
          `${origin} on ${address}`,
          15_000,
          async () =>
            /status: NOERROR/.test(
              await dig([`@${address}`, origin, "SOA", "+norec", "+time=1", "+tries=1"]),
            ),
          details,
        );
      }
    };

    const parentText = async (zone: ZoneSpec) =>
      signer ? { ...zone, text: await signer.sign(zone.origin, zone.text) } : zone;
    let rootText = zoneText(".", ROOT_LINES);
    if (signer) {
      // The root delegates "test." only, so only its DS goes there (a parent zone below "test." is
      // reached through "test." and needs a DS there, which a test adds with serveParentZone).
      const testDs = await signer.keysFor("test.");
      rootText = await signer.sign(".", zoneText(".", [...ROOT_LINES, testDs]), { nsec: true });
    }
    const expectations = [
      ...startAuth({
        kind: "nsd",
        name: "root",
        addresses: [ROOT_ADDRESS],
        zones: [{ origin: ".", text: rootText }],
      }),
      ...startAuth({
        kind: "knot",
        name: "parent",
        addresses: [PARENT_ADDRESS],
        zones: await Promise.all(spec.parentZones.map(parentText)),
      }),
      ...(spec.servers ?? []).flatMap(startAuth),
    ];

    const unboundDir = path.join(dir, "unbound");
    mkdirSync(unboundDir);
    const unboundConf = path.join(unboundDir, "unbound.conf");
    writeFileSync(unboundConf, unboundConfig(unboundDir, signer?.anchorFiles.unbound));
    logs.push(path.join(unboundDir, "stdout.log"), path.join(unboundDir, "unbound.log"));
    inNs.start("unbound", "unbound", ["-d", "-c", unboundConf], path.join(unboundDir, "stdout.log"));

    if (spec.fakes && spec.fakes.length > 0) {
      const log = path.join(dir, "fakes.log");
      logs.push(log);
      const fake = inNs.start("fakes", process.execPath, [FAKES, ...spec.fakes], log);
      let out = "";
      fake.child.stdout?.on("data", (c) => {
        out += String(c);
      });
      await until(
        "fake DNS servers",
        10_000,
        async () => out.includes("ready"),
        () => logTail(log),
      );
    }

    await answering(expectations);
    await until(
      spec.dnssec
        ? "unbound validating through the signed root (AD on test. SOA)"
        : "unbound resolving through the fake root",
      15_000,
      async () => {
        const out = await dig([`@${RESOLVER.host}`, "test.", "SOA", "+dnssec", "+time=1", "+tries=1"]);
        return /status: NOERROR/.test(out) && (!spec.dnssec || /flags:[^;]* ad[ ;]/.test(out));
      },
      details,
    );

    const runCheck = <T>(request: Record<string, unknown>): Promise<RunnerOutput<T>> =>
      new Promise((resolve, reject) => {
        const child = spawn(
          "ip",
          ["netns", "exec", inNs.name, process.execPath, RUNNER, moduleDir, JSON.stringify(request)],
          {
            env: { PATH: process.env.PATH ?? "/usr/sbin:/usr/bin:/sbin:/bin" },
            stdio: ["ignore", "pipe", "pipe"],
          },
        );
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (c) => {
          stdout += String(c);
        });
        child.stderr.on("data", (c) => {
          stderr += String(c);
        });
        const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
        child.on("close", (code) => {
          clearTimeout(timer);
          const line = stdout.trim().split("\n").pop() ?? "";
          try {
            const parsed = JSON.parse(line) as RunnerOutput<T>;
            if (parsed.thrown) reject(new Error(`check threw: ${parsed.thrown.stack}`));
            else resolve(parsed);
          } catch {
            reject(new Error(`check runner exited ${code}\n--- stdout\n${stdout}\n--- stderr\n${stderr}`));
          }
        });
      });

    const serveZoneText = async (serverName: string, origin: string, text: string, serial: number) => {
      const server = servers.get(serverName);
      const zone = server?.zones.find((z) => z.origin === origin);
      if (!server || !zone || !isPrimary(zone))
        throw new Error(`${serverName} does not serve ${origin} from a zone file`);
      const base = path.join(dir, serverName);
      writeFileSync(path.join(base, "zones", zoneFileName(origin)), text);
      if (server.kind === "knot") {
        // The control socket is a Unix socket: knotc reaches it from outside the namespace.
        await runOk("knotc", ["-s", path.join(base, "run", "knot.sock"), "zone-reload", origin]);
      } else {
        // NSD (in the foreground, no control socket) rereads changed zone files on SIGHUP.
        const pid = Number(readFileSync(path.join(base, "nsd.pid"), "utf8").trim());
        if (!Number.isInteger(pid) || pid <= 1) throw new Error(`bad NSD pid file: ${pid}`);
        process.kill(pid, "SIGHUP");
      }
      for (const address of server.addresses) await waitForSerial(address, origin, serial);
    };

    const flushResolver = async () => {
      const control = (...args: string[]) => runOk("unbound-control", ["-c", unboundConf, ...args]);
      // flush_zone "." drops every rrset, message and validated key (the key cache); bogus and
      // negative entries and the servers' infrastructure data (RTT, lameness, EDNS) go separately.
      await control("flush_zone", ".");
      await control("flush_bogus");
      await control("flush_negative");
      await control("flush_infra", "all");
      await control("flush_requestlist");
    };

    return {
      ns: inNs,
      dir,
      runCheck,
      dig,
      async addServer(server) {
        await answering(startAuth(server));
      },
      serveZone: (server, origin, text) => serveZoneText(server, origin, text, soaSerial(text)),
      async serveParentZone(origin, text) {
        const signed = signer ? await signer.sign(origin, text) : text;
        await serveZoneText("parent", origin, signed, soaSerial(text));
        await flushResolver();
      },
      waitForSerial,
      flushResolver,
      ...(signer ? { dnssec: signer } : {}),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
