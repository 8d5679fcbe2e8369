import { Counter, Gauge, Registry } from "prom-client";
import type { PublishLag, SyncStatus } from "../sync/snapshot-sync.js";
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
  lag(): PublishLag;
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
  // The hot path: prom-client's label children still hash their labels on every inc(), about
  // 1 µs a query (bench:edge-metrics). A query only bumps a cell of a typed array here; the
  // scrape moves the cells into the counter (collect), so no string is built per query (issue 17).
  const qtypeLabels = [...Object.values(QTYPE_NAMES), "other"];
  const otherQtype = qtypeLabels.length - 1;
  // qtype → its label's slot, one array read (a Map lookup was a third of the counting's cost).
  const qtypeSlot = new Uint8Array(65536).fill(otherQtype);
  for (const [i, type] of Object.keys(QTYPE_NAMES).entries()) qtypeSlot[Number(type)] = i;
  const pending = new Float64Array(TRANSPORTS.length * qtypeLabels.length * 16);
  new Counter({
    name: "dnscove_edge_queries_total",
    help: "DNS requests answered, by question type, response code and transport (udp, tcp).",
    labelNames: ["qtype", "rcode", "transport"] as const,
    registers: [registry],
    collect() {
      for (let cell = 0; cell < pending.length; cell++) {
        const count = pending[cell] as number;
        if (count === 0) continue;
        pending[cell] = 0;
        const rcode = cell % 16;
        const qtype = Math.floor(cell / 16) % qtypeLabels.length;
        const transport = Math.floor(cell / (16 * qtypeLabels.length));
        this.inc(
          {
            qtype: qtypeLabels[qtype] as string,
            rcode: RCODE_NAMES[rcode] ?? `RCODE${rcode}`,
            transport: TRANSPORTS[transport] as string,
          },
          count,
        );
      }
    },
  });
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
  // Plain numbers moved into the counter on scrape: a flood being limited is when this runs most.
  const held = { drop: 0, slip: 0 };
  new Counter({
    name: "dnscove_edge_rate_limited_total",
    help: "UDP responses held back by response rate limiting: action=drop (not sent) or slip (sent truncated).",
    labelNames: ["action"] as const,
    registers: [registry],
    collect() {
      // inc(0) too: both series exist from the start, so rate() works before the first drop.
      for (const action of ["drop", "slip"] as const) {
        this.inc({ action }, held[action]);
        held[action] = 0;
      }
    },
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
  // Issue 17's "serial lag behind the database": the seconds above say how stale the edge's view
  // of the database may be; these two say how far the served zones are behind that view. A poll
  // that reaches the database but cannot load a zone (a diff it cannot apply) keeps the seconds
  // low, so only these show it.
  new Gauge({
    name: "dnscove_edge_zones_behind",
    help: "Zones the database has published at a serial this edge does not serve yet, as of its last poll.",
    registers: [registry],
    aggregator: "max",
    collect() {
      if (source) this.set(source.lag().zonesBehind);
    },
  });
  new Gauge({
    name: "dnscove_edge_serial_lag",
    help: "The largest published serial minus served serial over this edge's zones, as of its last poll (0: in sync).",
    registers: [registry],
    aggregator: "max",
    collect() {
      if (source) this.set(source.lag().maxSerialLag);
    },
  });
  const acked = notifies.labels({ result: "acked" });
  const unanswered = notifies.labels({ result: "unanswered" });
  // Zero-valued series from the start, so rate() works before the first event.
  acked.inc(0);
  unanswered.inc(0);
  return {
    registry,
    answered(transport, request, response) {
      if (!response || response.length < 4) return;
      const type = questionType(request);
      const qtype = type < 0 ? otherQtype : (qtypeSlot[type] as number);
      const cell =
        ((transport === "udp" ? 0 : qtypeLabels.length) + qtype) * 16 + ((response[3] as number) & 0xf);
      pending[cell] = (pending[cell] as number) + 1;
    },
    tcpOpened() {
      tcpOpen.inc();
      tcpTotal.inc();
    },
    tcpClosed() {
      tcpOpen.dec();
    },
    rateLimited(action) {
      held[action]++;
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
