/**
 * Differential test: the edge must answer like Knot and NSD.
 *
 * A parent and a child zone (test/helpers/differential-zones.ts) are loaded into the edge; Knot
 * and NSD transfer both by AXFR from the edge, so all of them serve exactly the same data. NSD runs
 * twice: in its default configuration and with `minimal-responses: yes` (NSD's default adds the
 * apex NS RRset and its glue to every positive answer, which Knot and the edge do not; the second
 * run gives NSD's answer without that). Then a few thousand generated queries (seeded PRNG:
 * DIFF_SEED, DIFF_QUERIES; the seed is printed so a failure reproduces) plus fixed "spotlight"
 * queries go to all of them: mixed-case names, RD/CD, QCLASS IN/ANY/CH, a few odd opcodes, with and
 * without EDNS (several sizes, DO, version 1), over UDP and TCP, at most CONCURRENCY in flight.
 *
 * How answers are compared (decided here, because real servers legitimately differ):
 * - Each part of an answer is compared on its own: RCODE, header flags (QR, opcode, RD, RA, AD,
 *   CD, Z), AA, TC, the question (case-sensitively: it is echoed as sent), the OPT record (size,
 *   version, DO, options), and the answer, authority and additional sections, each as a SET of
 *   records (RFC 1035 does not fix the order, and Knot and NSD order the additional section
 *   differently). Records are compared on owner (case-insensitively, RFC 4343), TTL, class, type
 *   and decoded RDATA (names lower-cased).
 * - A part is checked only when Knot and one of the NSD runs give the same value for it, with the
 *   same RCODE (an answer with another RCODE is another kind of answer); the authority and
 *   additional sections also need the same NSD run to agree on the answer section, since they are
 *   derived from it. Where they disagree (ANY,
 *   which RFC 8482 lets a server answer with any subset; CNAME chains into another hosted zone,
 *   which NSD follows and Knot does not; whether a referral whose glue does not fit sets TC, RFC
 *   9471, which Knot does and NSD does not; QCLASS ANY; BADVERS details) that part is excluded for
 *   that query, and only then: the edge's value never decides an exclusion.
 * - When Knot and NSD both set TC, the sections are compared only as "truncated" (servers differ
 *   in what a truncated message still carries); when they disagree on TC the sections are skipped.
 * - The spotlight queries must be compared in every part (Knot and NSD must agree on them), so the
 *   cases this test exists for never depend on the seed.
 * A deviation is reported with the query and all the answers.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { seededRandom } from "@dnscove/testkit";
import dnsPacket from "dns-packet";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningDnsServer, startDnsServer, ZoneSet } from "../src/index.js";
import {
  CHILD,
  childZone,
  PARENT,
  parentZone,
  QUERY_NAMES,
  QUERY_TYPES,
} from "./helpers/differential-zones.js";
import { forEachBounded, tcpQuery, udpQuery } from "./helpers/dns-exchange.js";
import { type Secondary, type SecondaryZone, startKnot, startNsd } from "./helpers/secondaries.js";
import { waitForSerial } from "./helpers/soa-probe.js";

const SEED = Number(process.env.DIFF_SEED ?? 20261201);
const QUERIES = Number(process.env.DIFF_QUERIES ?? 4000);
const CONCURRENCY = 24;
const TIMEOUT_MS = 4000;
const SYNC_BUDGET_MS = 20_000;
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

interface Query {
  n: number;
  name: string;
  type: string;
  transport: "udp" | "tcp";
  /** undefined: no EDNS. */
  udpSize?: number;
  dnssecOk: boolean;
  /** EDNS version (RFC 6891 section 6.1.3: anything but 0 is answered BADVERS). */
  ednsVersion: number;
  /** EDNS options sent: NSID request (RFC 5001), a client COOKIE (RFC 7873), an unassigned code. */
  ednsOptions: { code: number; data: Buffer }[];
  rd: boolean;
  cd: boolean;
  qclass: "IN" | "ANY" | "CH";
  /** 0 = QUERY; a few queries use IQUERY (1), STATUS (2) or an unassigned opcode (3). */
  opcode: number;
}

