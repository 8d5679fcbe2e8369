/**
 * What one HTTP request costs on this machine before DNSCove does anything (issue 14's changes/s
 * target): the same autocannon load (concurrency 16) against a bare node:http server, a minimal
 * Express app with the API's settings (no ETag, no x-powered-by) answering one small JSON route,
 * and the real API's `GET /api/health`, alternated round by round in one run.
 * Usage: pnpm --filter @dnscove/bench bench:http-ceiling   (BENCH_SECONDS, default 5; BENCH_ROUNDS, default 3)
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import { freePort } from "@dnscove/testkit";
import autocannon from "autocannon";
import express from "express";
import { median, processCpuMs, startBenchApi } from "./lib.js";

const DURATION = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

const body = JSON.stringify({ status: "ok" });
const bare = http.createServer((_req, res) => {
  res.setHeader("content-type", "application/json; charset=utf-8");
  res.end(body);
});
const app = express();
app.set("etag", false);
app.disable("x-powered-by");
app.get("/api/health", (_req, res) => {
  res.json({ status: "ok" });
});
const minimal = http.createServer(app);
for (const server of [bare, minimal])
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const api = await startBenchApi({ PORT: String(await freePort()), DNS_PORT: String(await freePort()) });

const url = (server: http.Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/health`;
const targets = [
  { label: "bare node:http", url: url(bare), rates: [] as number[], cpu: [] as number[] },
  { label: "minimal Express 5", url: url(minimal), rates: [] as number[], cpu: [] as number[] },
  {
    label: "DNSCove API GET /api/health",
    url: `${api.url}/api/health`,
    rates: [] as number[],
    cpu: [] as number[],
  },
];
try {
  // Warm-up: JIT, connection pools, the API's first requests.
  for (const target of targets) await autocannon({ url: target.url, connections: 16, duration: 1 });
  for (let round = 0; round < ROUNDS; round++) {
    for (const target of targets) {
      // The two in-process servers share this process with autocannon: their CPU is not separable.
      const own = target.label.startsWith("DNSCove") && api.pid;
      const before = own ? processCpuMs(api.pid as number) : 0;
      const result = await autocannon({ url: target.url, connections: 16, duration: DURATION });
      if (result.non2xx > 0) throw new Error(`${target.label}: ${result.non2xx} non-2xx answers`);
      target.rates.push(result.requests.average);
      if (own) target.cpu.push(((processCpuMs(api.pid as number) - before) * 1000) / result["2xx"]);
    }
  }
} finally {
  await api.stop();
  bare.close();
  minimal.close();
}
const [load1] = os.loadavg();
console.log(
  `\nHTTP ceiling, concurrency 16, ${DURATION} s × ${ROUNDS} rounds, ${os.cpus().length} cores, load average ${load1?.toFixed(1)} at the end\n`,
);
console.log("| server | req/s (median) | rounds | ÷ bare node:http | server CPU µs per request |");
console.log("|---|---|---|---|---|");
const bareRate = median(targets[0]?.rates ?? []);
for (const t of targets) {
  console.log(
    `| ${t.label} | ${median(t.rates).toFixed(0)} | ${t.rates.map((r) => r.toFixed(0)).join(" / ")} | ${(median(t.rates) / bareRate).toFixed(2)} | ${t.cpu.length ? median(t.cpu).toFixed(0) : "(shares this process)"} |`,
  );
}
