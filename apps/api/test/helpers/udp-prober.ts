import { createSocket } from "node:dgram";
import dnsPacket from "dns-packet";

export interface ProbeResult {
  sent: number;
  answered: number;
  /** Queries with no answer (or a wrong one) within the grace period after stop(). */
  lost: number;
  p50: number;
  p99: number;
  max: number;
}

/**
 * Sends one UDP query every `everyMs` from an async socket and times each answer, like a
 * resolver of another tenant would see the edge. Nothing here blocks the test's event loop.
 */
export function startUdpProber(port: number, name: string, type: "A" | "AAAA", everyMs = 5) {
  const socket = createSocket("udp4");
  const sentAt = new Map<number, number>();
  const latencies: number[] = [];
  let bad = 0;
  let sent = 0;
  let id = 0;
  socket.on("message", (message) => {
    const at = performance.now();
    const response = dnsPacket.decode(message);
    const started = sentAt.get(response.id ?? -1);
    if (started === undefined) return;
    sentAt.delete(response.id ?? -1);
    if (((response.flags ?? 0) & 0xf) !== 0 || (response.answers ?? []).length === 0) bad++;
    else latencies.push(at - started);
  });
  const timer = setInterval(() => {
    id = (id + 1) & 0xffff;
    const query = dnsPacket.encode({ type: "query", id, questions: [{ type, name }] });
    sentAt.set(id, performance.now());
    sent++;
    socket.send(query, port, "127.0.0.1");
  }, everyMs);
  return {
    /** Queries sent so far. */
    get sent(): number {
      return sent;
    },
    async stop(graceMs = 2000): Promise<ProbeResult> {
      clearInterval(timer);
      const deadline = Date.now() + graceMs;
      while (sentAt.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      socket.close();
      const sorted = [...latencies].sort((a, b) => a - b);
      const at = (p: number) =>
        sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? Number.NaN;
      return {
        sent,
        answered: latencies.length,
        lost: sentAt.size + bad,
        p50: at(0.5),
        p99: at(0.99),
        max: sorted.at(-1) ?? Number.NaN,
      };
    },
  };
}
