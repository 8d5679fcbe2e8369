import path from "node:path";
import { z } from "zod";

/** Where the embedded SQLite database lives when DNSCOVE_DATA_DIR is unset (relative to the cwd). */
export const DEFAULT_DATA_DIR = "./data";
/** The SQLite file inside the data directory when DATABASE_URL is unset. */
export const DEFAULT_DATABASE_FILE = "dnscove.db";
export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * The settings every DNSCove process reads alike (the API, a standalone edge, an edge worker),
 * defined once so the processes that share one database always agree on where it is:
 * - LOG_LEVEL: pino level (default info)
 * - DNSCOVE_DATA_DIR: the data directory (default ./data, relative to the working directory)
 * - DATABASE_URL: postgres://… or file:… (default file:<DNSCOVE_DATA_DIR>/dnscove.db)
 */
export const ProcessEnv = z.object({
  LOG_LEVEL: z.enum(LOG_LEVELS).default("info"),
  DNSCOVE_DATA_DIR: z.string().min(1).default(DEFAULT_DATA_DIR),
  DATABASE_URL: z.string().min(1).optional(),
});

export interface ProcessSettings {
  logLevel: LogLevel;
  /** Absolute path of the data directory. */
  dataDir: string;
  databaseUrl: string;
}

/** The resolved paths of the parsed shared settings. */
export function processSettings(env: z.infer<typeof ProcessEnv>): ProcessSettings {
  const dataDir = path.resolve(env.DNSCOVE_DATA_DIR);
  return {
    logLevel: env.LOG_LEVEL,
    dataDir,
    databaseUrl: env.DATABASE_URL ?? `file:${path.join(dataDir, DEFAULT_DATABASE_FILE)}`,
  };
}

/** One message listing every invalid variable, the same shape in every process. */
export function configurationError(issues: readonly z.core.$ZodIssue[]): Error {
  const lines = issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
  return new Error(`invalid configuration:\n${lines.join("\n")}`);
}
