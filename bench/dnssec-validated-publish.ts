/**
 * Publish → validated answer (issue 16): the time from a one-rrset change through the API (the
 * change, then `POST …/publish`) until the validating unbound of the signed test world returns the
 * new data with AD, for a signed 10,000-rrset zone, and beside it the same for an unsigned
 * 10,000-rrset zone in the same run (answer without AD), rounds alternating between the two.
 * Usage: pnpm --filter @dnscove/bench bench:dnssec-validated   (needs root: ip netns)
 *   BENCH_RRSETS (default 10000), BENCH_ROUNDS (default 30), BENCH_WARMUP (default 3).
 *
 * The first BENCH_WARMUP rounds per zone run the same way but are reported apart, not counted: the
 * first questions for a zone make unbound fetch and validate its DNSKEY set (and the API's signer
 * and JIT warm up), which is the resolver's cold start, not the cost of a publish.
 *
 * The world (apps/api/test/dnssec-e2e/helpers/signed-world.ts): a signed root and parent "test."
 * and a validating unbound in a network namespace; the real API (embedded default, SQLite) runs in
 * it with its edge on 127.0.0.20:53, the parent delegates both zones to the edge (the signed one
 * with the DS the API shows). Each round asks for a name that did not exist before (so nothing is
 * cached; no flush needed) and repeats the question, flushing that name, until the answer is there.
 * The resolver is asked by validating-asker.cjs, one long-lived process inside the namespace (this
 * process is outside it), over a pipe: no process start in the timing; the run also reports one
 * question answered from unbound's cache (the pipe + resolver round trip alone). CPU: the API process and its edge workers (utime+stime from
 * /proc/<pid>/stat, the processes whose environment names the API's data directory), per round.
 */
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { type ApiInNetns, startApiInNetns } from "@dnscove/testkit";
import { RESOLVER } from "../apps/api/test/dns-checks/helpers/hierarchy.js";
import { type SignedWorld, startSignedWorld } from "../apps/api/test/dnssec-e2e/helpers/signed-world.js";
import { hierarchyApiEnv } from "../apps/api/test/migration-e2e/helpers/hierarchy-api-env.js";
import { median, percentile } from "./lib.js";

const RRSETS = Number(process.env.BENCH_RRSETS ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 30);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 3);
const EDGE = { host: "127.0.0.20", port: 53 } as const;
const NS = "ns1.dnscove.test.";

