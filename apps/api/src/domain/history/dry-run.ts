import type { Db, DbTransaction } from "@dnscove/db";

/** Carries a dry run's answer out of the transaction it rolls back. */
class DryRunRollback<T> extends Error {
  constructor(readonly answer: T) {
    super("dry run: rolled back");
  }
}

/**
 * Runs `work` in one transaction. A dry run does the very same work, then rolls the transaction
 * back by throwing its answer out of it: every check, every computed row and the serial it would
 * take are exactly those of a real run, and nothing is written (issue 15).
 */
export async function transactMaybeDry<T>(
  db: Db,
  dryRun: boolean,
  work: (tx: DbTransaction) => Promise<T>,
): Promise<T> {
  if (!dryRun) return db.$transaction(work);
  try {
    await db.$transaction(async (tx) => {
      throw new DryRunRollback(await work(tx));
    });
  } catch (error) {
    if (error instanceof DryRunRollback) return error.answer as T;
    throw error;
  }
  throw new Error("unreachable: a dry run always rolls back");
}
