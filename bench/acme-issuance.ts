/**
 * Full ACME DNS-01 issuance time: lego against pebble for an apex + wildcard certificate
 * (`-d <origin> -d '*.<origin>'`), DNSCove compared with Knot DNS updated by RFC 2136 in the same run.
 * Usage (root; needs pebble, lego, knotd, knsupdate, openssl, curl, dig, ip, and the API and CLI built):
 *   pnpm --filter @dnscove/bench bench:acme-issuance          (BENCH_ROUNDS=3, BENCH_WARMUP=1)
 *
 * Targets, run alternately (every round issues once per target, the order rotated each round):
 *  - dnscove-httpreq: the embedded default (node apps/api/dist/src/main.js: API + edge, SQLite) with an
 *    acme-dns01 token minted through the API; lego `--dns httpreq` at /api/acme/httpreq.
 *  - knot-exec: knotd primary for the same origin, DDNS allowed from 127.0.0.0/8; lego `--dns exec`
 *    with a shell hook piping `update add|delete <fqdn> 60 TXT "<value>"` into knsupdate.
 *  - dnscove-exec: the same DNSCove zone through lego `--dns exec` with the dnscove CLI as the hook
 *    (present/cleanup, DNSCOVE_API/DNSCOVE_TOKEN): the like-for-like comparison with knot-exec.
 * Caveat: httpreq presents both challenge values in parallel (both in one TXT rrset, then both
 * validated), while exec is sequential (present → validate → cleanup, then the next), so
 * dnscove-httpreq vs knot-exec also compares provider strategies; dnscove-exec vs knot-exec compares
 * the DNS side only (plus one node start of the CLI per hook call, four per issuance).
 *
 * Each target lives in its own network namespace (only lo, resolv.conf → 127.0.0.1) with its own
 * pebble (PEBBLE_VA_NOSLEEP=1, PEBBLE_AUTHZREUSE=0, -dnsserver 127.0.0.1:53), and its DNS server on
 * 127.0.0.1:53, so the lego command line is identical for all: `--dns.resolvers 127.0.0.1:53
 * --dns.disable-cp --key-type ec256`, a fresh --path (so a fresh account) per issuance, and exec hooks
 * with EXEC_SEQUENCE_INTERVAL=0, EXEC_PROPAGATION_TIMEOUT=60, EXEC_POLLING_INTERVAL=1. The time is the
 * wall clock of the whole `lego run` (spawned through `ip netns exec`, the same for every target). An
 * issuance counts only if lego exits 0 and the certificate file exists with both names as SANs;
 * otherwise the benchmark stops with lego's output (BENCH_VERBOSE=1 prints every lego log).
 * Reading the numbers: a lucky issuance takes ~2.2–2.7 s; each authorization whose first poll beats
 * pebble's asynchronous validation costs another ~5 s of lego back-off, so times are quantized
 * (~2.5 / ~8 / ~13 s) and a median of 3 mostly counts lost races. The "authz re-polled" column
 * counts them (from lego's log); how often the race is lost can depend on how fast the DNS server
 * answers pebble, but it is mostly timing noise. Raise BENCH_ROUNDS (≥ 10) for a stable median.
 * Helpers (netns, processes, pebble, API in a netns) come from apps/api/test/acme-e2e/helpers.
 */
import { X509Certificate } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { ApiInNetns } from "@dnscove/testkit";
import { startAcmeApi } from "../apps/api/test/acme-e2e/helpers/api-process.js";
import { createNetns, type Netns } from "../apps/api/test/acme-e2e/helpers/netns.js";
import { type Pebble, startPebble } from "../apps/api/test/acme-e2e/helpers/pebble.js";
import { baseEnv, type ChildEnv, type LongRunning } from "../apps/api/test/acme-e2e/helpers/processes.js";
import { requireTools } from "../apps/api/test/acme-e2e/helpers/tools.js";
import { median } from "./lib.js";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 1);
const ORIGIN = "issuance.bench.test";
const DOMAINS = [ORIGIN, `*.${ORIGIN}`];
const CLI_MAIN = fileURLToPath(new URL("../packages/cli/dist/main.js", import.meta.url));

requireTools(["pebble", "lego", "knotd", "knsupdate", "openssl", "curl", "dig", "ip"]);

