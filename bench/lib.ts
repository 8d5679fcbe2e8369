import { createSocket } from "node:dgram";
import { fileURLToPath } from "node:url";
import { type ApiProcess, startApiProcess } from "@dnscove/testkit";
import dnsPacket from "dns-packet";

/** This checkout's API, or BENCH_API_MAIN (another build, e.g. the code before a change). */
export const apiMain =
  process.env.BENCH_API_MAIN ?? fileURLToPath(new URL("../apps/api/dist/src/main.js", import.meta.url));

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/**
 * Starts the real API process (embedded edge unless told otherwise) from this process's
 * environment plus `env`, with no test tuning, and waits for /api/health.
 */
export function startBenchApi(env: Record<string, string>): Promise<ApiProcess> {
  return startApiProcess(apiMain, env, { inheritEnv: true });
}

export async function post(url: string, body: unknown, token?: string): Promise<Record<string, unknown>> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = (await response.json()) as Record<string, unknown>;
  if (!response.ok) throw new Error(`${url}: ${response.status} ${JSON.stringify(json).slice(0, 300)}`);
  return json;
}

/** One SOA query over UDP to 127.0.0.1:port; the serial, or null. */
export function soaSerial(port: number, origin: string, timeoutMs = 500): Promise<number | null> {
  return new Promise((resolve) => {
    const socket = createSocket("udp4");
    const id = Math.floor(Math.random() * 0xffff);
    const timer = setTimeout(() => finish(null), timeoutMs);
    const finish = (serial: number | null) => {
      clearTimeout(timer);
      socket.close();
      resolve(serial);
    };
    socket.on("message", (message) => {
      const answer = dnsPacket.decode(message);
      if (answer.id !== id) return;
      const soa = answer.answers?.find((record) => record.type === "SOA");
      finish(soa?.type === "SOA" ? (soa.data.serial ?? null) : null);
    });
    socket.send(
      dnsPacket.encode({
        type: "query",
        id,
        flags: 0,
        questions: [{ type: "SOA", class: "IN", name: origin }],
      }),
      port,
      "127.0.0.1",
    );
  });
}

/** TXT strings at `name` from 127.0.0.1:port over UDP (one query). */
export function txtValues(port: number, name: string, timeoutMs = 500): Promise<string[]> {
  return new Promise((resolve) => {
    const socket = createSocket("udp4");
    const id = Math.floor(Math.random() * 0xffff);
    const timer = setTimeout(() => finish([]), timeoutMs);
    const finish = (values: string[]) => {
      clearTimeout(timer);
      socket.close();
      resolve(values);
    };
    socket.on("message", (message) => {
      const answer = dnsPacket.decode(message);
      if (answer.id !== id) return;
      const values: string[] = [];
      for (const record of answer.answers ?? []) {
        if (record.type !== "TXT") continue;
        const data = Array.isArray(record.data) ? record.data : [record.data];
        values.push(data.map((chunk) => chunk.toString()).join(""));
      }
      finish(values);
    });
    socket.send(
      dnsPacket.encode({ type: "query", id, flags: 0, questions: [{ type: "TXT", class: "IN", name }] }),
      port,
      "127.0.0.1",
    );
  });
}
