/**
 * One RFC 2136 update, sent by BIND's `nsupdate` or Knot's `knsupdate`: the test writes the steps
 * once and each tool gets its own script (knsupdate has `origin` and relative owners, `add`/`del`
 * without `update`, and reports failures in its own words), so every case runs with both clients.
 */
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { runCommand } from "@dnscove/testkit";

export const UPDATE_CLIENTS = ["nsupdate", "knsupdate"] as const;
export type UpdateClient = (typeof UPDATE_CLIENTS)[number];

/** Owners are absolute (trailing dot); `data` is presentation format. */
export type UpdateStep =
  | { prereq: "yxdomain" | "nxdomain"; name: string }
  | { prereq: "yxrrset" | "nxrrset"; name: string; type: string; data?: string }
  | { add: string; ttl: number; type: string; data: string }
  | { del: string; type?: string; data?: string };

export interface UpdateScript {
  port: number;
  /** The zone statement (absolute). */
  zone: string;
  key?: { name: string; secret: string } | undefined;
  steps: UpdateStep[];
}

export interface UpdateOutcome {
  /** The RCODE the client reports: NOERROR when it exits 0. */
  rcode: string;
  code: number | null;
  output: string;
}

/** `www.example.` under origin `example.` is `www` (knsupdate appends its `origin`); the apex stays absolute. */
function relative(name: string, origin: string): string {
  return name.endsWith(`.${origin}`) ? name.slice(0, -origin.length - 1) : name;
}

function render(client: UpdateClient, script: UpdateScript): string {
  const knot = client === "knsupdate";
  const owner = (name: string) => (knot ? relative(name, script.zone) : name);
  const lines = [`server 127.0.0.1 ${script.port}`, `zone ${script.zone}`];
  if (knot) lines.push(`origin ${script.zone}`);
  if (script.key) lines.push(`key hmac-sha256:${script.key.name} ${script.key.secret}`);
  for (const step of script.steps) {
    const words =
      "prereq" in step
        ? ["prereq", step.prereq, owner(step.name), ...("type" in step ? [step.type, step.data ?? ""] : [])]
        : "add" in step
          ? [knot ? "add" : "update add", owner(step.add), String(step.ttl), step.type, step.data]
          : [knot ? "del" : "update delete", owner(step.del), step.type ?? "", step.data ?? ""];
    lines.push(words.filter(Boolean).join(" "));
  }
  lines.push("send", "answer", "");
  return lines.join("\n");
}

/**
 * How each tool names a refusal: nsupdate prints `update failed: NXDOMAIN`, and for a TSIG error the
 * header's RCODE with the TSIG error, `NOTAUTH(BADSIG)`; knsupdate prints the answer's header,
 * `status: NXDOMAIN`, where a TSIG error (RFC 8945 §5.3: RCODE NOTAUTH, error in the TSIG RR) shows
 * as the error alone, `status: BADSIG`.
 */
const RCODE_IN_OUTPUT: Record<UpdateClient, RegExp> = {
  nsupdate: /update failed: ([A-Z]+(?:\([A-Z]+\))?)/,
  knsupdate: /status: ([A-Z]+)/,
};

/** The refusal of a TSIG error (BADSIG, BADKEY, BADTIME) as `client` reports it. */
export function tsigRefusal(client: UpdateClient, error: string): string {
  return client === "nsupdate" ? `NOTAUTH(${error})` : error;
}

export async function sendUpdate(
  client: UpdateClient,
  script: UpdateScript,
  dir: string,
): Promise<UpdateOutcome> {
  const file = path.join(dir, `${client}-${randomBytes(4).toString("hex")}.txt`);
  writeFileSync(file, render(client, script));
  const result = await runCommand(client, [file], { timeoutMs: 60_000 });
  const output = `${result.stdout}${result.stderr}`;
  if (result.code === 0) return { rcode: "NOERROR", code: 0, output };
  const rcode = RCODE_IN_OUTPUT[client].exec(output)?.[1];
  return { rcode: rcode ?? `unrecognised output: ${output}`, code: result.code, output };
}
