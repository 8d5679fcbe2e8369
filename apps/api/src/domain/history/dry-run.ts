import type { Db, DbTransaction, RawTransactionOptions, RawTx } from "@dnscove/db";
import { runRawTransaction } from "@dnscove/db";

/** Carries a dry run's answer out of the transaction it rolls back. */
class DryRunRollback<T> extends Error {
  constructor(readonly answer: T) {
    super("dry run: rolled back");
  }
}

/** Runs `fn` in one transaction of some kind: Prisma's interactive one, or a direct one. */
type Transact<Tx> = <R>(fn: (tx: Tx) => Promise<R>) => Promise<R>;

/** A Prisma interactive transaction (model queries allowed). */
export const prismaTransaction =
  (db: Db): Transact<DbTransaction> =>
  (fn) =>
    db.$transaction(fn);

/**
 * A direct transaction on the driver (raw SQL only; packages/db raw-transaction.ts, issue 14).
 * `queueKey`: the row it locks first (RawTransactionOptions).
 */
export const rawTransaction =
  (db: Db, options: RawTransactionOptions = {}): Transact<RawTx> =>
  (fn) =>
    runRawTransaction(db, fn, options);

/**
 * Runs `work` in one transaction. A dry run does the very same work, then rolls the transaction
 * back by throwing its answer out of it: every check, every computed row and the serial it would
 * take are exactly those of a real run, and nothing is written (issue 15).
 */
export async function transactMaybeDry<Tx, T>(
  transact: Transact<Tx>,
  dryRun: boolean,
  work: (tx: Tx) => Promise<T>,
): Promise<T> {
  if (!dryRun) return transact(work);
  try {
    await transact(async (tx) => {
      throw new DryRunRollback(await work(tx));
    });
  } catch (error) {
    if (error instanceof DryRunRollback) return error.answer as T;
    throw error;
  }
  throw new Error("unreachable: a dry run always rolls back");
}
