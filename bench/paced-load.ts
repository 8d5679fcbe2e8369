/**
 * Open-loop load at a fixed rate, for latency at a given request rate (issue 14: p99 at 200
 * changes/s). Request i is due at start + i / rate, evenly spaced, whether or not earlier ones
 * have been answered, on a pool of keep-alive connections; its latency runs from when it was due
 * to the end of its answer, so a server (or client) falling behind shows as latency rather than
 * as fewer samples (no coordinated omission). The first `warmupSeconds` run at the same rate on the
 * same connections but are reported apart: they open the connections (HTTP here, and in the API
 * its database pool's) and warm the JIT, which is start-up, not the rate.
 *
 * Why not autocannon's `overallRate`: autocannon 8/9 spends each connection's share of the rate at
 * the start of every second, back to back, then pauses until the next second (lib/httpClient.js:
 * `reqsMadeThisSecond`, reset by a 1 s interval), so "200/s" is a burst of 200 requests each
 * second and its percentiles are those of draining the burst. It then corrects for coordinated
 * omission with an expected interval of ceil(1 / per-connection rate) = 1 ms (lib/run.js), which
 * adds synthetic samples to every answer slower than 1 ms.
 */
import http from "node:http";
import { percentile } from "./lib.js";

export interface PacedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface PacedResult {
  /** Milliseconds from each request's due time to the end of its answer, in due order (after the warm-up). */
  latencies: number[];
  /** The same for the warm-up requests. */
  warmupLatencies: number[];
  p50: number;
  p99: number;
  non2xx: number;
  /** Answers per second after the warm-up (from the first counted due time to the last answer). */
  achievedRate: number;
  /** Wall-clock time (ms since the epoch) the first counted request was due: latencies[i] was due i intervals later. */
  countedFromMs: number;
}

export async function pacedLoad(options: {
  url: string;
  rate: number;
  seconds: number;
  warmupSeconds?: number;
  connections: number;
  request: (index: number) => PacedRequest;
}): Promise<PacedResult> {
  const target = new URL(options.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections });
  const warmup = Math.round(options.rate * (options.warmupSeconds ?? 0));
  const total = warmup + Math.round(options.rate * options.seconds);
  const intervalMs = 1000 / options.rate;
  const all: number[] = new Array(total);
  let non2xx = 0;
  let sent = 0;
  const pending: Promise<void>[] = [];
  const start = performance.now();
  const startedAtMs = Date.now();

  const send = (index: number, due: number) =>
    new Promise<void>((resolve, reject) => {
      const spec = options.request(index);
      const req = http.request(
        {
          host: target.hostname,
          port: target.port,
          method: spec.method,
          path: spec.path,
          headers: spec.body
            ? { ...spec.headers, "content-length": Buffer.byteLength(spec.body) }
            : spec.headers,
          agent,
        },
        (res) => {
          res.resume();
          res.on("end", () => {
            all[index] = performance.now() - due;
            if ((res.statusCode ?? 0) < 200 || (res.statusCode ?? 0) >= 300) non2xx += 1;
            resolve();
          });
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.end(spec.body);
    });

  // Wakes on a timer and sends every request that is due by now: a late wake-up sends the backlog
  // at once, and each of those requests is still timed from its own due time.
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (sent < total && start + sent * intervalMs <= now) {
        pending.push(send(sent, start + sent * intervalMs));
        sent += 1;
      }
      if (sent >= total) return resolve();
      setTimeout(tick, Math.max(0, start + sent * intervalMs - performance.now()));
    };
    tick();
  });
  await Promise.all(pending);
  const elapsed = (performance.now() - start - warmup * intervalMs) / 1000;
  agent.destroy();
  const latencies = all.slice(warmup);
  return {
    latencies,
    warmupLatencies: all.slice(0, warmup),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    non2xx,
    achievedRate: latencies.length / elapsed,
    countedFromMs: startedAtMs + warmup * intervalMs,
  };
}
