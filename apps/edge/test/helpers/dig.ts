/** Runs dig / kdig against loopback only and parses their text output. */
import { execFile } from "node:child_process";

export interface DigRecord {
  owner: string;
  ttl: number;
  type: string;
  rdata: string;
}

export interface DigResult {
  raw: string;
  status: string | undefined;
  flags: string[];
  answer: DigRecord[];
  authority: DigRecord[];
  additional: DigRecord[];
  /** "UDP" or "TCP" as reported by the client for the final exchange. */
  transport: string | undefined;
  truncatedRetry: boolean;
  ednsVersion?: number;
  udpSize?: number;
}

export function run(
  cmd: string,
  args: string[],
  timeoutMs = 15_000,
): Promise<{ stdout: string; stderr: string; code: number }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const raw = err ? (err as unknown as { code?: unknown }).code : 0;
      resolve({
        stdout: String(stdout),
        stderr: String(stderr),
        code: typeof raw === "number" ? raw : err ? 1 : 0,
      });
    });
  });
}

function parseRecord(line: string): DigRecord | undefined {
  const m = /^(\S+)\s+(\d+)\s+(IN|CH|ANY|CLASS\d+)\s+(\S+)\s*(.*)$/.exec(line.trim());
  if (!m) return undefined;
  return {
    owner: (m[1] as string).toLowerCase(),
    ttl: Number(m[2]),
    type: m[4] as string,
    rdata: (m[5] as string).trim(),
  };
}

/** Parses dig's and kdig's (they differ in punctuation) default output. */
export function parseDigOutput(raw: string): DigResult {
  const res: DigResult = {
    raw,
    status: undefined,
    flags: [],
    answer: [],
    authority: [],
    additional: [],
    transport: undefined,
    truncatedRetry: false,
  };
  let section: "answer" | "authority" | "additional" | undefined;
  for (const line of raw.split("\n")) {
    const st = /status: ([A-Z0-9]+)/.exec(line);
    if (st) res.status = st[1];
    const fl = /^;; [Ff]lags: ([a-z ]*);/.exec(line);
    if (fl) res.flags = (fl[1] as string).trim().split(/\s+/).filter(Boolean);
    if (/Truncated, retrying in TCP mode/.test(line)) res.truncatedRetry = true;
    const srv = /^;; (?:SERVER: .*\((UDP|TCP)\)|From .*\((UDP|TCP)\))/.exec(line);
    if (srv) res.transport = srv[1] ?? srv[2];
    const edns =
      /EDNS: version: (\d+), flags:.*udp: (\d+)/.exec(line) ??
      /Version: (\d+); flags: .*; UDP size: (\d+) B/.exec(line);
    if (edns) {
      res.ednsVersion = Number(edns[1]);
      res.udpSize = Number(edns[2]);
    }
    if (/^;; ANSWER SECTION:/.test(line)) section = "answer";
    else if (/^;; AUTHORITY SECTION:/.test(line)) section = "authority";
    else if (/^;; ADDITIONAL SECTION:/.test(line)) section = "additional";
    else if (line.trim() === "" || line.startsWith(";;")) section = line.trim() === "" ? undefined : section;
    else if (section && !line.startsWith(";")) {
      const rec = parseRecord(line);
      if (rec && rec.type !== "OPT") res[section].push(rec);
    }
  }
  return res;
}

export async function dig(port: number, args: string[], host = "127.0.0.1"): Promise<DigResult> {
  const r = await run("dig", [`@${host}`, "-p", String(port), "+norec", "+time=2", "+tries=1", ...args]);
  return parseDigOutput(r.stdout);
}

export async function kdig(port: number, args: string[], host = "127.0.0.1"): Promise<DigResult> {
  // kdig spells "+tries=1" as "+retry=0".
  const r = await run("kdig", [`@${host}`, "-p", String(port), "+norec", "+time=2", "+retry=0", ...args]);
  return parseDigOutput(r.stdout);
}

export async function digShort(
  port: number,
  name: string,
  type: string,
  extra: string[] = [],
): Promise<string[]> {
  const r = await run("dig", [
    "@127.0.0.1",
    "-p",
    String(port),
    "+norec",
    "+time=2",
    "+tries=1",
    "+short",
    ...extra,
    name,
    type,
  ]);
  return r.stdout
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .sort();
}

/** `owner ttl type rdata` lines, owner lower-cased, sorted: a zone's content, comparable line by line. */
export function recordLines(records: readonly DigRecord[]): string[] {
  return records.map((r) => `${r.owner.toLowerCase()} ${r.ttl} ${r.type} ${r.rdata}`).sort();
}

/** The records kdig receives by AXFR of `origin` from loopback `port`, the closing SOA dropped. */
export async function axfrRecords(port: number, origin: string): Promise<DigRecord[]> {
  const out = await run("kdig", [
    "-p",
    String(port),
    "@127.0.0.1",
    origin,
    "AXFR",
    "+nocomments",
    "+nostats",
  ]);
  if (out.code !== 0) throw new Error(`kdig AXFR from ${port} failed: ${out.stdout}${out.stderr}`);
  const records = out.stdout
    .split("\n")
    .filter((l) => l.trim() !== "" && !l.startsWith(";"))
    .map((l) => {
      const [owner, ttl, , type, ...rdata] = l.trim().split(/\s+/);
      return { owner: owner as string, ttl: Number(ttl), type: type as string, rdata: rdata.join(" ") };
    });
  return records.slice(0, -1);
}
