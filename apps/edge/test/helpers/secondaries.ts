/**
 * Real secondaries (Knot, NSD, BIND) of the edge on loopback, each with its own temp dir, config
 * and random port. Configs follow /work/shared/research/dns-harness.md sections 1, 2.2 and 2.3:
 * all run as root in the foreground without chroot or user switch. named gets `notify no`
 * (otherwise it would try to resolve and notify the zone's NS names) and an empty `controls`.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { freePort } from "@dnscove/testkit";

export interface SecondaryZone {
  origin: string; // without trailing dot, e.g. "plain.test"
  primaryPort: number;
  tsig?: { name: string; secret: string };
}

export interface Secondary {
  kind: "knot" | "nsd" | "named";
  port: number;
  logFile: string;
  log(): string;
  stop(): Promise<void>;
}

function startProcess(cmd: string, args: string[], logFile: string): ChildProcess {
  const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"] });
  const chunks: Buffer[] = [];
  const append = (c: Buffer) => {
    chunks.push(c);
    writeFileSync(`${logFile}.out`, Buffer.concat(chunks));
  };
  child.stdout?.on("data", append);
  child.stderr?.on("data", append);
  return child;
}

function stopper(child: ChildProcess): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const t = setTimeout(() => child.kill("SIGKILL"), 5000);
      child.once("exit", () => {
        clearTimeout(t);
        resolve();
      });
      child.kill("SIGTERM");
    });
}

function readLog(...files: string[]): string {
  return files
    .map((f) => {
      try {
        return readFileSync(f, "utf8");
      } catch {
        return "";
      }
    })
    .join("\n");
}

export interface KnotOptions {
  /** Listen here (a restart keeps its port, which the edge NOTIFYs); default a free port. */
  port?: number;
  /**
   * "all": the zone survives a restart in Knot's journal (the restarted Knot asks for IXFR from
   * the serial it had). Default "none": a restarted Knot starts empty.
   */
  journalContent?: "none" | "all";
  /** Let loopback clients AXFR the zone from this secondary (tests compare its content with kdig). */
  serveTransfers?: boolean;
  /**
   * true: stock Knot, which schedules its own NOTIFY one second after every transfer
   * (refresh.c zone_schedule_notify(zone, 1)); that pending event holds back the next refresh a
   * publish asks for (events.c: one timer per zone, whole seconds). Default false: the edge remote
   * gets `block-notify-after-transfer: on`, as docs/production.md ("Secondaries") recommends.
   */
  notifyAfterTransfer?: boolean;
}

export async function startKnot(
  dir: string,
  zones: SecondaryZone[],
  options: KnotOptions = {},
): Promise<Secondary> {
  const d = join(dir, "knot");
  mkdirSync(join(d, "run"), { recursive: true });
  mkdirSync(join(d, "db"), { recursive: true });
  mkdirSync(join(d, "zones"), { recursive: true });
  const port = options.port ?? (await freePort());
  const logFile = join(d, "knot.log");
  const keys = zones
    .filter((z) => z.tsig)
    .map((z) => `  - id: ${z.tsig?.name}\n    algorithm: hmac-sha256\n    secret: ${z.tsig?.secret}\n`);
  const conf = [
    "server:",
    `    rundir: "${join(d, "run")}"`,
    `    listen: 127.0.0.1@${port}`,
    "log:",
    `  - target: ${logFile}`,
    "    any: info",
    "database:",
    `    storage: "${join(d, "db")}"`,
    ...(keys.length ? ["key:", ...[...new Set(keys)]] : []),
    "remote:",
    ...zones.map(
      (z, i) =>
        `  - id: edge${i}\n    address: 127.0.0.1@${z.primaryPort}${z.tsig ? `\n    key: ${z.tsig.name}` : ""}${
          options.notifyAfterTransfer ? "" : "\n    block-notify-after-transfer: on"
        }`,
    ),
    "acl:",
    ...zones.map(
      (z, i) =>
        `  - id: notify${i}\n    address: 127.0.0.0/8\n    action: notify${z.tsig ? `\n    key: ${z.tsig.name}` : ""}`,
    ),
    ...(options.serveTransfers ? ["  - id: transfer\n    address: 127.0.0.0/8\n    action: transfer"] : []),
    "template:",
    "  - id: default",
    `    storage: "${join(d, "zones")}"`,
    "    zonefile-sync: -1",
    "    zonefile-load: none",
    `    journal-content: ${options.journalContent ?? "none"}`,
    "zone:",
    ...zones.map(
      (z, i) =>
        `  - domain: ${z.origin}\n    master: edge${i}\n    acl: [notify${i}${options.serveTransfers ? ", transfer" : ""}]`,
    ),
    "",
  ].join("\n");
  const confFile = join(d, "knot.conf");
  writeFileSync(confFile, conf);
  const child = startProcess("knotd", ["-c", confFile], logFile);
  return { kind: "knot", port, logFile, log: () => readLog(logFile, `${logFile}.out`), stop: stopper(child) };
}

