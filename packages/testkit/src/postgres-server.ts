import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "./ports.js";
import { runCommand } from "./run-command.js";

export interface PostgresServer {
  /** A connection URL for a database that does not exist yet is fine: use `databaseUrl(name)`. */
  url: string;
  databaseUrl(database: string): string;
  /** The server's log file (removed with the server by stop()). */
  logFile: string;
  createDatabase(database: string): Promise<void>;
  /** Stops the server but keeps its data: clients see an unreachable database. */
  pause(): Promise<void>;
  /** Starts a paused server again on the same port with the same data. */
  resume(): Promise<void>;
  /**
   * `pg_ctl stop -m <mode>`: `fast` disconnects sessions with 57P01 like an operator's stop,
   * `immediate` like a crash. Keeps the data; `restart` starts it again on the same port.
   */
  shutdown(mode?: "fast" | "immediate"): Promise<void>;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

function postgresBinDir(): string {
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  for (const version of versions) {
    const bin = path.join(root, version, "bin");
    if (existsSync(path.join(bin, "postgres"))) return bin;
  }
  throw new Error(
    "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin: install Debian's postgresql package",
  );
}

/**
 * Starts a real, throwaway PostgreSQL server on 127.0.0.1 in a temporary folder. initdb refuses to
 * run as root, so as root the cluster is created and run as the `postgres` user. Fails loudly when
 * the server cannot start: tests that need PostgreSQL never skip. `settings` are extra
 * `-c name=value` server settings (a benchmark's logging, say).
 */
export async function startPostgres(settings: Record<string, string> = {}): Promise<PostgresServer> {
  const bin = postgresBinDir();
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), "dnscove-pg-"));
  const asRoot = process.getuid?.() === 0;
  // Asynchronous throughout: tests pause and resume the server while their API and clients run
  // in the same process, which must keep answering meanwhile.
  const run = async (command: string, args: string[]) => {
    const full = path.join(bin, command);
    const result = asRoot
      ? await runCommand("runuser", ["-u", "postgres", "--", full, ...args])
      : await runCommand(full, args);
    if (result.code !== 0) {
      throw new Error(`${command} failed (${result.code}): ${result.stderr || result.stdout}`);
    }
  };
  if (asRoot) {
    const chown = await runCommand("chown", ["postgres:postgres", dir]);
    if (chown.code !== 0) throw new Error(`chown ${dir} failed: ${chown.stderr}`);
  }
  const data = path.join(dir, "data");
  const logFile = path.join(dir, "server.log");
  await run("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]);
  const start = () =>
    run("pg_ctl", [
      "-D",
      data,
      "-o",
      [
        `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`,
        ...Object.entries(settings).map(([name, value]) => `-c ${name}=${value}`),
      ].join(" "),
      "-l",
      logFile,
      "-w",
      "start",
    ]);
  await start();
  const databaseUrl = (database: string) => `postgresql://postgres@127.0.0.1:${port}/${database}`;
  return {
    url: databaseUrl("postgres"),
    databaseUrl,
    logFile,
    async createDatabase(database) {
      const result = await runCommand("psql", [
        "-h",
        "127.0.0.1",
        "-p",
        String(port),
        "-U",
        "postgres",
        "-qc",
        `CREATE DATABASE "${database}"`,
      ]);
      if (result.code !== 0) throw new Error(`CREATE DATABASE ${database} failed: ${result.stderr}`);
    },
    pause: () => run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]),
    resume: start,
    shutdown: (mode = "fast") => run("pg_ctl", ["-D", data, "-m", mode, "-w", "stop"]),
    restart: start,
    async stop() {
      try {
        await run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
