/**
 * A real DNS hierarchy inside a private network namespace (after dns-harness.md section 3):
 *   127.0.0.10:53  NSD    root zone ".", delegating "test." to ns1.nic.test.
 *   127.0.0.11:53  Knot   the parent "test." (plus any zones a test wants on the same server)
 *   127.0.0.1:53   unbound, recursive through the fake root (the checks' config.resolver)
 * plus whatever authoritative servers (Knot or NSD) and misbehaving fakes a test file adds.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createNetns, type Netns, requireTools } from "./netns.js";

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

export interface ZoneSpec {
  /** Absolute, e.g. "test." */
  origin: string;
  text: string;
}

export interface AuthServerSpec {
  kind: "knot" | "nsd";
  name: string;
  addresses: string[];
  zones: ZoneSpec[];
}

export interface HierarchySpec {
  label: string;
  /** Zones of the Knot server at 127.0.0.11; must include "test.". */
  parentZones: ZoneSpec[];
  servers?: AuthServerSpec[];
  /** Arguments for fake-dns-servers.mjs, e.g. "blackhole=127.0.0.98". */
  fakes?: string[];
}

export interface Hierarchy {
  ns: Netns;
  dir: string;
  /** Runs check-runner.mjs inside the namespace with one request; returns its parsed output. */
  runCheck<T = unknown>(request: Record<string, unknown>): Promise<RunnerOutput<T>>;
  dig(args: string[]): Promise<string>;
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

const ROOT_ZONE = zoneText(".", [
  ". IN SOA a.root-servers.net. hostmaster.root. 1 1800 900 604800 60",
  ". IN NS a.root-servers.net.",
  `a.root-servers.net. IN A ${ROOT_ADDRESS}`,
  "test. IN NS ns1.nic.test.",
  `ns1.nic.test. IN A ${PARENT_ADDRESS}`,
]);

function zoneFileName(origin: string): string {
  return origin === "." ? "root.zone" : `${origin.replace(/\.$/, "")}.zone`;
}

function writeZones(dir: string, zones: ZoneSpec[]): Array<ZoneSpec & { file: string }> {
  mkdirSync(dir, { recursive: true });
  return zones.map((zone) => {
    const file = path.join(dir, zoneFileName(zone.origin));
    writeFileSync(file, zone.text);
    return { ...zone, file };
  });
}

function knotConfig(
  dir: string,
  addresses: string[],
  zones: Array<{ origin: string; file: string }>,
): string {
  mkdirSync(path.join(dir, "run"), { recursive: true });
  mkdirSync(path.join(dir, "db"), { recursive: true });
  return [
    "server:",
    `    rundir: "${dir}/run"`,
    `    listen: [ ${addresses.map((a) => `${a}@53`).join(", ")} ]`,
    "log:",
    `  - target: ${dir}/knot.log`,
    "    any: info",
    "database:",
    `    storage: "${dir}/db"`,
    "template:",
    "  - id: default",
    "    zonefile-sync: -1",
    "    journal-content: none",
    "zone:",
    ...zones.flatMap((z) => [`  - domain: "${z.origin}"`, `    file: "${z.file}"`]),
    "",
  ].join("\n");
}

function nsdConfig(dir: string, addresses: string[], zones: Array<{ origin: string; file: string }>): string {
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
    "remote-control:",
    "    control-enable: no",
    ...zones.flatMap((z) => ["zone:", `    name: "${z.origin}"`, `    zonefile: "${z.file}"`]),
    "",
  ].join("\n");
}

function unboundConfig(dir: string): string {
  writeFileSync(
    path.join(dir, "root.hints"),
    `.                    3600000  NS  a.root-servers.net.\na.root-servers.net.  3600000  A   ${ROOT_ADDRESS}\n`,
  );
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
    '    module-config: "iterator"',
    // REQUIRED: unbound serves test. (RFC 6761) as a local static zone by default.
    '    local-zone: "test." nodefault',
    "    cache-max-ttl: 0",
    "    cache-max-negative-ttl: 0",
    "    infra-host-ttl: 5",
    "remote-control:",
    "    control-enable: no",
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
  requireTools(REQUIRED_TOOLS);
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
    // Every authoritative server with the zones it must answer for, to wait until all are up.
    const expectations: Array<{ address: string; origin: string }> = [];

    const startAuth = (server: AuthServerSpec) => {
      const base = path.join(dir, server.name);
      const zones = writeZones(path.join(base, "zones"), server.zones);
      const conf = path.join(base, `${server.kind}.conf`);
      const log = path.join(base, "stdout.log");
      logs.push(log, path.join(base, `${server.kind}.log`));
      if (server.kind === "knot") {
        writeFileSync(conf, knotConfig(base, server.addresses, zones));
        inNs.start(server.name, "knotd", ["-c", conf], log);
      } else {
        writeFileSync(conf, nsdConfig(base, server.addresses, zones));
        inNs.start(server.name, "nsd", ["-d", "-c", conf], log);
      }
      for (const zone of server.zones) {
        for (const address of server.addresses) expectations.push({ address, origin: zone.origin });
      }
    };

    startAuth({
      kind: "nsd",
      name: "root",
      addresses: [ROOT_ADDRESS],
      zones: [{ origin: ".", text: ROOT_ZONE }],
    });
    startAuth({ kind: "knot", name: "parent", addresses: [PARENT_ADDRESS], zones: spec.parentZones });
    for (const server of spec.servers ?? []) startAuth(server);

    const unboundDir = path.join(dir, "unbound");
    mkdirSync(unboundDir);
    writeFileSync(path.join(unboundDir, "unbound.conf"), unboundConfig(unboundDir));
    logs.push(path.join(unboundDir, "stdout.log"), path.join(unboundDir, "unbound.log"));
    inNs.start(
      "unbound",
      "unbound",
      ["-d", "-c", path.join(unboundDir, "unbound.conf")],
      path.join(unboundDir, "stdout.log"),
    );

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

    const details = () => logs.map((l) => `--- ${l}\n${logTail(l)}`).join("\n");
    for (const { address, origin } of expectations) {
      await until(
        `${origin} on ${address}`,
        15_000,
        async () =>
          /status: NOERROR/.test(await dig([`@${address}`, origin, "SOA", "+norec", "+time=1", "+tries=1"])),
        details,
      );
    }
    await until(
      "unbound resolving through the fake root",
      15_000,
      async () =>
        /status: NOERROR/.test(await dig([`@${RESOLVER.host}`, "test.", "SOA", "+time=1", "+tries=1"])),
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

    return { ns: inNs, dir, runCheck, dig, close };
  } catch (error) {
    await close();
    throw error;
  }
}