const world: SignedWorld = await startSignedWorld({ label: "bench-dnssec" });
let api: ApiInNetns | undefined;
let asker: ReturnType<typeof spawn> | undefined;
try {
  api = await startApiInNetns({
    netns: world.h.ns.name,
    env: {
      ...hierarchyApiEnv({ edge: EDGE, nameservers: [NS], resolver: RESOLVER }),
      EDGE_RRL_RATE: "0",
      DNSCOVE_PUBLISH_INTERVAL_MS: "60000",
      LOG_LEVEL: "warn",
    },
  });
  const running = api;
  const token = await running.signIn("bench-dnssec@example.test");
  const call = async (method: string, path: string, body?: unknown) => {
    const r = await running.call(method, path, { bearer: token, ...(body === undefined ? {} : { body }) });
    if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body as Record<string, unknown>;
  };

  const cpuTicks = (): number => {
    let total = 0;
    for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
      try {
        if (!readFileSync(`/proc/${pid}/environ`, "latin1").includes(`DNSCOVE_DATA_DIR=${running.dataDir}`))
          continue;
        const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
        total += Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14, 15)
      } catch {
        // a process that ended meanwhile
      }
    }
    return total;
  };
  const TICK_MS = 1000 / 100; // USER_HZ

  const zones: {
    label: string;
    origin: string;
    id: string;
    signed: boolean;
    ms: number[];
    warmup: number[];
    cpu: number[];
    retried: number;
  }[] = [];
  for (const [label, signed] of [
    ["signed", true],
    ["unsigned", false],
  ] as const) {
    const origin = `${label}.test.`;
    const created = await call("POST", "/api/zones", { origin: origin.slice(0, -1) });
    const id = ((created.zone as { id?: string } | undefined)?.id ?? created.id) as string;
    for (let start = 0; start < RRSETS; start += 1000) {
      const changes = [];
      for (let i = start; i < Math.min(RRSETS, start + 1000); i++)
        changes.push({
          action: "UPSERT",
          name: `host${i}.${origin}`,
          type: "A",
          ttl: 300,
          records: ["192.0.2.1"],
        });
      await call("POST", `/api/zones/${id}/rrsets`, { changes });
    }
    await call("POST", `/api/zones/${id}/publish`);
    if (signed) await call("PUT", `/api/zones/${id}/dnssec`, { enabled: true });
    const ds = signed
      ? ((await call("GET", `/api/zones/${id}/dnssec`)).ds as string[]).map(
          (l) => l.split(" IN DS ")[1] as string,
        )
      : [];
    await world.delegateChild(origin, { nameservers: [NS], glue: { [NS]: [EDGE.host] }, ds });
    zones.push({ label, origin, id, signed, ms: [], warmup: [], cpu: [], retried: 0 });
  }
  const check = await world.resolve(`host1.${zones[0]?.origin}`, "A");
  if (!check.ad) throw new Error(`the signed zone does not validate:\n${check.raw}`);

  asker = spawn(
    "ip",
    [
      "netns",
      "exec",
      world.h.ns.name,
      process.execPath,
      fileURLToPath(new URL("./validating-asker.cjs", import.meta.url)),
    ],
    { stdio: ["pipe", "pipe", "inherit"] },
  );
  type Answer = { id: string; rcode: string; ad: boolean; txt: string[] };
  const waiting = new Map<string, (a: Answer) => void>();
  const answers = asker.stdout;
  const questions = asker.stdin;
  if (!answers || !questions) throw new Error("the asker has no pipes");
  createInterface({ input: answers }).on("line", (line) => {
    const a = JSON.parse(line) as Answer;
    waiting.get(a.id)?.(a);
    waiting.delete(a.id);
  });
  let asked = 0;
  const dig = (name: string) =>
    new Promise<Answer>((resolve) => {
      const id = String(++asked);
      waiting.set(id, resolve);
      questions.write(`${id} ${name}\n`);
    });
  const cached: number[] = [];
  for (let round = 0; round < WARMUP + ROUNDS; round++) {
    const counted = round >= WARMUP;
    for (const z of zones) {
      const name = `round${round}.${z.origin}`;
      const cpu0 = cpuTicks();
      const t0 = performance.now();
      await call("POST", `/api/zones/${z.id}/rrsets`, {
        action: "UPSERT",
        name,
        type: "TXT",
        ttl: 300,
        records: [`"round ${round}"`],
      });
      await call("POST", `/api/zones/${z.id}/publish`);
      for (let attempt = 0; ; attempt++) {
        const a = await dig(name);
        if (a.rcode === "NOERROR" && a.txt.includes(`round ${round}`) && a.ad === z.signed) break;
        if (attempt === 0) z.retried++;
        if (attempt > 50) throw new Error(`no validated answer for ${name}: ${JSON.stringify(a)}`);
        await world.h.flushResolver();
      }
      if (!counted) {
        z.warmup.push(performance.now() - t0);
        continue;
      }
      z.ms.push(performance.now() - t0);
      z.cpu.push((cpuTicks() - cpu0) * TICK_MS);
    }
    // The cost of asking alone: the same question again, answered from unbound's cache.
    const t = performance.now();
    await dig(`round${round}.${zones[0]?.origin}`);
    if (counted) cached.push(performance.now() - t);
  }

  const load = os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");
  console.log(
    `publish → validated answer, ${RRSETS} rrsets, ${ROUNDS} rounds after ${WARMUP} warm-up rounds, load average ${load}`,
  );
  for (const z of zones)
    console.log(
      `${z.label.padEnd(9)} median ${median(z.ms).toFixed(1)} ms  p99 ${percentile(z.ms, 99).toFixed(1)} ms  max ${Math.max(...z.ms).toFixed(1)} ms  API+edge CPU/round median ${median(z.cpu).toFixed(0)} ms  rounds asked again ${z.retried}  slowest ${z.ms
        .map((ms, round) => ({ ms, round }))
        .sort((a, b) => b.ms - a.ms)
        .slice(0, 3)
        .map(({ ms, round }) => `${ms.toFixed(0)} (round ${round})`)
        .join(", ")} ms  warm-up rounds ${z.warmup.map((ms) => ms.toFixed(0)).join(", ")} ms`,
    );
  const [s, u] = zones;
  if (s && u)
    console.log(
      `signed/unsigned: median ${(median(s.ms) / median(u.ms)).toFixed(2)}x, p99 ${(percentile(s.ms, 99) / percentile(u.ms, 99)).toFixed(2)}x`,
    );
  console.log(
    `one question answered from unbound's cache (the asking alone): median ${median(cached).toFixed(2)} ms`,
  );
} finally {
  // The asker lives in the namespace world.close() removes; left running it would keep this
  // process (and its buffered output) alive.
  asker?.kill();
  await api?.stop();
  await world.close();
}
