/**
 * One bounded DNS question to one server: UDP first, TCP when the UDP answer is truncated
 * (RFC 1035 section 4.2.1; RFC 7766 section 5: TC=1 means "retry over TCP"), each attempt limited
 * by a timeout and paid for from a shared query budget, so no check can hang or run away.
 *
 * Responses are only accepted when they match what we asked (RFC 5452 section 9.1: same ID, same
 * question); anything else arriving on the UDP socket is ignored and the wait goes on until the
 * timeout. Queries are built with dns-packet; responses are read by read-message.ts, which keeps
 * RDATA as bytes for exact canonicalisation.
 */
import { randomInt } from "node:crypto";
import dgram from "node:dgram";
import net from "node:net";
import dnsPacket from "dns-packet";
import { absoluteName, typeCode } from "./canonical-answer.js";
import { MalformedMessageError, readMessage, type WireMessage } from "./read-message.js";
import type { Endpoint } from "./types.js";

/** Shared by every query of one check; a query that cannot pay fails with kind "budget". */
export class QueryBudget {
  private spent = 0;
  constructor(readonly limit: number) {}

  tryTake(): boolean {
    if (this.spent >= this.limit) return false;
    this.spent++;
    return true;
  }

  get used(): number {
    return this.spent;
  }

  get remaining(): number {
    return this.limit - this.spent;
  }
}

export type DnsQueryErrorKind = "timeout" | "budget" | "network" | "malformed" | "aborted";

export class DnsQueryError extends Error {
  override name = "DnsQueryError";
  constructor(
    readonly kind: DnsQueryErrorKind,
    message: string,
  ) {
    super(message);
  }
}

export interface QueryOptions {
  timeoutMs: number;
  budget: QueryBudget;
  /** RD bit: true for a recursive resolver, false (default) for authoritative servers. */
  recursionDesired?: boolean;
  /** Abandons the query at once (e.g. the check already knows its outcome). */
  signal?: AbortSignal;
}

export interface DnsResponse {
  message: WireMessage;
  transport: "udp" | "tcp";
  /** Queries this question used (UDP, TCP retry, EDNS-less retry). */
  attempts: number;
}

/** Advertised EDNS UDP payload size: the DNS Flag Day 2020 value, which avoids IP fragmentation. */
const EDNS_UDP_SIZE = 1232;
const RCODE_FORMERR = 1;
const RCODE_NOTIMP = 4;
const OPCODE_QUERY = 0;

/** dns-packet knows most mnemonics; for the rest its "UNKNOWN_<code>" form encodes the raw code. */
function packetType(code: number): dnsPacket.RecordType {
  return `UNKNOWN_${code}` as dnsPacket.RecordType;
}

function encodeQuery(id: number, name: string, type: number, rd: boolean, edns: boolean): Buffer {
  return dnsPacket.encode({
    type: "query",
    id,
    flags: rd ? dnsPacket.RECURSION_DESIRED : 0,
    questions: [{ name: name === "." ? "." : name.replace(/\.$/, ""), type: packetType(type), class: "IN" }],
    additionals: edns
      ? [
          {
            type: "OPT",
            name: ".",
            udpPayloadSize: EDNS_UDP_SIZE,
            extendedRcode: 0,
            ednsVersion: 0,
            flags: 0,
            flag_do: false,
            options: [],
          },
        ]
      : [],
  });
}

interface Expected {
  id: number;
  name: string;
  type: number;
}

/**
 * Whether `message` answers our question. Error responses may legitimately omit the question
 * section (some servers send FORMERR/REFUSED with QDCOUNT 0), so those only need the ID.
 */
function answersQuestion(message: WireMessage, expected: Expected): boolean {
  if (!message.qr || message.id !== expected.id || message.opcode !== OPCODE_QUERY) return false;
  if (message.questions.length === 0) return message.rcode !== 0;
  if (message.questions.length !== 1) return false;
  const [q] = message.questions;
  return q !== undefined && q.name === expected.name && q.type === expected.type && q.class === 1;
}

function describeSocketError(error: NodeJS.ErrnoException): string {
  if (error.code === "ECONNREFUSED") return "connection refused (nothing listening)";
  if (error.code === "EHOSTUNREACH" || error.code === "ENETUNREACH") return `unreachable (${error.code})`;
  return error.code ? `${error.code}: ${error.message}` : error.message;
}

/**
 * One exchange's lifecycle: settles once, on an answer, an error, the timeout or the caller's
 * abort signal, and always releases the socket and the timer.
 */
function exchange(
  what: "UDP" | "TCP",
  timeoutMs: number,
  signal: AbortSignal | undefined,
  run: (finish: (error: Error | undefined, message?: WireMessage) => void) => { close(): void },
): Promise<WireMessage> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new DnsQueryError("aborted", "query abandoned"));
    let settled = false;
    let socket: { close(): void } | undefined;
    const onAbort = () => finish(new DnsQueryError("aborted", "query abandoned"));
    const finish = (error: Error | undefined, message?: WireMessage) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      socket?.close();
      if (error) reject(error);
      else resolve(message as WireMessage);
    };
    const timer = setTimeout(
      () => finish(new DnsQueryError("timeout", `no answer over ${what} within ${timeoutMs} ms`)),
      timeoutMs,
    );
    signal?.addEventListener("abort", onAbort);
    socket = run(finish);
    if (settled) socket.close();
  });
}

