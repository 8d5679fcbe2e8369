/**
 * The three validating views of a signed hierarchy (hierarchy.ts with `dnssec: true`), each
 * returning a verdict a test can assert on:
 *   - `resolve`: the validating unbound at 127.0.0.1:53 through `dig +dnssec` — rcode, the AD flag
 *     and the Extended DNS Error (RFC 8914; unbound's `ede: yes`) that says why a SERVFAIL is one;
 *   - `delv`: BIND's delv validating on its own from the root trust anchor, asking the resolver with
 *     CD set (`+cdflag`) so it sees what the servers sent, bogus or not, and judges it itself;
 *   - `dnsviz`: `dnsviz probe` of the authoritative servers from the root down, then `dnsviz grok`
 *     with the root trust anchor: every error and warning it finds.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type Hierarchy, RESOLVER, ROOT_ADDRESS } from "../../dns-checks/helpers/hierarchy.js";
import { runOk } from "../../dns-checks/helpers/netns.js";

/** On PATH (requireTools); dnsviz also needs Debian's /usr/bin/python3. */
export const VALIDATOR_TOOLS = ["delv", "dig", "dnsviz"] as const;

/** Debian's python (dnsviz's modules), not a python3 earlier on PATH (pyenv here). */
export const PYTHON = "/usr/bin/python3";
const DNSVIZ = fileURLToPath(new URL("./run-dnsviz.py", import.meta.url));

function requireSigned(h: Hierarchy) {
  if (!h.dnssec) throw new Error("the hierarchy was not started with dnssec: true");
  return h.dnssec;
}

export interface ResolverAnswer {
  /** NOERROR, NXDOMAIN, SERVFAIL, ... */
  status: string;
  /** The AD flag: unbound validated the answer (RFC 4035 section 3.2.3). */
  ad: boolean;
  flags: string[];
  /** The answer section's records, "name ttl IN type rdata" with single spaces. */
  answer: string[];
  /** The Extended DNS Error line(s), e.g. "6 (DNSSEC Bogus): (validation failure <...>)". */
  ede: string[];
  raw: string;
}

function section(raw: string, name: string): string[] {
  const lines = raw.split("\n");
  const start = lines.findIndex((l) => l.startsWith(`;; ${name} SECTION:`));
  if (start < 0) return [];
  const out: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.trim() === "") break;
    out.push(line.trim().replace(/\s+/g, " "));
  }
  return out;
}

/** One question to the validating resolver, DO set (`dig +dnssec`), from inside the namespace. */
export async function resolve(h: Hierarchy, name: string, type: string): Promise<ResolverAnswer> {
  // Up to 10 s: a bogus answer costs unbound a few retries against every server before SERVFAIL.
  const raw = await h.dig([
    `@${RESOLVER.host}`,
    "-p",
    String(RESOLVER.port),
    name,
    type,
    "+dnssec",
    "+time=10",
    "+tries=1",
  ]);
  const status = /status: ([A-Z]+)/.exec(raw)?.[1];
  if (!status) throw new Error(`no answer from the resolver for ${name} ${type}:\n${raw}`);
  const flags = (/;; flags: ([a-z ]+);/.exec(raw)?.[1] ?? "").trim().split(/\s+/);
  const ede = [...raw.matchAll(/^; EDE: (.*)$/gm)].map((m) => m[1] ?? "");
  return { status, ad: flags.includes("ad"), flags, answer: section(raw, "ANSWER"), ede, raw };
}

export type DelvVerdict =
  /** "; fully validated": a secure answer. */
  | "secure"
  /** "; negative response, fully validated": a secure NXDOMAIN or NODATA (see `negative`). */
  | "secure-negative"
  /** "; unsigned answer" (also negative): an answer from below an insecure delegation. */
  | "insecure"
  /** delv could not validate: bogus data, a broken chain ("resolution failed: <reason>"). */
  | "failed";

export interface DelvResult {
  verdict: DelvVerdict;
  /** For negative answers: "nxdomain" or "nxrrset" (NODATA). */
  negative?: "nxdomain" | "nxrrset";
  /** What delv gave as the reason it failed, e.g. "RRSIG failed to verify", "no valid signature found". */
  reason?: string;
  output: string;
}

