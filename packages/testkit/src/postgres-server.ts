import { execFile, execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";

export interface PostgresServer {
  /** A connection URL for a database that does not exist yet is fine: use `databaseUrl(name)`. */
  url: string;
  databaseUrl(database: string): string;
  createDatabase(database: string): void;
  /** Stops the server but keeps its data: clients see an unreachable database. */
  pause(): void;
  /** Starts a paused server again on the same port with the same data. */
  resume(): void;
  /**
   * `pg_ctl stop -m <mode>` without blocking the event loop (clients in this process keep running):
   * `fast` disconnects sessions with 57P01 like an operator's stop, `immediate` like a crash.
   */
  shutdown(mode?: "fast" | "immediate"): Promise<void>;
  /** Starts the server again after `shutdown`, same data directory and port, without blocking. */
  restart(): Promise<void>;
  stop(): void;
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

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/**
 * Starts a real, throwaway PostgreSQL server on 127.0.0.1 in a temporary folder. initdb refuses to
 * run as root, so as root the cluster is created and run as the `postgres` user. Fails loudly when
 * the server cannot start: tests that need PostgreSQL never skip.
 */
export async function startPostgres(): Promise<PostgresServer> {
  const bin = postgresBinDir();
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), "dnscove-pg-"));
  const asRoot = process.getuid?.() === 0;
  const run = (command: string, args: string[]) => {
    const full = path.join(bin, command);
    const result = asRoot
      ? spawnSync("runuser", ["-u", "postgres", "--", full, ...args], { encoding: "utf8" })
      : spawnSync(full, args, { encoding: "utf8" });
    if (result.status !== 0) {
      throw new Error(
        `${command} failed (${result.status}): ${result.stderr || result.stdout || result.error}`,
      );
    }
  };
  if (asRoot) execFileSync("chown", ["postgres:postgres", dir]);
  const data = path.join(dir, "data");
  run("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]);
  const startArgs = () => [
    "-D",
    data,
    "-o",
    `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`,
    "-l",
    path.join(dir, "server.log"),
    "-w",
    "start",
  ];
  const start = () => run("pg_ctl", startArgs());
  start();
  const runAsync = (command: string, args: string[]) =>
    new Promise<void>((resolve, reject) => {
      const full = path.join(bin, command);
      const [file, argv] = asRoot ? ["runuser", ["-u", "postgres", "--", full, ...args]] : [full, args];
      execFile(file, argv, { encoding: "utf8" }, (error, stdout, stderr) => {
        if (error) reject(new Error(`${command} failed: ${stderr || stdout || error.message}`));
        else resolve();
      });
    });
  const databaseUrl = (database: string) => `postgresql://postgres@127.0.0.1:${port}/${database}`;
  return {
    url: databaseUrl("postgres"),
    databaseUrl,
    createDatabase(database) {
      execFileSync("psql", [
        "-h",
        "127.0.0.1",
        "-p",
        String(port),
        "-U",
        "postgres",
        "-qc",
        `CREATE DATABASE "${database}"`,
      ]);
    },
    pause() {
      run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
    },
    resume: start,
    shutdown: (mode = "fast") => runAsync("pg_ctl", ["-D", data, "-m", mode, "-w", "stop"]),
    restart: () => runAsync("pg_ctl", startArgs()),
    stop() {
      try {
        run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
