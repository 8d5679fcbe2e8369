import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BlockResult, blocksOf, type GuideSource, runGuide } from "../runner/run-guide.js";

/**
 * Every guide runs as printed (issue 13): the shell blocks of the README and of each guide are
 * extracted, not retyped, and run in order in a copy of the repository inside a network namespace
 * of their own, as root. A block's `<!-- run: … -->` comment says how (background, readiness probe,
 * expected output) or why it is skipped. The repository is already built (turbo builds first).
 */
const exec = promisify(execFile);
const ROOT = fileURLToPath(new URL("../..", import.meta.url));

interface Guide {
  label: string;
  sources: GuideSource[];
  timeoutMs: number;
}

const GUIDES: Guide[] = [
  { label: "readme", sources: [{ file: "README.md" }], timeoutMs: 840_000 },
  { label: "acme", sources: [{ file: "docs/guides/acme.md" }], timeoutMs: 840_000 },
  { label: "route53", sources: [{ file: "docs/guides/route53.md" }], timeoutMs: 840_000 },
  { label: "zone-files", sources: [{ file: "docs/guides/zone-files.md" }], timeoutMs: 840_000 },
  { label: "cfn", sources: [{ file: "docs/guides/cloudformation.md" }], timeoutMs: 840_000 },
  { label: "cdk", sources: [{ file: "docs/guides/cdk.md" }], timeoutMs: 840_000 },
  { label: "metrics", sources: [{ file: "docs/guides/metrics.md" }], timeoutMs: 840_000 },
  { label: "rfc2136", sources: [{ file: "docs/guides/rfc2136.md" }], timeoutMs: 840_000 },
  { label: "terraform", sources: [{ file: "docs/terraform/README.md" }], timeoutMs: 840_000 },
];

const timings: string[] = [];
let statusBefore = "";

async function gitStatus(): Promise<string> {
  const { stdout } = await exec("git", ["status", "--porcelain", "--untracked-files=all"], { cwd: ROOT });
  return stdout;
}

function describeBlock(block: BlockResult): string {
  const tail = block.output.split("\n").slice(-40).join("\n");
  return `${block.file}:${block.line} exited ${block.status}\n--- block ---\n${block.code}--- output (last 40 lines) ---\n${tail}`;
}

beforeAll(async () => {
  // Fail loudly rather than skip: the runner needs root (ip netns, mount) and the Debian peers.
  expect(process.getuid?.(), "the guide runner needs root (network namespaces, overlay mounts)").toBe(0);
  for (const tool of [
    "ip",
    "unshare",
    "curl",
    "jq",
    "openssl",
    "dig",
    "knotd",
    "pebble",
    "lego",
    "certbot",
    "terraform",
    "prometheus",
    "promtool",
  ])
    await exec("sh", ["-c", `command -v ${tool}`]).catch(() => {
      throw new Error(`${tool} is missing: run ./scripts/install-test-peers.sh`);
    });
  statusBefore = await gitStatus();
});

afterAll(() => {
  if (timings.length > 0) console.log(`guide timings:\n${timings.join("\n")}`);
});

describe("guide sources", () => {
  it.each(GUIDES)("every shell block of $label runs or is skipped with a reason", (guide) => {
    const blocks = guide.sources.flatMap((s) => blocksOf(ROOT, s));
    expect(blocks.length).toBeGreaterThan(0);
    expect(blocks.filter((b) => !b.directive.skip).length).toBeGreaterThan(0);
    for (const block of blocks) if (block.directive.skip) expect(block.directive.skip).toMatch(/\w{3}/);
  });
});

describe("guides run as printed", () => {
  it.each(GUIDES)("$label", async (guide) => {
    const result = await runGuide({
      root: ROOT,
      label: guide.label,
      sources: guide.sources,
      timeoutMs: guide.timeoutMs,
    });
    const skipped = result.blocks.filter((b) => b.skipped);
    timings.push(
      `  ${guide.label}: ${result.seconds.toFixed(1)} s, ${result.blocks.length - skipped.length} blocks run, ` +
        `${skipped.length} skipped${result.blocks
          .filter((b) => (b.seconds ?? 0) >= 5)
          .map((b) => {
            // turbo's summary says whether `pnpm start` rebuilt or replayed the build from its cache.
            const turbo = /Cached:\s+\d+ cached, \d+ total/.exec(b.output)?.[0];
            return `\n    ${b.seconds} s ${b.file}:${b.line}${turbo ? ` (turbo ${turbo})` : ""}`;
          })
          .join("")}${skipped.map((b) => `\n    skip ${b.file}:${b.line} (${b.skipped})`).join("")}`,
    );
    for (const block of result.blocks) {
      if (block.skipped) continue;
      expect(block.status, describeBlock(block)).toBe(0);
      for (const pattern of block.expect) expect(block.output, describeBlock(block)).toMatch(pattern);
    }
  });

  it("left the checkout as it was (guides write only into their copy)", async () => {
    expect(await gitStatus()).toBe(statusBefore);
  });
});
