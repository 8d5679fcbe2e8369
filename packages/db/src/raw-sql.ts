import { Prisma } from "../generated/sqlite/client.js";

/**
 * Tagged SQL with bound values, for statements that run as raw SQL on both databases: each client
 * renders the same fragment with its own placeholders (`?` for SQLite, `$n` for PostgreSQL), so a
 * multi-row INSERT or an IN list needs no provider branch. Raw statements skip the model layer's
 * per-call planning, which matters on the write path (issue 14).
 */
export const sql = Prisma.sql;
/** `a, b, c` from fragments or values (an IN list, the rows of a multi-row VALUES). */
export const joinSql = Prisma.join;
export type Sql = Prisma.Sql;