/** Validates `name`/`type` with delv from the root trust anchor, through the namespace resolver. */
export async function delv(h: Hierarchy, name: string, type: string): Promise<DelvResult> {
  const { anchorFiles } = requireSigned(h);
  const r = await h.ns.run(
    "delv",
    ["-a", anchorFiles.delv, `@${RESOLVER.host}`, "-p", String(RESOLVER.port), "+cdflag", name, type],
    30_000,
  );
  const output = `${r.stdout}\n${r.stderr}`.trim();
  const failure = /^;; resolution failed: (.*)$/m.exec(output)?.[1]?.trim();
  const negative =
    failure === "ncache nxdomain" ? "nxdomain" : failure === "ncache nxrrset" ? "nxrrset" : undefined;
  const lines = output.split("\n").map((l) => l.trim());
  const has = (text: string) => lines.includes(text);
  let verdict: DelvVerdict;
  if (has("; fully validated")) verdict = "secure";
  else if (has("; negative response, fully validated")) verdict = "secure-negative";
  else if (has("; unsigned answer") || has("; negative response, unsigned answer")) verdict = "insecure";
  else verdict = "failed";
  return {
    verdict,
    ...(negative ? { negative } : {}),
    ...(verdict === "failed" && failure ? { reason: failure } : {}),
    output,
  };
}

export interface DnsvizFinding {
  /** Where in grok's output: e.g. "www.signed.test./queries/www.signed.test./IN/A/answer/0/rrsig/0". */
  path: string;
  code: string;
  description: string;
}

export interface DnsvizResult {
  errors: DnsvizFinding[];
  warnings: DnsvizFinding[];
  /** grok's verdict on each zone's delegation, e.g. { "signed.test.": "SECURE", "test.": "SECURE" }. */
  delegation: Record<string, string>;
  /** grok's output (JSON). */
  grok: Record<string, unknown>;
}

function findings(node: unknown, at: string, out: { errors: DnsvizFinding[]; warnings: DnsvizFinding[] }) {
  if (Array.isArray(node)) {
    node.forEach((item, i) => {
      findings(item, `${at}/${i}`, out);
    });
    return;
  }
  if (node === null || typeof node !== "object") return;
  for (const [key, value] of Object.entries(node)) {
    if ((key === "errors" || key === "warnings") && Array.isArray(value)) {
      for (const f of value as Array<{ code?: string; description?: string }>)
        out[key].push({ path: at, code: f.code ?? "?", description: f.description ?? "" });
    } else findings(value, at === "" ? key : `${at}/${key}`, out);
  }
}

/**
 * `dnsviz probe` (authoritative analysis from the private root at 127.0.0.10, every ancestor
 * included) of `names`, then `dnsviz grok` with the root trust anchor. dnsviz only asks about the
 * names it is given (and its own probes for NXDOMAIN/NODATA at each zone), so list the names whose
 * data matters, e.g. ["signed.test.", "www.signed.test."]. Private (127/8) server addresses are
 * allowed (`grok -P`): every server here is on the namespace's loopback.
 */
export async function dnsviz(h: Hierarchy, names: readonly string[]): Promise<DnsvizResult> {
  const { anchorFiles } = requireSigned(h);
  const work = mkdtempSync(path.join(h.dir, "dnsviz-"));
  try {
    const probe = path.join(work, "probe.json");
    const grok = path.join(work, "grok.json");
    const probed = await h.ns.run(
      PYTHON,
      [DNSVIZ, "probe", "-A", "-a", ".", "-x", `.:a.root-servers.net=${ROOT_ADDRESS}`, "-o", probe, ...names],
      120_000,
    );
    if (probed.code !== 0)
      throw new Error(`dnsviz probe exited ${probed.code}\n${probed.stdout}\n${probed.stderr}`);
    await runOk(PYTHON, [DNSVIZ, "grok", "-P", "-t", anchorFiles.dnsviz, "-r", probe, "-o", grok], 120_000);
    const result = JSON.parse(readFileSync(grok, "utf8")) as Record<string, unknown>;
    const out = { errors: [] as DnsvizFinding[], warnings: [] as DnsvizFinding[] };
    findings(result, "", out);
    const delegation: Record<string, string> = {};
    for (const [zone, value] of Object.entries(result)) {
      const status = (value as { delegation?: { status?: string } }).delegation?.status;
      if (status) delegation[zone] = status;
    }
    return { ...out, delegation, grok: result };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
