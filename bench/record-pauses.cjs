// Preloaded into the API and its edge workers (NODE_OPTIONS=--require, which workers inherit) by
// bench/publish-latency.ts when BENCH_LOG_DIR is set: records each process's garbage-collection
// pauses over 5 ms and event-loop stalls over 12 ms (with the process's CPU time meanwhile: a stall
// with little CPU is the machine not running us, one with CPU ≈ wall is our own long turn), in
// wall-clock milliseconds, to PAUSES_DIR/<role>-<pid>.pauses.json at exit. CommonJS: --require.
const fs = require("node:fs");
const path = require("node:path");
const { PerformanceObserver, performance } = require("node:perf_hooks");

const dir = process.env.PAUSES_DIR;
if (dir) {
  const role = process.env.DNSCOVE_EDGE_WORKER_INDEX
    ? `worker${process.env.DNSCOVE_EDGE_WORKER_INDEX}`
    : "api";
  const kinds = { 1: "minor", 2: "major", 4: "incremental", 8: "weak callbacks" };
  const gcs = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries())
      if (entry.duration > 5)
        gcs.push({
          at: performance.timeOrigin + entry.startTime,
          ms: entry.duration,
          kind: kinds[entry.detail?.kind] ?? "other",
        });
  }).observe({ entryTypes: ["gc"] });
  const stalls = [];
  let last = Date.now();
  let lastCpu = process.cpuUsage();
  setInterval(() => {
    const now = Date.now();
    const cpu = process.cpuUsage();
    if (now - last > 12)
      stalls.push({
        at: last,
        ms: now - last,
        cpuMs: (cpu.user - lastCpu.user + cpu.system - lastCpu.system) / 1000,
      });
    last = now;
    lastCpu = cpu;
  }, 2).unref();
  process.on("exit", () =>
    fs.writeFileSync(
      path.join(dir, `${role}-${process.pid}.pauses.json`),
      JSON.stringify({ role, gcs, stalls }),
    ),
  );
}
