/**
 * Optional interop check against BIND 9 (`named-checkzone`, Debian package bind9-utils/bind9).
 * Skipped when the tool is not installed. For every valid vector it loads
 *   t<N>  <TYPE> <our canonical presentation>
 *   w<N>  <TYPE> \# <len> <our wire RDATA as hex>     (RFC 3597 generic form)
 * and checks that BIND prints both as our canonical form, i.e. BIND agrees with both our
 * presentation and our wire encoding. Two known, deliberate differences are normalised away:
 * BIND wraps long hex in DS/SSHFP/TLSA with spaces, and BIND 9.18 prints dohpath as key7.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { canonicalRecord, type RecordType, rdataToWire } from "../src/index.js";
import { VALID } from "./vectors.js";

const hasBind = spawnSync("named-checkzone", ["-v"]).status === 0;
// A real peer: when BIND's named-checkzone is missing the suite fails loudly instead of skipping
// (scripts/install-test-peers.sh installs it with bind9).

function normaliseBind(type: string, rdata: string): string {
  if (type === "DS" || type === "TLSA" || type === "SSHFP") {
    const fixed = type === "DS" ? 3 : type === "TLSA" ? 3 : 2;
    const parts = rdata.split(" ");
    return [...parts.slice(0, fixed), parts.slice(fixed).join("")].join(" ");
  }
  if (type === "SVCB" || type === "HTTPS") return rdata.replace(/ key7=/, " dohpath=");
  return rdata;
}

function runBind(lines: string[]): Map<string, string> {
  const dir = mkdtempSync(join(tmpdir(), "dnscove-bind-"));
  try {
    const file = join(dir, "zone");
    writeFileSync(file, `${lines.join("\n")}\n`);
    const ignore = [
      "-k",
      "ignore",
      "-m",
      "ignore",
      "-M",
      "ignore",
      "-n",
      "ignore",
      "-S",
      "ignore",
      "-T",
      "ignore",
      "-r",
      "ignore",
    ];
    const res = spawnSync(
      "named-checkzone",
      ["-i", "none", ...ignore, "-D", "-o", "-", "example.com", file],
      {
        encoding: "utf8",
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    expect(res.stderr + (res.status === 0 ? "" : res.stdout)).not.toMatch(/error|failed|bad|not loaded/i);
    expect(res.status).toBe(0);
    const printed = new Map<string, string>();
    for (const line of res.stdout.split("\n")) {
      const m = /^(\S+)\s+\d+\s+IN\s+(\S+)\s+(.*)$/.exec(line);
      if (m?.[1] && m[2] && m[3] !== undefined) printed.set(`${m[1]} ${m[2]}`, normaliseBind(m[2], m[3]));
    }
    return printed;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("BIND interop", () => {
  it("has BIND's named-checkzone to compare with (Debian bind9-utils)", () => {
    expect(hasBind, "named-checkzone not found: run scripts/install-test-peers.sh").toBe(true);
  });

  it("prints our canonical forms and decodes our wire forms identically", () => {
    const entries: { owner: string; type: RecordType; canonical: string }[] = [];
    const lines = [
      "$TTL 300",
      "@ IN SOA ns1.example.com. hostmaster.example.com. 1 7200 3600 1209600 300",
      "@ IN NS ns.example.net.",
    ];
    let n = 0;
    for (const [type, cases] of Object.entries(VALID) as [RecordType, [string, string][]][]) {
      for (const [input] of cases) {
        const canonical = canonicalRecord(type, input);
        const wire = rdataToWire(type, canonical);
        const hex = Buffer.from(wire).toString("hex") || "";
        entries.push(
          { owner: `t${n}.example.com.`, type, canonical },
          { owner: `w${n}.example.com.`, type, canonical },
        );
        lines.push(`t${n} IN ${type} ${canonical}`);
        lines.push(`w${n} IN ${type} \\# ${wire.length} ${hex}`);
        n++;
      }
    }
    const printed = runBind(lines);
    const mismatches = entries
      .map((e) => ({ ...e, bind: printed.get(`${e.owner} ${e.type}`) }))
      .filter((e) => e.bind !== e.canonical);
    expect(mismatches).toEqual([]);
  });

  it("formats IPv6 addresses exactly like BIND (inet_ntop)", () => {
    let seed = 12345;
    const rand = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 4294967296;
    };
    const lines = [
      "$TTL 300",
      "@ IN SOA ns1.example.com. hostmaster.example.com. 1 7200 3600 1209600 300",
      "@ IN NS ns.example.net.",
    ];
    const ours = new Map<string, string>();
    for (let i = 0; i < 500; i++) {
      const words = Array.from({ length: 8 }, () => {
        const r = rand();
        return r < 0.55 ? 0 : r < 0.65 ? 0xffff : r < 0.7 ? 1 : Math.floor(rand() * 65536);
      });
      const full = words.map((w) => w.toString(16)).join(":");
      ours.set(`r${i}.example.com. AAAA`, canonicalRecord("AAAA", full));
      lines.push(`r${i} IN AAAA ${full}`);
    }
    const printed = runBind(lines);
    const mismatches = [...ours].filter(([key, text]) => printed.get(key) !== text);
    expect(mismatches).toEqual([]);
  });
});
