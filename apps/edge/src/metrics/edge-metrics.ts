import { Counter, Gauge, Registry } from "prom-client";
import type { SyncStatus } from "../sync/snapshot-sync.js";
import type { TransferReport } from "../transfer/zone-transfer.js";

/**
 * One edge process's Prometheus metrics (issue 17). One registry per edge, never prom-client's
 * global default registry: tests start several edges in one process. In a cluster each worker has
 * its own and the primary's metrics listener sums them (metrics-server.ts).
 */
export interface EdgeMetrics {
  registry: Registry;
  /** One answered request: its qtype from the question, its rcode from the first response. */
  answered(transport: "udp" | "tcp", request: Uint8Array, response: Uint8Array | undefined): void;
  tcpOpened(): void;
  tcpClosed(): void;
  /** A UDP response response-rate limiting held back: dropped, or sent truncated (slip). */
  rateLimited(action: "drop" | "slip"): void;
  transfer(report: TransferReport): void;
  notify(acknowledged: boolean): void;
  /** What the scrape reads about the zones and the sync (set once the edge has them). */
  observe(source: EdgeMetricsSource): void;
}

export interface EdgeMetricsSource {
  zoneCount(): number;
  rrsetCount(): number;
  sync(): SyncStatus;
}

/**
 * The qtypes with a label of their own; any other is counted as "other", so a client sending
 * random qtypes cannot grow the series without bound.
 */
const QTYPE_NAMES: Record<number, string> = {
  1: "A",
  2: "NS",
  5: "CNAME",
  6: "SOA",
  12: "PTR",
  15: "MX",
  16: "TXT",
  28: "AAAA",
  33: "SRV",
  35: "NAPTR",
  43: "DS",
  48: "DNSKEY",
  64: "SVCB",
  65: "HTTPS",
  99: "SPF",
  251: "IXFR",
  252: "AXFR",
  255: "ANY",
  257: "CAA",
};
/** RFC 1035 / 2136 rcodes of the 4-bit header field (an EDNS extended rcode is not looked at). */
const RCODE_NAMES = [
  "NOERROR",
  "FORMERR",
  "SERVFAIL",
  "NXDOMAIN",
  "NOTIMP",
  "REFUSED",
  "YXDOMAIN",
  "YXRRSET",
  "NXRRSET",
  "NOTAUTH",
  "NOTZONE",
];
const TRANSPORTS = ["udp", "tcp"] as const;

/** The qtype of a request's first question, walked over without decoding; -1 when unreadable. */
export function questionType(request: Uint8Array): number {
  if (request.length < 12 || ((request[4] as number) << 8) + (request[5] as number) === 0) return -1;
  let at = 12;
  for (;;) {
    const length = request[at];
    if (length === undefined) return -1;
    if (length === 0) break;
    // Compression pointers have no place in a question's first name; treat as unreadable.
    if (length >= 0xc0) return -1;
    at += length + 1;
  }
  if (at + 2 >= request.length) return -1;
  return ((request[at + 1] as number) << 8) + (request[at + 2] as number);
}

