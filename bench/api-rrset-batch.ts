/**
 * Time to acknowledge one big atomic batch through the real API process on the embedded default
 * (SQLite), issue 14: "1,000 × 40-record TXT batch acknowledged ≤ 1 s; 1,000 A rrsets ≤ 0.3 s".
 * Usage: pnpm --filter @dnscove/bench bench:api-batch
 *
 * Each round posts one `{changes: [...]}` of 1,000 UPSERTs at fresh names into a fresh zone and
 * times the request until its 200 answer (which carries the 1,000 stored rrsets). One warm-up round
 * per shape, then BENCH_ROUNDS rounds; medians printed. BENCH_API_MAIN runs another build.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort, signIn } from "@dnscove/testkit";
import { median, post, startBenchApi } from "./lib.js";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

interface Change {
  action: "UPSERT";
  name: string;
  type: string;
  ttl: number;
  records: string[];
}

function txtBatch(round: number): Change[] {
  return Array.from({ length: 1000 }, (_, i) => ({
    action: "UPSERT",
    name: `txt${round}-${i}`,
    type: "TXT",
    ttl: 300,
    records: Array.from(
      { length: 40 },
      (_, j) => `"record ${j} of rrset ${i}: ${"x".repeat(40)}" "second ${j}"`,
    ),
  }));
}

function aBatch(round: number): Change[] {
  return Array.from({ length: 1000 }, (_, i) => ({
    action: "UPSERT",
    name: `a${round}-${i}`,
    type: "A",
    ttl: 300,
    records: [`192.0.2.${i % 256}`],
  }));
}

const dir = mkdtempSync(path.join(os.tmpdir(), "dnscove-bench-batch-"));
const api = await startBenchApi({
  DNSCOVE_DATA_DIR: path.join(dir, "sqlite"),
  PORT: String(await freePort()),
  DNS_PORT: String(await freePort()),
});
try {
  const session = await signIn(api.url);
  let zones = 0;
  const time = async (changes: Change[]): Promise<number> => {
    const zone = await post(`${api.url}/api/zones`, { origin: `batch${zones++}.example` }, session);
    const body = JSON.stringify({ changes });
    const start = performance.now();
    const response = await fetch(`${api.url}/api/zones/${zone.id as string}/rrsets`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${session}` },
      body,
    });
    const answer = (await response.json()) as { rrsets?: unknown[] };
    const ms = performance.now() - start;
    if (!response.ok)
      throw new Error(`batch refused: ${response.status} ${JSON.stringify(answer).slice(0, 300)}`);
    return ms;
  };
  const shapes = [
    { label: "1,000 TXT rrsets × 40 records", make: txtBatch, target: 1000 },
    { label: "1,000 A rrsets × 1 record", make: aBatch, target: 300 },
  ];
  process.stdout.write(
    `\nbatch acknowledged, embedded default (SQLite), ${ROUNDS} rounds after 1 warm-up, ${os.cpus().length} cores\n\n`,
  );
  process.stdout.write(
    "| batch | request bytes | median ms | min ms | max ms | target ms |\n|---|---|---|---|---|---|\n",
  );
  for (const shape of shapes) {
    await time(shape.make(-1));
    const ms: number[] = [];
    for (let round = 0; round < ROUNDS; round++) ms.push(await time(shape.make(round)));
    const bytes = JSON.stringify({ changes: shape.make(0) }).length;
    process.stdout.write(
      `| ${shape.label} | ${bytes.toLocaleString("en")} | ${median(ms).toFixed(0)} | ${Math.min(...ms).toFixed(0)} | ` +
        `${Math.max(...ms).toFixed(0)} | ${shape.target} |\n`,
    );
  }
} finally {
  await api.stop();
  rmSync(dir, { recursive: true, force: true });
}
