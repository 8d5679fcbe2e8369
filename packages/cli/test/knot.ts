import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { dig, freePort, waitFor } from "@dnscove/testkit";

export interface KnotZone {
  /** Absolute, e.g. "test." */
  origin: string;
  /** Zone file lines with absolute names. */
  lines: string[];
}

export interface Knot {
  port: number;
  output(): string;
  stop(): Promise<void>;
}

/**
 * A real Knot DNS primary on 127.0.0.1 at a free port, serving the given zones from files. It
 * stands in for both a recursive resolver and every authoritative server of a small private
 * hierarchy: the API's checks ask it with RD set, and Knot answers authoritatively for its zones.
 */
export async function startKnot(dir: string, zones: KnotZone[]): Promise<Knot> {
  mkdirSync(path.join(dir, "run"), { recursive: true });
  mkdirSync(path.join(dir, "db"), { recursive: true });
  const port = await freePort();
  for (const zone of zones) {
    const text = [`$ORIGIN ${zone.origin}`, "$TTL 300", ...zone.lines, ""].join("\n");
    writeFileSync(path.join(dir, `${zone.origin}zone`), text);
  }
  const conf = [
    "server:",
    `    rundir: "${path.join(dir, "run")}"`,
    `    listen: 127.0.0.1@${port}`,
    "log:",
    "  - target: stderr",
    "    any: warning",
    "database:",
    `    storage: "${path.join(dir, "db")}"`,
    "zone:",
    ...zones.map((z) => `  - domain: ${z.origin}\n    file: "${path.join(dir, `${z.origin}zone`)}"`),
    "",
  ].join("\n");
  const confFile = path.join(dir, "knot.conf");
  writeFileSync(confFile, conf);
  const child: ChildProcess = spawn("knotd", ["-c", confFile], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (chunk) => (output += String(chunk)));
  child.stderr?.on("data", (chunk) => (output += String(chunk)));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.once("error", (error) => {
    output += `\nknotd could not start: ${error.message}`;
  });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      await exited;
    }
  };
  const last = zones.at(-1)?.origin ?? ".";
  try {
    await waitFor(
      `knotd to serve ${last}`,
      async () => child.exitCode !== null || (await dig(port, last, "SOA", "+short")).trim() !== "",
      30_000,
    );
    if (child.exitCode !== null) throw new Error(`knotd exited (${child.exitCode})`);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n${output}`);
  }
  return { port, output: () => output, stop };
}