function generateQueries(seed: number, count: number): Query[] {
  const rnd = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const label = () =>
    Array.from({ length: 1 + Math.floor(rnd() * 6) }, () => pick([..."abcdefxyz0-"])).join("");
  const out: Query[] = [];
  // Half the queries ask for an RRset the zones really hold (with "*" replaced by a fresh label
  // half the time), so big RRsets, MX/SRV targets and wildcards are hit often, not by luck.
  const held = [...parentZone(0).rrsets, ...childZone(0).rrsets].map((r) => [r.name, r.type] as const);
  for (let n = 0; n < count; n++) {
    if (rnd() < 0.5) {
      const [owner, type] = pick(held);
      const name = rnd() < 0.5 ? owner.replace("*", label()) : owner;
      out.push(finishQuery(rnd, n, [...name].map((c) => (rnd() < 0.5 ? c.toUpperCase() : c)).join(""), type));
      continue;
    }
    let rel = pick(QUERY_NAMES);
    // Sometimes a fresh label in front: exercises wildcard synthesis and NXDOMAIN everywhere.
    if (rnd() < 0.3) rel = rel === "@" ? label() : `${label()}.${rel}`;
    if (rel.startsWith(".") && rel !== ".") rel = rel.slice(1);
    let name = rel === "@" ? PARENT : rel.endsWith(".") ? rel : `${rel}.${PARENT}`;
    // Mixed case (RFC 4343): every letter flips with probability 1/2.
    name = [...name].map((c) => (rnd() < 0.5 ? c.toUpperCase() : c)).join("");
    out.push(finishQuery(rnd, n, name, pick(QUERY_TYPES)));
  }
  return out;
}

/**
 * Transport, flags and EDNS for one query: 30% TCP, 20% RD, 10% CD, 3% QCLASS ANY, 2% CHAOS, 2% an
 * opcode other than QUERY; 30% without EDNS, else one of
 * several UDP sizes (below 512, 512, between, 1232, above), DO half the time, EDNS version 1 rarely.
 */
function finishQuery(rnd: () => number, n: number, name: string, type: string): Query {
  const q: Query = {
    n,
    name: name === "." ? "." : name.slice(0, -1),
    type,
    // Zone transfers only over UDP: over TCP they are multi-message streams, not one answer.
    transport: rnd() < 0.3 && type !== "AXFR" && type !== "IXFR" ? "tcp" : "udp",
    dnssecOk: false,
    ednsVersion: 0,
    ednsOptions: [],
    rd: rnd() < 0.2,
    cd: rnd() < 0.1,
    qclass: "IN",
    opcode: 0,
  };
  const odd = rnd();
  if (odd < 0.03) q.qclass = "ANY";
  else if (odd < 0.05) q.qclass = "CH";
  else if (odd < 0.07) q.opcode = 1 + Math.floor(rnd() * 3);
  if (rnd() >= 0.3) {
    q.udpSize = [512, 1232, 4096, 700, 1400, 100][Math.floor(rnd() * 6)] as number;
    q.dnssecOk = rnd() < 0.5;
    if (rnd() < 0.03) q.ednsVersion = 1;
    if (rnd() < 0.1) q.ednsOptions.push({ code: 3, data: Buffer.alloc(0) });
    if (rnd() < 0.1) q.ednsOptions.push({ code: 10, data: Buffer.from("0123456789abcdef", "hex") });
    if (rnd() < 0.05) q.ednsOptions.push({ code: 65001, data: Buffer.from("x") });
  }
  return q;
}

/**
 * Fixed queries sent on every run whatever the seed, each of which Knot and NSD must answer alike
 * in every part, so the cases this test exists for are always compared (never excluded, never
 * left to the PRNG): wildcard-synthesized MX/SRV/NS targets in the additional section, truncation
 * at 512 and 1232, wildcards below an empty non-terminal, wildcard CNAME, DS at cuts, referrals
 * with and without glue, REFUSED with EDE.
 */
