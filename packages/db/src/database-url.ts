import path from "node:path";

export type Provider = "sqlite" | "postgres";

export interface DatabaseTarget {
  provider: Provider;
  /** For SQLite an absolute file path; for PostgreSQL the connection string as given. */
  location: string;
}

/**
 * Decides which database a URL names. PostgreSQL for postgres:// and postgresql:// URLs; everything
 * else is SQLite: `file:relative/or/absolute.db` or a bare path. Relative SQLite paths are resolved
 * against `baseDir` (the data directory), never the process cwd, so the API, the edge and the tests
 * agree on one file.
 */
export function parseDatabaseUrl(url: string, baseDir: string): DatabaseTarget {
  if (/^postgres(ql)?:\/\//i.test(url)) return { provider: "postgres", location: url };
  const file = url.startsWith("file:") ? url.slice("file:".length) : url;
  if (file.length === 0) throw new Error("DATABASE_URL names no SQLite file");
  return { provider: "sqlite", location: path.resolve(baseDir, file) };
}