function udpExchange(
  server: Endpoint,
  query: Buffer,
  expected: Expected,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<WireMessage> {
  return exchange("UDP", timeoutMs, signal, (finish) => {
    const socket = dgram.createSocket(net.isIPv6(server.host) ? "udp6" : "udp4");
    socket.on("error", (error: NodeJS.ErrnoException) =>
      finish(new DnsQueryError("network", describeSocketError(error))),
    );
    socket.on("message", (data) => {
      let message: WireMessage;
      try {
        message = readMessage(data);
      } catch (error) {
        if (error instanceof MalformedMessageError) return; // not a usable answer: keep waiting
        throw error;
      }
      if (answersQuestion(message, expected)) finish(undefined, message);
    });
    // A connected socket only accepts datagrams from the server's address and port, and reports
    // ICMP port-unreachable as ECONNREFUSED instead of a silent timeout.
    socket.connect(server.port, server.host, () => {
      socket.send(query, (error) => {
        if (error) finish(new DnsQueryError("network", describeSocketError(error)));
      });
    });
    return {
      close: () => {
        try {
          socket.close();
        } catch {
          // already closed
        }
      },
    };
  });
}

/** RFC 1035 section 4.2.2 / RFC 7766 section 8: each message is prefixed with a 2-octet length. */
function tcpExchange(
  server: Endpoint,
  query: Buffer,
  expected: Expected,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<WireMessage> {
  return exchange("TCP", timeoutMs, signal, (finish) => {
    const socket = net.connect({ host: server.host, port: server.port });
    let received = Buffer.alloc(0);
    socket.on("error", (error: NodeJS.ErrnoException) =>
      finish(new DnsQueryError("network", `TCP: ${describeSocketError(error)}`)),
    );
    socket.on("connect", () => {
      const length = Buffer.alloc(2);
      length.writeUInt16BE(query.length);
      socket.write(Buffer.concat([length, query]));
    });
    socket.on("data", (chunk) => {
      received = Buffer.concat([received, chunk]);
      while (received.length >= 2) {
        const size = received.readUInt16BE(0);
        if (received.length < 2 + size) return;
        const frame = received.subarray(2, 2 + size);
        received = received.subarray(2 + size);
        let message: WireMessage;
        try {
          message = readMessage(frame);
        } catch (error) {
          if (error instanceof MalformedMessageError)
            return finish(new DnsQueryError("malformed", `TCP: ${error.message}`));
          throw error;
        }
        // On TCP the stream is ours alone: a non-matching message is a broken server, not noise.
        if (!answersQuestion(message, expected))
          return finish(new DnsQueryError("malformed", "TCP: response does not match the question"));
        return finish(undefined, message);
      }
    });
    socket.on("end", () =>
      finish(new DnsQueryError("network", "TCP: connection closed before a full answer")),
    );
    return { close: () => socket.destroy() };
  });
}

function pay(budget: QueryBudget): void {
  if (!budget.tryTake()) throw new DnsQueryError("budget", "query budget exhausted");
}

/**
 * Asks `server` one question. Throws DnsQueryError (timeout, budget, network, malformed) when no
 * matching answer arrives; any DNS answer, whatever its rcode, is returned.
 */
export async function queryDns(
  server: Endpoint,
  name: string,
  type: string | number,
  options: QueryOptions,
): Promise<DnsResponse> {
  // An IP literal only: a hostname here would make dgram/net ask the machine's resolver.
  if (net.isIP(server.host) === 0) {
    throw new DnsQueryError(
      "network",
      `server address must be an IP address, not ${JSON.stringify(server.host)}`,
    );
  }
  const qname = absoluteName(name);
  const qtype = typeof type === "number" ? type : typeCode(type);
  const rd = options.recursionDesired ?? false;
  let attempts = 0;
  let edns = true;
  for (;;) {
    const expected: Expected = { id: randomInt(0x10000), name: qname, type: qtype };
    const query = encodeQuery(expected.id, qname, qtype, rd, edns);
    pay(options.budget);
    attempts++;
    let message = await udpExchange(server, query, expected, options.timeoutMs, options.signal);
    let transport: DnsResponse["transport"] = "udp";
    if (message.tc) {
      pay(options.budget);
      attempts++;
      message = await tcpExchange(server, query, expected, options.timeoutMs, options.signal);
      transport = "tcp";
    }
    // RFC 6891 section 7: a server that does not understand EDNS answers FORMERR (or NOTIMP)
    // without an OPT record; ask once more without it.
    if (edns && !message.edns && (message.rcode === RCODE_FORMERR || message.rcode === RCODE_NOTIMP)) {
      edns = false;
      continue;
    }
    return { message, transport, attempts };
  }
}