const SPOTLIGHT: [name: string, type: string, transport: "udp" | "tcp", udpSize?: number][] = [
  [`one.wmx.${PARENT}`, "MX", "udp", 1232],
  [PARENT, "MX", "udp"],
  [`_sip._tcp.${PARENT}`, "SRV", "tcp"],
  [`q.wsrv.${PARENT}`, "SRV", "udp", 4096],
  [`x.sib.${PARENT}`, "A", "udp"],
  [`x.sub.${PARENT}`, "AAAA", "udp", 1232],
  [`x.nog.${PARENT}`, "A", "udp"],
  [`big512.${PARENT}`, "A", "udp"],
  [`big512.${PARENT}`, "A", "udp", 1232],
  [`big1232.${PARENT}`, "A", "udp", 1232],
  [`big1232.${PARENT}`, "A", "tcp"],
  [`foo.x.ent.${PARENT}`, "A", "udp"],
  [`x.ent.${PARENT}`, "A", "udp"],
  [`foo.ent.${PARENT}`, "A", "udp"],
  [`*.wc.${PARENT}`, "TXT", "udp"],
  [`q.deep.wild.${PARENT}`, "A", "udp"],
  [`x.sub.deep.wild.${PARENT}`, "A", "udp"],
  [`h.cw.${PARENT}`, "A", "udp"],
  [`towild.${PARENT}`, "AAAA", "udp"],
  [`loop1.${PARENT}`, "A", "udp"],
  [`dangling.${PARENT}`, "A", "udp"],
  [`sub.${PARENT}`, "DS", "udp"],
  [CHILD, "DS", "udp"],
  [CHILD, "NS", "udp"],
  [`zz.${CHILD}`, "A", "udp"],
  [PARENT, "SOA", "udp", 512],
  ["example.com.", "A", "udp", 1232],
];

function spotlightQueries(first: number): Query[] {
  return SPOTLIGHT.map(([name, type, transport, udpSize], i) => {
    const q: Query = {
      n: first + i,
      name: name.slice(0, -1).toUpperCase(),
      type,
      transport,
      dnssecOk: false,
      ednsVersion: 0,
      ednsOptions: [],
      rd: false,
      cd: false,
      qclass: "IN",
      opcode: 0,
    };
    if (udpSize !== undefined) q.udpSize = udpSize;
    return q;
  });
}

function encodeQuery(q: Query, id: number): Buffer {
  return dnsPacket.encode({
    type: "query",
    id,
    flags:
      (q.opcode << 11) | (q.rd ? dnsPacket.RECURSION_DESIRED : 0) | (q.cd ? dnsPacket.CHECKING_DISABLED : 0),
    questions: [{ name: q.name, type: q.type as dnsPacket.RecordType, class: q.qclass }],
    additionals:
      q.udpSize === undefined
        ? []
        : [
            {
              type: "OPT",
              name: ".",
              udpPayloadSize: q.udpSize,
              ednsVersion: q.ednsVersion,
              options: q.ednsOptions,
              flags: q.dnssecOk ? dnsPacket.DNSSEC_OK : 0,
            } as dnsPacket.Answer,
          ],
  });
}

/** Lower-cases strings (names inside RDATA), keeps byte strings as hex. */
function canon(v: unknown): unknown {
  if (Buffer.isBuffer(v)) return `0x${v.toString("hex")}`;
  if (typeof v === "string") return v.toLowerCase();
  if (Array.isArray(v)) return v.map(canon);
  if (v && typeof v === "object") {
    const o: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) o[k] = canon((v as Record<string, unknown>)[k]);
    return o;
  }
  return v;
}

function rrText(rr: dnsPacket.Answer): string {
  const r = rr as { name: string; type: string; class?: string; ttl?: number; data?: unknown };
  return `${r.name.toLowerCase()} ${r.ttl ?? ""} ${r.class ?? ""} ${r.type} ${JSON.stringify(canon(r.data))}`;
}

type Part = "rcode" | "flags" | "aa" | "tc" | "question" | "opt" | "answer" | "authority" | "additional";
const PARTS: Part[] = ["rcode", "flags", "aa", "tc", "question", "opt", "answer", "authority", "additional"];
type Normal = Record<Part, string>;

