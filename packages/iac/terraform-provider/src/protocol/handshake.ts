import { log } from "./log.js";
import { startServer } from "./server.js";
import { makeServerCertificate } from "./tls.js";

/**
 * HashiCorp go-plugin's launch contract: the magic cookie proves Terraform started us, the
 * protocol versions it offers must include 6 (tfplugin6), and the single stdout line
 * `1|6|tcp|127.0.0.1:<port>|grpc|<server cert>` tells it where to dial (AutoMTLS when it sent
 * PLUGIN_CLIENT_CERT). Nothing else may reach stdout.
 */
const MAGIC_COOKIE_KEY = "TF_PLUGIN_MAGIC_COOKIE";
const MAGIC_COOKIE_VALUE = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";

export async function serveAsPlugin(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  // Stdout carries only the handshake line: route stray console output to stderr.
  console.log = console.error;
  console.info = console.error;

  if (env[MAGIC_COOKIE_KEY] !== MAGIC_COOKIE_VALUE) {
    process.stderr.write(
      "This binary is a plugin. These are not meant to be executed directly.\n" +
        "Please execute the program that consumes these plugins, which will\n" +
        "load any plugins automatically.\n",
    );
    process.exit(1);
  }
  const versions = (env.PLUGIN_PROTOCOL_VERSIONS ?? "6").split(",").map((v) => v.trim());
  if (!versions.includes("6")) {
    process.stderr.write(
      `terraform-provider-dnscove speaks plugin protocol 6 only; the client offers ${versions.join(",")}\n`,
    );
    process.exit(1);
  }

  // Ctrl-C reaches the whole process group; Terraform coordinates cancellation (StopProvider).
  process.on("SIGINT", () => {});
  process.on("SIGTERM", () => process.exit(0));

  const clientCertPem = env.PLUGIN_CLIENT_CERT;
  const serverCert = clientCertPem ? makeServerCertificate() : undefined;
  let exiting = false;
  const { server, port } = await startServer({
    clientCertPem,
    serverCert,
    onShutdown: () => {
      if (exiting) return;
      exiting = true;
      log("debug", "shutdown requested");
      server.tryShutdown(() => process.exit(0));
      setTimeout(() => process.exit(0), 200).unref();
    },
  });
  process.stdout.write(`1|6|tcp|127.0.0.1:${port}|grpc|${serverCert?.handshake ?? ""}\n`);
  log("debug", "plugin started", { port });

  // Exit when Terraform goes away without telling us.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) process.exit(0);
  }, 1000).unref();
}
