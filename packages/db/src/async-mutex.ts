/**
 * A first-come, first-served lock for async callers. SQLite's one connection is shared by Prisma
 * and the direct write path (direct-sqlite.ts): whoever holds this lock owns the connection, so a
 * statement never lands inside somebody else's open transaction.
 */
export class AsyncMutex {
  #locked = false;
  readonly #waiters: (() => void)[] = [];

  /** Someone holds the lock (or it is being handed to a waiter). */
  get locked(): boolean {
    return this.#locked;
  }

  /** Resolves with a release function, callable once (later calls do nothing). */
  async acquire(): Promise<() => void> {
    if (this.#locked) await new Promise<void>((resolve) => this.#waiters.push(resolve));
    else this.#locked = true;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiters.shift();
      // Ownership passes straight to the next waiter: nobody can barge in between.
      if (next) next();
      else this.#locked = false;
    };
  }
}