function normalise(wire: Buffer | undefined): Normal {
  if (!wire) {
    const none = Object.fromEntries(PARTS.map((p) => [p, "-"])) as Normal;
    return { ...none, rcode: "TIMEOUT" };
  }
  const m = dnsPacket.decode(wire) as dnsPacket.DecodedPacket & { rcode: string; opcode: string };
  const set = (rrs: dnsPacket.Answer[] | undefined) =>
    [...new Set((rrs ?? []).map(rrText))].sort().join("\n    ");
  const additionals = m.additionals ?? [];
  const opt = additionals.find((r) => r.type === "OPT") as
    | {
        udpPayloadSize: number;
        extendedRcode: number;
        ednsVersion: number;
        flags: number;
        options: unknown[];
      }
    | undefined;
  const f = m as unknown as Record<string, boolean>;
  return {
    // The full 12-bit RCODE: the upper 8 bits live in the OPT record (RFC 6891 section 6.1.3).
    rcode: opt?.extendedRcode ? `ext${opt.extendedRcode}/${m.rcode}` : String(m.rcode),
    flags: `qr=${f.flag_qr} opcode=${m.opcode} rd=${f.flag_rd} ra=${f.flag_ra} ad=${f.flag_ad} cd=${f.flag_cd} z=${f.flag_z}`,
    aa: String(Boolean(m.flag_aa)),
    tc: String(Boolean(m.flag_tc)),
    // Case-sensitive on purpose: the question is echoed exactly as sent (RFC 1035 section 4.1.2).
    question: (m.questions ?? []).map((q) => `${q.name} ${q.type} ${q.class}`).join("; "),
    opt: opt
      ? `size=${opt.udpPayloadSize} version=${opt.ednsVersion} do=${Boolean(opt.flags & dnsPacket.DNSSEC_OK)} options=${JSON.stringify(canon(opt.options))}`
      : "none",
    answer: set(m.answers),
    authority: set(m.authorities),
    additional: set(additionals.filter((r) => r.type !== "OPT")),
  };
}

function show(label: string, a: Normal): string {
  return [
    `  ${label}: rcode=${a.rcode} aa=${a.aa} tc=${a.tc} ${a.flags} opt=${a.opt} question=${a.question}`,
    `   answer:\n    ${a.answer}`,
    `   authority:\n    ${a.authority}`,
    `   additional:\n    ${a.additional}`,
  ].join("\n");
}

/**
 * Parts of the edge's answer that differ from a value Knot and NSD agree on, and the parts
 * excluded because they do not agree. NSD runs twice (its default configuration and with
 * `minimal-responses: yes`); a part counts as agreed when Knot's value equals either NSD's.
 */
function compare(edge: Normal, knot: Normal, nsds: Normal[]): { deviations: Part[]; excluded: Part[] } {
  const deviations: Part[] = [];
  const excluded: Part[] = [];
  // An answer with another RCODE is another kind of answer: its other parts are not comparable.
  const sameKind = nsds.filter((n) => n.rcode === knot.rcode);
  for (const p of PARTS) {
    const isSection = p === "answer" || p === "authority" || p === "additional";
    // The authority and additional sections are derived from the answer, so they count as agreed
    // only when the same NSD run also agrees on the answer (else an empty section can agree by
    // coincidence). Not on each other: NSD's default adds the apex NS to authority on its own.
    const before: Part[] = p === "authority" || p === "additional" ? ["answer"] : [];
    const agreeing = (p === "rcode" ? nsds : sameKind).filter(
      (n) => n[p] === knot[p] && (!isSection || n.tc === knot.tc) && before.every((b) => n[b] === knot[b]),
    );
    if (isSection && knot.tc === "true" && agreeing.length > 0) continue; // "truncated": see TC
    if (agreeing.length === 0 || (isSection && knot.tc !== "false")) {
      excluded.push(p);
      continue;
    }
    if (edge[p] !== knot[p]) deviations.push(p);
  }
  return { deviations, excluded };
}

let dir: string;
let edge: RunningDnsServer;
const secondaries: Secondary[] = [];
const serial = Math.floor(Date.now() / 1000);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "edge-diff-"));
  const zones = new ZoneSet();
  zones.put("Zparent", parentZone(serial));
  zones.put("Zchild", childZone(serial));
  edge = await startDnsServer({
    host: "127.0.0.1",
    port: 0,
    zones,
    transfer: { allow: ["127.0.0.0/8"], tsigKeys: [], requireTsig: false },
    logger: quiet,
  });
  const zs: SecondaryZone[] = [
    { origin: PARENT.slice(0, -1), primaryPort: edge.port },
    { origin: CHILD.slice(0, -1), primaryPort: edge.port },
  ];
  // NSD is built with response rate limiting on Debian (200 qps per source); it is switched off.
  secondaries.push(
    await startKnot(dir, zs),
    await startNsd(join(dir, "default"), zs, ["rrl-ratelimit: 0"]),
    await startNsd(join(dir, "minimal"), zs, ["rrl-ratelimit: 0", "minimal-responses: yes"]),
  );
  for (const sec of secondaries) {
    for (const z of zs) {
      const ms = await waitForSerial(sec.port, z.origin, serial, SYNC_BUDGET_MS);
      if (ms === undefined) console.error(sec.log());
      expect(ms, `${sec.kind} transferred ${z.origin}`).toBeDefined();
    }
  }
}, 90_000);

