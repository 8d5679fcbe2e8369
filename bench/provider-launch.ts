/**
 * Starting the Terraform provider the way go-plugin does, for the Terraform benchmarks: the
 * handshake environment, a throwaway AutoMTLS client certificate, and the time to the handshake line.
 */
import { execFileSync, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";

const MAGIC_COOKIE = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2"; // TF_PLUGIN_MAGIC_COOKIE

/** A self-signed P-256 client certificate in `dir` (PEM), as terraform sends in PLUGIN_CLIENT_CERT. */
export function clientCertificate(dir: string): string {
  execFileSync(
    "openssl",
    ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "1"].concat([
      "-subj",
      "/CN=localhost",
      "-keyout",
      path.join(dir, "client.key"),
      "-out",
      path.join(dir, "client.pem"),
    ]),
    { stdio: "ignore" },
  );
  return readFileSync(path.join(dir, "client.pem"), "utf8");
}

export /** Spawns the launcher as go-plugin would and resolves with the ms until the handshake line. */
function startOnce(launcher: string, clientCert: string | undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(launcher, [], {
      env: {
        PATH: process.env.PATH ?? "",
        TF_PLUGIN_MAGIC_COOKIE: MAGIC_COOKIE,
        PLUGIN_PROTOCOL_VERSIONS: "6",
        PLUGIN_MIN_PORT: "10000",
        PLUGIN_MAX_PORT: "25000",
        ...(clientCert ? { PLUGIN_CLIENT_CERT: clientCert } : {}),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let done = false;
    child.stderr.on("data", (chunk) => (stderr += String(chunk)));
    child.stdout.on("data", (chunk) => {
      stdout += String(chunk);
      if (!done && stdout.includes("\n")) {
        done = true;
        const ms = performance.now() - started;
        if (!/^1\|6\|tcp\|127\.0\.0\.1:\d+\|grpc\|/.test(stdout)) {
          child.kill("SIGKILL");
          reject(new Error(`unexpected handshake: ${stdout}`));
          return;
        }
        child.once("exit", () => resolve(ms));
        child.kill("SIGTERM");
      }
    });
    child.once("exit", (code) => {
      if (!done) reject(new Error(`the provider exited (${code}) before its handshake:\n${stderr}`));
    });
  });
}
