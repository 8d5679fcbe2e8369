/**
 * WAL checkpoints off the event loop (issue 14). SQLite's automatic checkpoint runs inside the
 * COMMIT that crosses `wal_autocheckpoint` pages (default 1,000): copying those pages into the
 * database file and fsyncing it blocked the API's only thread for milliseconds, on every ~1,000th
 * page written. Here a worker thread with its own connection runs `PRAGMA wal_checkpoint(PASSIVE)`
 * whenever the WAL has grown, so the writer never checkpoints itself (openDatabase raises its
 * `wal_autocheckpoint` to WRITER_AUTOCHECKPOINT_PAGES, a backstop if this worker ever stops).
 *
 * PASSIVE never waits for readers or the writer and never calls the busy handler
 * (https://www.sqlite.org/c3ref/wal_checkpoint_v2.html): it copies what it can. The writer
 * rewinds the WAL to its start at its next transaction once every frame is copied and no reader
 * still uses them (https://www.sqlite.org/wal.html#checkpointing), so the file stops growing.
 */
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

/** The writer's own checkpoint threshold while the worker checkpoints: see docs/decisions.md. */
export const WRITER_AUTOCHECKPOINT_PAGES = 20_000;

/** How often the worker looks at the WAL: short enough that the WAL stays small under load. */
const DEFAULT_INTERVAL_MS = 100;

/** `PRAGMA wal_checkpoint` results: busy flag, frames in the WAL, frames copied to the database. */
export interface WalCheckpointResult {
  busy: number;
  log: number;
  checkpointed: number;
}

export interface WalCheckpointerOptions {
  intervalMs?: number;
}

/**
 * The worker's code, evaluated (not a file) so it runs the same from `src` under vitest and from
 * `dist`: a `.ts` worker file would need a loader, and the compiled one is not there in tests.
 * better-sqlite3 is loaded from the path this module resolves, not from the process's cwd.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
const checkpoint = db.prepare("PRAGMA wal_checkpoint(PASSIVE)");
let lastMtime = -1;
let lastSize = -1;
const fs = require("node:fs");
function walChanged() {
  // The WAL is written in place after a rewind, so its size alone can stay the same: mtime too.
  try {
    const stat = fs.statSync(workerData.file + "-wal");
    const changed = stat.mtimeMs !== lastMtime || stat.size !== lastSize;
    lastMtime = stat.mtimeMs;
    lastSize = stat.size;
    return changed && stat.size > 0;
  } catch {
    return false;
  }
}
function run() {
  const row = checkpoint.get();
  parentPort.postMessage({ busy: row.busy, log: row.log, checkpointed: row.checkpointed });
}
const timer = setInterval(() => {
  if (walChanged()) run();
}, workerData.intervalMs);
parentPort.on("message", (message) => {
  if (message === "checkpoint") run();
  else if (message === "close") {
    clearInterval(timer);
    db.close();
    parentPort.close();
  }
});
`;

export class WalCheckpointer {
  readonly #worker: Worker;
  readonly #exited: Promise<void>;
  readonly #waiting: ((result: WalCheckpointResult) => void)[] = [];
  #running = true;
  #checkpoints = 0;
  #last: WalCheckpointResult | undefined;

  constructor(file: string, options: WalCheckpointerOptions = {}) {
    const driver = createRequire(import.meta.url).resolve("better-sqlite3");
    this.#worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { file, driver, intervalMs: options.intervalMs ?? DEFAULT_INTERVAL_MS },
    });
    // The API's exit must not wait for it; close() ends it on an orderly shutdown.
    this.#worker.unref();
    this.#worker.on("message", (result: WalCheckpointResult) => {
      this.#checkpoints += 1;
      this.#last = result;
      for (const resolve of this.#waiting.splice(0)) resolve(result);
    });
    // A failing worker (the file removed, a disk error) leaves the writer's backstop checkpoint.
    this.#worker.on("error", () => undefined);
    this.#exited = new Promise((resolve) =>
      this.#worker.once("exit", () => {
        this.#running = false;
        resolve();
      }),
    );
  }

  /** False once the worker has ended (close(), or a failure). */
  get running(): boolean {
    return this.#running;
  }

  /** Checkpoints the worker has run so far. */
  get checkpoints(): number {
    return this.#checkpoints;
  }

  get lastResult(): WalCheckpointResult | undefined {
    return this.#last;
  }

  /** The result of the next checkpoint the worker finishes (its timer's or a requested one). */
  nextCheckpoint(): Promise<WalCheckpointResult> {
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  /** Asks for a checkpoint now, without waiting for the worker's next look at the WAL. */
  checkpointNow(): Promise<WalCheckpointResult> {
    const next = this.nextCheckpoint();
    this.#worker.postMessage("checkpoint");
    return next;
  }

  /** Closes the worker's connection and waits for the thread to end. */
  async close(): Promise<void> {
    if (!this.#running) return;
    // Referenced again while it ends: otherwise a process with nothing else to do would exit
    // (code 13, an unsettled top-level await) before the worker's exit event arrives.
    this.#worker.ref();
    this.#worker.postMessage("close");
    await this.#exited;
  }
}
