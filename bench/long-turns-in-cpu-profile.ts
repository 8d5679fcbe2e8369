/**
 * The long event-loop turns in a V8 `.cpuprofile` (from `node --cpu-prof`): runs of consecutive
 * samples that are not "(idle)", longer than a threshold, each with the functions it spent its time
 * in (inclusive, so the caller that started the turn shows). A turn that long is a pause for every
 * query that process should have answered meanwhile. Profile the edge workers under a benchmark
 * with BENCH_API_NODE_OPTIONS="--cpu-prof --cpu-prof-dir=DIR" (workers inherit NODE_OPTIONS).
 * Usage: pnpm --filter @dnscove/bench exec tsx long-turns-in-cpu-profile.ts FILE.cpuprofile [MIN_MS] [TOP]
 */
import { readFileSync } from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
}

const [file, minArg, topArg] = process.argv.slice(2);
if (!file) throw new Error("usage: long-turns-in-cpu-profile.ts FILE.cpuprofile [MIN_MS] [TOP]");
const minMs = Number(minArg ?? 10);
const top = Number(topArg ?? 12);
const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;

const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

const label = (node: ProfileNode) => {
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url
    .replace(/^.*\/node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?/, "")
    .replace(/^file:\/\/.*\/(apps|packages)\//, "$1/");
  return `${functionName || "(anonymous)"} ${where}:${lineNumber + 1}`;
};

interface Turn {
  startMs: number;
  ms: number;
  samples: number[];
}
const turns: Turn[] = [];
let at = 0;
let current: Turn | undefined;
profile.samples.forEach((id, index) => {
  const delta = (profile.timeDeltas[index] ?? 0) / 1000;
  at += delta;
  const idle = byId.get(id)?.callFrame.functionName === "(idle)";
  if (idle) {
    if (current && current.ms >= minMs) turns.push(current);
    current = undefined;
    return;
  }
  current ??= { startMs: at, ms: 0, samples: [] };
  // The sample's time is the interval up to the next one; close enough at 1 ms sampling.
  current.ms +=
    profile.timeDeltas[index + 1] !== undefined ? (profile.timeDeltas[index + 1] as number) / 1000 : 0;
  current.samples.push(id);
});
if (current && current.ms >= minMs) turns.push(current);

const totalMs = at;
console.log(
  `${file}: ${(totalMs / 1000).toFixed(1)} s profiled, ${turns.length} turns of ≥ ${minMs} ms (longest first)\n`,
);
for (const turn of [...turns].sort((a, b) => b.ms - a.ms).slice(0, 15)) {
  const inclusive = new Map<string, number>();
  for (const id of turn.samples) {
    const seen = new Set<string>();
    for (let node: number | undefined = id; node !== undefined; node = parent.get(node)) {
      const n = byId.get(node) as ProfileNode;
      const name = label(n);
      if (n.callFrame.functionName === "(root)" || seen.has(name)) continue;
      seen.add(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + 1);
    }
  }
  console.log(`- at ${(turn.startMs / 1000).toFixed(3)} s: ${turn.ms.toFixed(1)} ms`);
  const ranked = [...inclusive].sort((a, b) => b[1] - a[1]);
  // The deepest frames most of the turn ran under: skip the generic entry frames all share.
  for (const [name, count] of ranked.slice(0, top))
    console.log(`    ${((100 * count) / turn.samples.length).toFixed(0).padStart(3)}%  ${name}`);
}