interface Target {
  name: string;
  what: string;
  ns: Netns;
  pebble: Pebble;
  provider: "httpreq" | "exec";
  providerEnv: ChildEnv;
  ms: number[];
  /** Authorizations validated only at lego's second poll (see repolls()), and all authorizations. */
  repolled: number;
  authorizations: number;
}

const workDir = mkdtempSync(path.join(os.tmpdir(), "dnscove-bench-issuance-"));
const cleanups: Array<() => Promise<void> | void> = [];
let cleanedUp = false;
async function cleanup(): Promise<void> {
  if (cleanedUp) return;
  cleanedUp = true;
  for (const step of cleanups.reverse()) {
    try {
      await step();
    } catch (error) {
      console.error(`cleanup: ${String(error)}`);
    }
  }
  rmSync(workDir, { recursive: true, force: true });
}
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: cleaning up`);
    void cleanup().then(() => process.exit(130));
  });
}

function dir(name: string): string {
  const at = path.join(workDir, name);
  mkdirSync(at, { recursive: true });
  return at;
}

function writeHook(name: string, body: string): string {
  const file = path.join(dir("hooks"), name);
  writeFileSync(file, body);
  chmodSync(file, 0o755);
  return file;
}

const EXEC_ENV: ChildEnv = {
  EXEC_SEQUENCE_INTERVAL: "0",
  EXEC_PROPAGATION_TIMEOUT: "60",
  EXEC_POLLING_INTERVAL: "1",
};

/** DNSCove: the embedded default in a namespace, one zone and one acme-dns01 token. */
async function startDnscove(): Promise<{ ns: Netns; api: ApiInNetns; pebble: Pebble; token: string }> {
  const ns = await createNetns("bench-dc");
  cleanups.push(() => ns.destroy());
  const api = await startAcmeApi(ns);
  cleanups.push(() => api.stop());
  const pebble = await startPebble(ns, dir("pebble-dnscove"), "127.0.0.1:53");
  cleanups.push(() => pebble.stop());
  const session = await api.signIn("bench-issuance@example.test");
  const zone = await api.call("POST", "/api/zones", { bearer: session, body: { origin: ORIGIN } });
  const zoneId = (zone.body as { id?: string }).id;
  if (zone.status !== 201 || !zoneId)
    throw new Error(`create zone: ${zone.status} ${JSON.stringify(zone.body)}`);
  const minted = await api.call("POST", `/api/zones/${zoneId}/tokens`, {
    bearer: session,
    body: { scope: "acme-dns01" },
  });
  const token = (minted.body as { token?: string }).token;
  if (minted.status !== 201 || !token)
    throw new Error(`mint token: ${minted.status} ${JSON.stringify(minted.body)}`);
  return { ns, api, pebble, token };
}

/** Knot: knotd as the primary for ORIGIN on 127.0.0.1:53 of its own namespace, DDNS from 127.0.0.0/8. */
async function startKnot(): Promise<{ ns: Netns; pebble: Pebble }> {
  const ns = await createNetns("bench-knot");
  cleanups.push(() => ns.destroy());
  const base = dir("knot");
  for (const sub of ["run", "db", "zones"]) mkdirSync(path.join(base, sub), { recursive: true });
  writeFileSync(
    path.join(base, "zones", `${ORIGIN}.zone`),
    `$ORIGIN ${ORIGIN}.\n$TTL 300\n@ IN SOA ns1 hostmaster 1 3600 900 604800 60\n@ IN NS ns1\nns1 IN A 127.0.0.1\n`,
  );
  const conf = path.join(base, "knot.conf");
  writeFileSync(
    conf,
    `server:
    rundir: "${base}/run"
    listen: 127.0.0.1@53
log:
  - target: stderr
    any: warning
database:
    storage: "${base}/db"
acl:
  - id: update_local
    address: 127.0.0.0/8
    action: update
template:
  - id: default
    storage: "${base}/zones"
    file: "%s.zone"
    zonefile-sync: -1
    zonefile-load: difference-no-serial
    journal-content: all
    serial-policy: increment
zone:
  - domain: ${ORIGIN}
    acl: [update_local]
