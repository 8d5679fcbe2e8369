#!/usr/bin/env node
import { serveAsPlugin } from "./protocol/handshake.js";

serveAsPlugin().catch((error: unknown) => {
  process.stderr.write(`terraform-provider-dnscove failed to start: ${String(error)}\n`);
  process.exit(1);
});
