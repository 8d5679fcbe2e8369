/**
 * ACME DNS-01 present-to-answer latency of the embedded default (issue 4): the time from sending
 * `POST /zones/{id}/acme-challenge` PRESENT (which publishes before answering) to the edge
 * answering the TXT value. Usage: pnpm --filter @dnscove/bench bench:acme
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort, signIn } from "@dnscove/testkit";
import { median, percentile, post, startBenchApi, txtValues } from "./lib.js";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 200);
const dir = mkdtempSync(path.join(os.tmpdir(), "dnscove-bench-acme-"));
const dnsPort = await freePort();
const api = await startBenchApi({
  PORT: String(await freePort()),
  DNS_PORT: String(dnsPort),
  EDGE_RRL_RATE: "0", // one client asking one name fast is what RRL limits
  DNSCOVE_DATA_DIR: dir,
});
const callMs: number[] = [];
const answerMs: number[] = [];
try {
  const session = await signIn(api.url, { label: "bench" });
  const origin = "acme-bench.example";
  const zone = await post(`${api.url}/api/zones`, { origin }, session);
  const url = `${api.url}/api/zones/${zone.id as string}/acme-challenge`;
  const token = (
    await post(`${api.url}/api/zones/${zone.id as string}/tokens`, { scope: "acme-dns01" }, session)
  ).token as string;
  const name = `_acme-challenge.${origin}.`;
  for (let round = 0; round < ROUNDS; round++) {
    const value = randomBytes(32).toString("base64url");
    const started = performance.now();
    const answer = await post(url, { action: "PRESENT", name, value }, token);
    callMs.push(performance.now() - started);
    if (answer.published !== true) throw new Error(`not published: ${JSON.stringify(answer)}`);
    while (!(await txtValues(dnsPort, name.slice(0, -1))).includes(value)) {
      // measured, not assumed: the answer came after the edge served the value
    }
    answerMs.push(performance.now() - started);
    await post(url, { action: "CLEANUP", name, value }, token);
  }
} finally {
  await api.stop();
  rmSync(dir, { recursive: true, force: true });
}
console.log(
  `\nACME PRESENT to TXT answered, embedded default (SQLite), ${ROUNDS} rounds, ${os.cpus().length} cores\n`,
);
console.log("| measure | p50 ms | p99 ms |");
console.log("|---|---|---|");
console.log(
  `| PRESENT call (returns once published) | ${median(callMs).toFixed(1)} | ${percentile(callMs, 99).toFixed(1)} |`,
);
console.log(
  `| PRESENT sent → TXT answered by the edge | ${median(answerMs).toFixed(1)} | ${percentile(answerMs, 99).toFixed(1)} |`,
);
