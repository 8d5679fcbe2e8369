import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { extractShellBlocks, type ShellBlock } from "./extract.js";
import { createNetns, destroyNetns } from "./netns.js";

/** One Markdown file's part of a guide run. */
export interface GuideSource {
  /** Path relative to the repository root. */
  file: string;
  /** Only the blocks from this heading on, up to the next heading of the same or a higher level. */
  section?: string;
}

export interface BlockResult {
  file: string;
  line: number;
  code: string;
  skipped?: string;
  /** Exit status; undefined when the block never ran (an earlier one failed). */
  status?: number;
  output: string;
  expect: RegExp[];
  /** Wall-clock seconds the block took (background blocks: until ready). */
  seconds?: number;
}

export interface GuideResult {
  blocks: BlockResult[];
  seconds: number;
}

export interface RunGuideOptions {
  /** Repository root, the lower layer of the copy every guide writes into. */
  root: string;
  /** Short label for the namespace and scratch directory. */
  label: string;
  sources: GuideSource[];
  timeoutMs: number;
}

/** The blocks of a file, or of one section of it (by heading text). */
export function blocksOf(root: string, source: GuideSource): ShellBlock[] {
  let text = readFileSync(path.join(root, source.file), "utf8");
  let offset = 0;
  if (source.section) {
    const lines = text.split("\n");
    const start = lines.findIndex((l) => /^#+ /.test(l) && l.replace(/^#+ /, "").trim() === source.section);
    if (start < 0) throw new Error(`${source.file}: no heading "${source.section}"`);
    const level = (/^#+/.exec(lines[start] ?? "")?.[0] ?? "#").length;
    let end = lines.findIndex(
      (l, i) => i > start && /^#+ /.test(l) && (/^#+/.exec(l)?.[0].length ?? 9) <= level,
    );
    if (end < 0) end = lines.length;
    offset = start;
    text = lines.slice(start, end).join("\n");
  }
  return extractShellBlocks(text).map((b) => ({ ...b, line: b.line + offset }));
}

const WAIT_READY = fileURLToPath(new URL("wait-ready.sh", import.meta.url));

const q = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;

/**
 * The driver: one bash process runs every block in order, in one shell, so variables and the
 * working directory carry over from block to block as they do for a reader typing them. `set -e`
 * stops at the first failing command; the EXIT trap records which block it was in.
 */
function driverScript(scratch: string, root: string, blocks: ShellBlock[]): string {
  const s = q(scratch);
  const lines = [
    "#!/usr/bin/env bash",
    `S=${s}`,
    // A private overlay of the repository: the guide writes pebble/, lego/, cdk.out/, terraform
    // state … into the upper layer, never into the checkout.
    `mount -t overlay overlay -o lowerdir=${q(root)},upperdir="$S/upper",workdir="$S/work" "$S/repo" || { echo "0 90" > "$S/status"; exit 90; }`,
    'cd "$S/repo"',
    "current=0",
    `trap 'echo "$current $?" > "$S/status"' EXIT`,
    `source ${q(WAIT_READY)}`,
    "set -eE -o pipefail",
  ];
  blocks.forEach((block, index) => {
    const n = index + 1;
    const file = `"$S/blocks/${n}.sh"`;
    const log = `"$S/logs/${n}.log"`;
    if (block.directive.skip) return;
    lines.push(`current=${n}; echo ${n} > "$S/current"; echo "${n} $SECONDS" >> "$S/times"`);
    const timeout = block.directive.readyTimeoutSeconds;
    if (block.directive.background) {
      lines.push(`( source ${file} ) > ${log} 2>&1 < /dev/null &`, "bg=$!");
      for (const probe of block.directive.ready)
        lines.push(`wait_ready ${q(probe)} ${timeout} "$bg" >> ${log}`);
    } else {
      lines.push(`{ source ${file}; } > ${log} 2>&1 < /dev/null`);
      for (const probe of block.directive.ready) lines.push(`wait_ready ${q(probe)} ${timeout} >> ${log}`);
    }
  });
  lines.push('echo "end $SECONDS" >> "$S/times"', "current=done", "exit 0", "");
  return lines.join("\n");
}

/** The environment a reader's shell would have, with HOME in the scratch directory. */
function guideEnv(root: string, home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin",
    HOME: home,
    LANG: process.env.LANG ?? "C.UTF-8",
    TERM: "dumb",
    NO_COLOR: "1",
    CI: process.env.CI ?? "1",
    TURBO_TELEMETRY_DISABLED: "1",
    DO_NOT_TRACK: "1",
    CHECKPOINT_DISABLE: "1",
  };
  if (process.env.npm_config_nodedir) env.npm_config_nodedir = process.env.npm_config_nodedir;
  // pnpm refuses a node_modules installed from another store; HOME moved, so name the store.
  const modules = readFileSync(path.join(root, "node_modules/.modules.yaml"), "utf8");
  const store = /"?storeDir"?:\s*"?([^"\n,]+)/.exec(modules)?.[1]?.trim();
  // The recorded path ends in the store layout version (…/store/v10), which pnpm appends itself.
  if (store) env.npm_config_store_dir = store.replace(/\/v\d+$/, "");
  return env;
}