/**
 * `serverOptions` are extra lines for NSD's `server:` clause, e.g. `rrl-ratelimit: 0` (Debian
 * builds NSD with response rate limiting, 200 qps per source by default, which slips TC answers).
 */
export async function startNsd(
  dir: string,
  zones: SecondaryZone[],
  serverOptions: string[] = [],
  /** Extra lines for every `zone:` clause, e.g. `provide-xfr: 127.0.0.0/8 NOKEY`. */
  zoneOptions: string[] = [],
  /** Listen here (chosen before the primary starts); default a free port. */
  listenPort?: number,
): Promise<Secondary> {
  const d = join(dir, "nsd");
  mkdirSync(d, { recursive: true });
  const port = listenPort ?? (await freePort());
  const logFile = join(d, "nsd.log");
  const keyBlocks = [
    ...new Set(
      zones
        .filter((z) => z.tsig)
        .map(
          (z) =>
            `key:\n    name: "${z.tsig?.name}"\n    algorithm: hmac-sha256\n    secret: "${z.tsig?.secret}"\n`,
        ),
    ),
  ];
  const conf = [
    "server:",
    `    ip-address: 127.0.0.1@${port}`,
    '    username: ""',
    '    chroot: ""',
    `    zonesdir: "${d}"`,
    '    database: ""',
    `    pidfile: "${join(d, "nsd.pid")}"`,
    `    xfrdfile: "${join(d, "xfrd.state")}"`,
    `    zonelistfile: "${join(d, "zone.list")}"`,
    `    xfrdir: "${d}"`,
    `    logfile: "${logFile}"`,
    "    verbosity: 2",
    "    server-count: 1",
    "    do-ip6: no",
    ...serverOptions.map((o) => `    ${o}`),
    "remote-control:",
    "    control-enable: no",
    ...keyBlocks,
    ...zones.map((z) =>
      [
        "zone:",
        `    name: "${z.origin}"`,
        `    zonefile: "${z.origin}.zone"`,
        `    allow-notify: 127.0.0.0/8 ${z.tsig ? z.tsig.name : "NOKEY"}`,
        `    request-xfr: 127.0.0.1@${z.primaryPort} ${z.tsig ? z.tsig.name : "NOKEY"}`,
        ...zoneOptions.map((o) => `    ${o}`),
      ].join("\n"),
    ),
    "",
  ].join("\n");
  const confFile = join(d, "nsd.conf");
  writeFileSync(confFile, conf);
  const child = startProcess("nsd", ["-d", "-c", confFile], logFile);
  return { kind: "nsd", port, logFile, log: () => readLog(logFile, `${logFile}.out`), stop: stopper(child) };
}

export async function startNamed(dir: string, zones: SecondaryZone[]): Promise<Secondary> {
  const d = join(dir, "named");
  mkdirSync(d, { recursive: true });
  const port = await freePort();
  const logFile = join(d, "named.log");
  const keyBlocks = [
    ...new Set(
      zones
        .filter((z) => z.tsig)
        .map((z) => `key "${z.tsig?.name}" { algorithm hmac-sha256; secret "${z.tsig?.secret}"; };`),
    ),
  ];
  const conf = [
    "options {",
    `    directory "${d}";`,
    `    listen-on port ${port} { 127.0.0.1; };`,
    "    listen-on-v6 { none; };",
    `    pid-file "${join(d, "named.pid")}";`,
    `    session-keyfile "${join(d, "session.key")}";`,
    `    managed-keys-directory "${d}";`,
    "    recursion no;",
    "    dnssec-validation no;",
    "    notify no;",
    "    allow-query { any; };",
    "};",
    "controls { };",
    ...keyBlocks,
    ...zones.map(
      (z) =>
        `zone "${z.origin}" { type secondary; primaries { 127.0.0.1 port ${z.primaryPort}${z.tsig ? ` key "${z.tsig.name}"` : ""}; }; file "${z.origin}.sec"; };`,
    ),
    "",
  ].join("\n");
  const confFile = join(d, "named.conf");
  writeFileSync(confFile, conf);
  // -g: foreground, log to stderr; no -u: stays root; -4: IPv4 only.
  const child = startProcess("named", ["-g", "-4", "-c", confFile], logFile);
  return { kind: "named", port, logFile, log: () => readLog(`${logFile}.out`), stop: stopper(child) };
}