export function createEdgeMetrics(): EdgeMetrics {
  const registry = new Registry();
  const queries = new Counter({
    name: "dnscove_edge_queries_total",
    help: "DNS requests answered, by question type, response code and transport (udp, tcp).",
    labelNames: ["qtype", "rcode", "transport"] as const,
    registers: [registry],
  });
  // The hot path: label children resolved once per (transport, qtype, rcode) and kept in arrays,
  // so a query costs two array reads and an increment, with no string built (issue 17).
  const children: Counter.Internal[][][] = TRANSPORTS.map(() => []);
  const qtypeIndex = new Map<number, number>(Object.keys(QTYPE_NAMES).map((type, i) => [Number(type), i]));
  const qtypeLabels = [...Object.values(QTYPE_NAMES), "other"];
  const child = (transport: number, qtype: number, rcode: number): Counter.Internal => {
    const q = qtypeIndex.get(qtype) ?? qtypeLabels.length - 1;
    const byType = children[transport] as Counter.Internal[][];
    let byRcode = byType[q];
    if (!byRcode) {
      byRcode = [];
      byType[q] = byRcode;
    }
    let found = byRcode[rcode];
    if (!found) {
      found = queries.labels({
        qtype: qtypeLabels[q] as string,
        rcode: RCODE_NAMES[rcode] ?? `RCODE${rcode}`,
        transport: TRANSPORTS[transport] as string,
      });
      byRcode[rcode] = found;
    }
    return found;
  };
  const tcpOpen = new Gauge({
    name: "dnscove_edge_tcp_connections",
    help: "DNS-over-TCP connections open now.",
    registers: [registry],
  });
  const tcpTotal = new Counter({
    name: "dnscove_edge_tcp_connections_total",
    help: "DNS-over-TCP connections accepted.",
    registers: [registry],
  });
  const limited = new Counter({
    name: "dnscove_edge_rate_limited_total",
    help: "UDP responses held back by response rate limiting: action=drop (not sent) or slip (sent truncated).",
    labelNames: ["action"] as const,
    registers: [registry],
  });
  const transfers = new Counter({
    name: "dnscove_edge_transfers_total",
    help: "Zone transfers answered, by qtype (AXFR, IXFR) and form (difference, axfr, soa).",
    labelNames: ["qtype", "form"] as const,
    registers: [registry],
  });
  const notifies = new Counter({
    name: "dnscove_edge_notify_total",
    help: "NOTIFY messages sent to secondaries, by result (acked, unanswered).",
    labelNames: ["result"] as const,
    registers: [registry],
  });
  let source: EdgeMetricsSource | undefined;
  new Gauge({
    name: "dnscove_edge_zones_loaded",
    help: "Zones this edge serves now.",
    registers: [registry],
    // A cluster serves the same zones in every worker: the largest count, not the sum.
    aggregator: "max",
    collect() {
      if (source) this.set(source.zoneCount());
    },
  });
  new Gauge({
    name: "dnscove_edge_rrsets_loaded",
    help: "Rrsets this edge serves now, over all its zones.",
    registers: [registry],
    aggregator: "max",
    collect() {
      if (source) this.set(source.rrsetCount());
    },
  });
  new Gauge({
    name: "dnscove_edge_sync_lag_seconds",
    help: "Seconds since this edge last read the published serials from the database: it serves nothing older than that (-1 before its first sync).",
    registers: [registry],
    // The worst worker.
    aggregator: "max",
    collect() {
      if (!source) return;
      const { lastSuccessAt } = source.sync();
      this.set(lastSuccessAt === null ? -1 : Math.max(0, (Date.now() - lastSuccessAt) / 1000));
    },
  });
  const dropCounter = limited.labels({ action: "drop" });
  const slipCounter = limited.labels({ action: "slip" });
  const acked = notifies.labels({ result: "acked" });
  const unanswered = notifies.labels({ result: "unanswered" });
  // Zero-valued series from the start, so rate() works before the first event.
  dropCounter.inc(0);
  slipCounter.inc(0);
  acked.inc(0);
  unanswered.inc(0);
  return {
    registry,
    answered(transport, request, response) {
      if (!response || response.length < 4) return;
      child(transport === "udp" ? 0 : 1, questionType(request), (response[3] as number) & 0xf).inc();
    },
    tcpOpened() {
      tcpOpen.inc();
      tcpTotal.inc();
    },
    tcpClosed() {
      tcpOpen.dec();
    },
    rateLimited(action) {
      (action === "drop" ? dropCounter : slipCounter).inc();
    },
    transfer(report) {
      transfers.inc({ qtype: report.qtype, form: report.form });
    },
    notify(acknowledged) {
      (acknowledged ? acked : unanswered).inc();
    },
    observe(next) {
      source = next;
    },
  };
}