/**
 * Runs a guide's shell blocks as printed, in order, inside a network namespace of its own (so the
 * guide's fixed ports are free and nothing leaves loopback) on an overlay copy of the repository.
 * Everything started inside the namespace is killed at the end, and the namespace removed, even
 * when the guide fails or times out.
 */
export async function runGuide(options: RunGuideOptions): Promise<GuideResult> {
  const started = Date.now();
  const tagged = options.sources.flatMap((source) =>
    blocksOf(options.root, source).map((block) => ({ file: source.file, block })),
  );
  const scratch = mkdtempSync(path.join(tmpdir(), `dnscove-guide-${options.label}-`));
  for (const dir of ["upper", "work", "repo", "home", "blocks", "logs"]) mkdirSync(path.join(scratch, dir));
  tagged.forEach(({ block }, i) => {
    writeFileSync(path.join(scratch, "blocks", `${i + 1}.sh`), block.code);
  });
  writeFileSync(
    path.join(scratch, "driver.sh"),
    driverScript(
      scratch,
      options.root,
      tagged.map((t) => t.block),
    ),
  );

  const name = `dnscove-guide-${options.label}-${process.pid}-${randomBytes(2).toString("hex")}`.slice(0, 48);
  await createNetns(name);
  let timedOut = false;
  try {
    await new Promise<void>((resolve, reject) => {
      // unshare -m: the overlay mount lives and dies with the guide's processes.
      const child = spawn(
        "ip",
        ["netns", "exec", name, "unshare", "-m", "bash", path.join(scratch, "driver.sh")],
        {
          env: guideEnv(options.root, path.join(scratch, "home")),
          stdio: ["ignore", "inherit", "inherit"],
        },
      );
      const timer = setTimeout(() => {
        timedOut = true;
        child.kill("SIGKILL");
      }, options.timeoutMs);
      child.on("error", reject);
      child.on("exit", () => {
        clearTimeout(timer);
        resolve();
      });
    });
  } finally {
    await destroyNetns(name);
  }

  // A block's time: from its start to the next block's (or the end mark).
  const secondsOf = (key: string): number | undefined => {
    const at = startedAt.get(key);
    const next = ranKeys[ranKeys.indexOf(key) + 1];
    return at === undefined || next === undefined ? undefined : (startedAt.get(next) ?? at) - at;
  };
  let failedAt: number | undefined;
  let failedStatus = 0;
  try {
    const [where = "", status = ""] = readFileSync(path.join(scratch, "status"), "utf8").trim().split(" ");
    if (where !== "done") {
      failedAt = Number(where);
      failedStatus = Number(status);
    }
  } catch {
    // No EXIT trap ran (killed at the timeout): the block in progress is the one that hung.
    try {
      failedAt = Number(readFileSync(path.join(scratch, "current"), "utf8").trim());
    } catch {
      failedAt = 0;
    }
    failedStatus = -1;
  }
  const startedAt = new Map<string, number>();
  try {
    for (const line of readFileSync(path.join(scratch, "times"), "utf8").trim().split("\n")) {
      const [key = "", at = ""] = line.split(" ");
      startedAt.set(key, Number(at));
    }
  } catch {
    // no block started
  }
  const ranKeys = [...startedAt.keys()];
  const blocks = tagged.map(({ file, block }, i): BlockResult => {
    const n = i + 1;
    let output = "";
    try {
      output = readFileSync(path.join(scratch, "logs", `${n}.log`), "utf8");
    } catch {
      // never ran
    }
    const ran = failedAt === undefined || n <= failedAt;
    const status = block.directive.skip || !ran ? undefined : n === failedAt ? failedStatus : 0;
    if (timedOut && n === failedAt) output += `\n[runner] guide timed out after ${options.timeoutMs} ms`;
    return {
      file,
      line: block.line,
      code: block.code,
      skipped: block.directive.skip,
      status,
      output,
      expect: block.directive.expect,
      seconds: secondsOf(String(n)),
    };
  });
  if (failedAt === 0) {
    blocks.unshift({
      file: "(runner)",
      line: 0,
      code: "mount the overlay copy",
      status: failedStatus,
      output: timedOut ? "timed out" : "the driver failed before the first block",
      expect: [],
    });
  }
  rmSync(scratch, { recursive: true, force: true });
  return { blocks, seconds: (Date.now() - started) / 1000 };
}