`,
  );
  const knotd: LongRunning = ns.start("knotd", ["-c", conf], baseEnv());
  cleanups.push(() => knotd.stop());
  for (let attempt = 0; ; attempt++) {
    const soa = await ns.run(
      "dig",
      ["@127.0.0.1", "-p", "53", ORIGIN, "SOA", "+short", "+time=1", "+tries=1"],
      {
        env: baseEnv(),
      },
    );
    if (soa.code === 0 && soa.stdout.trim() !== "") break;
    if (attempt >= 50) throw new Error(`knotd did not answer for ${ORIGIN}:\n${knotd.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const pebble = await startPebble(ns, dir("pebble-knot"), "127.0.0.1:53");
  cleanups.push(() => pebble.stop());
  return { ns, pebble };
}

/**
 * lego 4.9.1 polls an authorization right after POSTing its challenge; pebble validates
 * asynchronously, and if that first poll comes first, lego backs off ~5 s (2.5–7.5 s) before polling
 * again. From lego's log (1 s timestamps): per authorization, the seconds from "Checking DNS record
 * propagation" to "The server validated our request" are 1–2 without a re-poll (one 1 s polling
 * interval) and ≥ 3 with one.
 */
function repolls(log: string): { repolled: number; authorizations: number } {
  const checked = new Map<string, number>();
  let repolled = 0;
  let authorizations = 0;
  for (const line of log.split("\n")) {
    const m = /^\d{4}\/\d\d\/\d\d (\d\d):(\d\d):(\d\d) \[INFO\] \[([^\]]+)\] (.*)$/.exec(line);
    if (!m) continue;
    const at = Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]);
    const domain = m[4] ?? "";
    if (m[5]?.startsWith("acme: Checking DNS record propagation")) checked.set(domain, at);
    else if (m[5] === "The server validated our request" && checked.has(domain)) {
      authorizations++;
      if ((at - (checked.get(domain) ?? at) + 86_400) % 86_400 >= 3) repolled++;
    }
  }
  return { repolled, authorizations };
}

/** One `lego run` for apex + wildcard; returns its wall clock in ms, or throws unless a certificate was issued. */
async function issue(target: Target, label: string, counted: boolean): Promise<number> {
  const legoPath = dir(`lego-${target.name}-${label}`);
  const args = [
    ...["--server", target.pebble.directory, "--accept-tos", "--email", `bench-${label}@example.test`],
    ...["--path", legoPath, "--key-type", "ec256", "--dns", target.provider],
    ...["--dns.resolvers", "127.0.0.1:53", "--dns.disable-cp"],
    ...DOMAINS.flatMap((d) => ["-d", d]),
    "run",
  ];
  const env = baseEnv({
    HOME: legoPath,
    LEGO_CA_CERTIFICATES: target.pebble.tlsCaFile,
    ...target.providerEnv,
  });
  const started = performance.now();
  const result = await target.ns.run("lego", args, { env, timeoutMs: 120_000 });
  const ms = performance.now() - started;
  const certFile = path.join(legoPath, "certificates", `${ORIGIN}.crt`);
  const failure = (why: string) =>
    new Error(
      `${target.name} ${label}: ${why}\n$ lego ${args.join(" ")}\n(exit ${result.code ?? result.signal})\n` +
        `--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`,
    );
  if (result.code !== 0) throw failure("lego failed");
  if (!existsSync(certFile)) throw failure(`no certificate at ${certFile}`);
  const leaf = new X509Certificate(readFileSync(certFile));
  const sans = (leaf.subjectAltName ?? "").split(",").map((s) => s.trim());
  for (const d of DOMAINS)
    if (!sans.includes(`DNS:${d}`)) throw failure(`${d} missing from SANs ${sans.join(",")}`);
  const polls = repolls(result.stderr);
  if (polls.authorizations !== DOMAINS.length)
    throw failure(`found ${polls.authorizations} validations in lego's log`);
  if (counted) {
    target.repolled += polls.repolled;
    target.authorizations += polls.authorizations;
  }
  if (process.env.BENCH_VERBOSE) console.error(`--- lego ${target.name} ${label}\n${result.stderr}`);
  rmSync(legoPath, { recursive: true, force: true });
  return ms;
}

