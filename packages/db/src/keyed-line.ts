/** One key's line, as its serve sees it. */
export interface Waiting<T> {
  /** Takes the one at the front, or answers undefined when nobody waits. */
  take(): T | undefined;
  /** How many wait. */
  readonly length: number;
}

/**
 * Callers wait in one line per key, in arrival order, and one `serve` call per key at a time takes
 * them from its front: lines under different keys are served side by side. A key holds memory
 * only while someone waits or is being served under it.
 */
export class KeyedLine<T> {
  readonly #lines = new Map<string, T[]>();

  /**
   * `serve(line)` is called whenever a key's line has someone waiting and nobody is serving it.
   * It may take several before it returns; whoever arrives after it has stopped taking waits for
   * the next call.
   */
  constructor(private readonly serve: (line: Waiting<T>) => Promise<void>) {}

  /** Keys with someone waiting or being served (tests check that none is left behind). */
  get size(): number {
    return this.#lines.size;
  }

  /**
   * Puts `item` at the back of `key`'s line. The answer withdraws it: true if it was still waiting
   * (it will never be taken), false if it has been taken already.
   */
  join(key: string, item: T): () => boolean {
    let line = this.#lines.get(key);
    if (line) {
      line.push(item);
    } else {
      line = [item];
      this.#lines.set(key, line);
      // Served from the next microtask, never from inside `join`.
      const waiting = line;
      queueMicrotask(() => void this.#serveWhileWaiting(key, waiting));
    }
    const joined = line;
    return () => {
      const at = joined.indexOf(item);
      if (at < 0) return false;
      joined.splice(at, 1);
      return true;
    };
  }

  async #serveWhileWaiting(key: string, line: T[]): Promise<void> {
    // The key is forgotten only once a serve has ended with nobody waiting, so a newcomer never
    // starts a second serve beside one still running.
    const waiting: Waiting<T> = {
      take: () => line.shift(),
      get length() {
        return line.length;
      },
    };
    while (line.length > 0) {
      try {
        await this.serve(waiting);
      } catch {
        // `serve` answers its own callers; a throw must not strand the ones still waiting.
      }
    }
    this.#lines.delete(key);
  }
}