afterAll(async () => {
  await Promise.all(secondaries.map((s) => s.stop()));
  await edge?.close();
  if (dir && !process.env.KEEP_DIFF_DIR) rmSync(dir, { recursive: true, force: true });
});

describe("differential: the edge answers like Knot and NSD", () => {
  it(`${QUERIES} generated queries and ${SPOTLIGHT.length} fixed ones (seed ${SEED}): wherever Knot and NSD agree, the edge agrees`, async () => {
    const [knot, nsd, nsdMinimal] = secondaries as [Secondary, Secondary, Secondary];
    const queries = [...generateQueries(SEED, QUERIES), ...spotlightQueries(QUERIES)];
    const spotlightExcluded: string[] = [];
    const report: string[] = [];
    const excludedCount = new Map<string, number>();
    let fullyCompared = 0;
    let truncatedBoth = 0;
    // One retry on timeout, as any client would: a datagram lost on a loaded machine is not a
    // difference in behaviour. A server that never answers still shows up as TIMEOUT.
    const ask = async (port: number, q: Query) => {
      const wire = encodeQuery(q, (q.n * 7919 + port) & 0xffff);
      const once = () =>
        q.transport === "tcp" ? tcpQuery(port, wire, TIMEOUT_MS) : udpQuery(port, wire, TIMEOUT_MS);
      return (await once()) ?? (await once());
    };
    await forEachBounded(queries.length, CONCURRENCY, async (i) => {
      const q = queries[i] as Query;
      const [e, k, s, m] = (
        await Promise.all([ask(edge.port, q), ask(knot.port, q), ask(nsd.port, q), ask(nsdMinimal.port, q)])
      ).map(normalise) as [Normal, Normal, Normal, Normal];
      const { deviations, excluded } = compare(e, k, [s, m]);
      if (k.tc === "true" && (s.tc === "true" || m.tc === "true")) truncatedBoth++;
      if (excluded.length === 0) fullyCompared++;
      else if (q.n >= QUERIES) spotlightExcluded.push(`${q.name} ${q.type}: ${excluded.join(", ")}`);
      else if (process.env.DIFF_LOG_EXCLUDED)
        console.log(
          `#${q.n} ${q.name} ${q.type} ${q.transport} ${q.udpSize ?? "-"} excluded ${excluded}\n${show("knot", k)}\n${show("nsd ", s)}\n${show("nsd minimal", m)}`,
        );
      for (const p of excluded) excludedCount.set(p, (excludedCount.get(p) ?? 0) + 1);
      if (deviations.length > 0) {
        const edns =
          (q.udpSize === undefined
            ? "no EDNS"
            : `EDNS${q.ednsVersion ? ` version ${q.ednsVersion}` : ""} ${q.udpSize}${q.dnssecOk ? " DO" : ""}` +
              q.ednsOptions.map((o) => ` option ${o.code}`).join("")) +
          (q.rd ? " RD" : "") +
          (q.qclass !== "IN" ? ` class ${q.qclass}` : "") +
          (q.opcode !== 0 ? ` opcode ${q.opcode}` : "") +
          (q.cd ? " CD" : "");
        report.push(
          [
            `#${q.n} ${q.name} ${q.type} ${q.transport} ${edns}: edge differs in ${deviations.join(", ")}`,
            show("edge", e),
            show("knot", k),
            show("nsd ", s),
            show("nsd minimal", m),
          ].join("\n"),
        );
      }
    });
    console.log(
      `differential seed=${SEED}: ${queries.length} queries, ${fullyCompared} compared in every part, ` +
        `${truncatedBoth} truncated by both, parts excluded (Knot/NSD disagree): ` +
        JSON.stringify(Object.fromEntries(excludedCount)),
    );
    // The comparison must not be vacuous: most queries are compared in full.
    expect(fullyCompared).toBeGreaterThan(queries.length / 2);
    expect(spotlightExcluded, "spotlight queries where Knot and NSD disagree").toEqual([]);
    const shown = Number(process.env.DIFF_SHOW ?? 25);
    expect(report.length, `${report.length} deviations:\n${report.slice(0, shown).join("\n\n")}`).toBe(0);
  }, 300_000);
});