const targets: Target[] = [];
try {
  const started = performance.now();
  const [dnscove, knot] = await Promise.all([startDnscove(), startKnot()]);
  const knotHook = writeHook(
    "knot-exec.sh",
    `#!/bin/sh
# lego --dns exec hook (default mode): present|cleanup <fqdn> <value> as an RFC 2136 update to knotd.
case "$1" in
  present) op="update add $2 60 TXT \\"$3\\"" ;;
  cleanup) op="update delete $2 TXT \\"$3\\"" ;;
  *) exit 0 ;;
esac
printf 'server 127.0.0.1 53\\nzone ${ORIGIN}.\\n%s\\nsend\\n' "$op" | knsupdate
`,
  );
  targets.push({
    name: "dnscove-httpreq",
    what: "DNSCove (embedded API + edge), lego --dns httpreq",
    ns: dnscove.ns,
    pebble: dnscove.pebble,
    provider: "httpreq",
    providerEnv: {
      HTTPREQ_ENDPOINT: `${dnscove.api.innerUrl}/api/acme/httpreq`,
      HTTPREQ_USERNAME: "lego",
      HTTPREQ_PASSWORD: dnscove.token,
      HTTPREQ_PROPAGATION_TIMEOUT: "60",
      HTTPREQ_POLLING_INTERVAL: "1",
    },
    ms: [],
    repolled: 0,
    authorizations: 0,
  });
  targets.push({
    name: "knot-exec",
    what: "Knot DNS 3 (knotd DDNS), lego --dns exec + knsupdate hook",
    ns: knot.ns,
    pebble: knot.pebble,
    provider: "exec",
    providerEnv: { EXEC_PATH: knotHook, ...EXEC_ENV },
    ms: [],
    repolled: 0,
    authorizations: 0,
  });
  if (existsSync(CLI_MAIN)) {
    const cliHook = writeHook(
      "dnscove-exec.sh",
      `#!/bin/sh\nexec '${process.execPath}' '${CLI_MAIN}' "$@"\n`,
    );
    targets.push({
      name: "dnscove-exec",
      what: "DNSCove (embedded API + edge), lego --dns exec + dnscove CLI hook",
      ns: dnscove.ns,
      pebble: dnscove.pebble,
      provider: "exec",
      providerEnv: {
        EXEC_PATH: cliHook,
        ...EXEC_ENV,
        DNSCOVE_API: dnscove.api.innerUrl,
        DNSCOVE_TOKEN: dnscove.token,
      },
      ms: [],
      repolled: 0,
      authorizations: 0,
    });
  } else {
    console.error(`dnscove-exec skipped: ${CLI_MAIN} is missing (pnpm --filter @dnscove/cli build)`);
  }
  console.error(`setup ${((performance.now() - started) / 1000).toFixed(1)} s`);

  for (let round = -WARMUP; round < ROUNDS; round++) {
    const shift = ((round % targets.length) + targets.length) % targets.length;
    const order = [...targets.slice(shift), ...targets.slice(0, shift)];
    for (const target of order) {
      const label = round < 0 ? `warmup${-round}` : `r${round + 1}`;
      const ms = await issue(target, label, round >= 0);
      if (round >= 0) target.ms.push(ms);
      console.error(
        `${label} ${target.name}: ${(ms / 1000).toFixed(2)} s${round < 0 ? " (warm-up, not counted)" : ""}`,
      );
    }
  }
} finally {
  await cleanup();
}

const seconds = (ms: number) => (ms / 1000).toFixed(2);
const knotMedian = median(targets.find((t) => t.name === "knot-exec")?.ms ?? []);
console.log(
  `\nFull lego issuance (apex + wildcard, pebble, fresh account each), ${ROUNDS} rounds per target after ` +
    `${WARMUP} warm-up, alternating, ${os.cpus().length} cores\n`,
);
console.log("| target | issuances | median s | min s | max s | median / Knot | authz re-polled | runs s |");
console.log("|---|---|---|---|---|---|---|---|");
for (const t of targets) {
  console.log(
    `| ${t.what} | ${t.ms.length} | ${seconds(median(t.ms))} | ${seconds(Math.min(...t.ms))} | ` +
      `${seconds(Math.max(...t.ms))} | ${(median(t.ms) / knotMedian).toFixed(2)} | ${t.repolled}/${t.authorizations} | ${t.ms.map(seconds).join(", ")} |`,
  );
}
