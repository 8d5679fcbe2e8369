/**
 * One request in, zero or more response messages out. No sockets here: the UDP and TCP front ends
 * in dns-server.ts call this for every message they receive.
 *
 * - Fewer than 12 octets (no readable header) or a response (QR=1): dropped, never answered.
 * - A readable header with an undecodable body: FORMERR with no question (RFC 1035 section 4.1.1).
 * - TSIG (RFC 8945 section 5.2): BADKEY/BADSIG answered NOTAUTH with an unsigned TSIG, BADTIME
 *   answered NOTAUTH with a signed TSIG carrying our time; valid requests get signed responses.
 * - UDP size limit = min(max(client EDNS size, 512), 1232), or 512 without EDNS (RFC 6891 section 6.2.5).
 * - AXFR/IXFR: transfer/zone-transfer.ts. An IXFR answered from the change journal is the one
 *   asynchronous case (the journal is read from the database): `handle` then returns a promise,
 *   and the TCP front end answers that connection's later queries after it (tcp-front.ts).
 * - Plain queries are answered from a bounded cache of encoded responses when the same question
 *   (with the same RD/CD/EDNS/DO/size class) was answered before from the same zone generation
 *   (answer-cache.ts); the cached octets are byte-identical to what the path below would build.
 */
import { answerQuery } from "../resolver/answer-query.js";
import { emptyPlan } from "../resolver/response-plan.js";
import { TransferAcl, type TransferPolicy } from "../transfer/transfer-acl.js";
import {
  appendTsig,
  FUDGE,
  type ResolvedKey,
  TsigKeyring,
  tsigReserve,
  verifyRequest,
} from "../transfer/tsig.js";
import type { ZoneHistory } from "../transfer/zone-history.js";
import { type TransferReport, transferResponses } from "../transfer/zone-transfer.js";
import { CLASSIC_UDP_PAYLOAD, MAX_UDP_PAYLOAD, OPCODE, RCODE, TSIG_ERROR, TYPE } from "../wire/constants.js";
import { type DecodedMessage, decodeHeader, decodeMessage } from "../wire/decode-message.js";
import { encodeResponse } from "../wire/encode-response.js";
import type { ZoneSet } from "../zones/zone-set.js";
import { AnswerCache, type AnswerCacheStats } from "./answer-cache.js";
import { forwardUpdate } from "./update-forward.js";

export interface RequestContext {
  transport: "udp" | "tcp";
  address: string;
  port: number;
}

/** Reported when a NOTIFY response (QR=1, opcode NOTIFY) arrives at the server's own sockets. */
export interface NotifyAck {
  id: number;
  zone: string | undefined;
  rcode: number;
  address: string;
  port: number;
}

export interface RequestHandlerOptions {
  zones: ZoneSet;
  transfer: TransferPolicy;
  /** Seconds since the epoch; injectable for tests. */
  now?: () => number;
  onNotifyAck?: (ack: NotifyAck) => void;
  /** The change journal, for IXFR differences (RFC 1995); absent: IXFR answers in AXFR form. */
  history?: ZoneHistory;
  /** Told how each AXFR/IXFR was answered (the edge logs it). */
  onTransfer?: (report: TransferReport) => void;
  /** Where UPDATE messages go (RFC 2136 §6 forwarding, update-forward.ts); absent: NOTIMP. */
  updateForward?: { host: string; port: number };
}

export class RequestHandler {
  private readonly acl: TransferAcl;
  private readonly keyring: TsigKeyring;
  private readonly now: () => number;
  private readonly cache: AnswerCache;

  constructor(private readonly opts: RequestHandlerOptions) {
    this.acl = new TransferAcl(opts.transfer.allow);
    this.keyring = new TsigKeyring(opts.transfer.tsigKeys);
    this.now = opts.now ?? (() => Math.floor(Date.now() / 1000));
    this.cache = new AnswerCache(opts.zones.options.answerCache);
  }

  /** Counters and size of the answer cache (for benchmarks and tests). */
  cacheStats(): AnswerCacheStats {
    return this.cache.stats();
  }

  /**
   * The response messages to one request: at once, or a promise when an IXFR difference needs the
   * journal (the DNS server's front ends call this).
   */
  respond(buf: Uint8Array, ctx: RequestContext): Buffer[] | Promise<Buffer[]> {
    return this.answer(buf, ctx, true);
  }

  /** The response messages at once: an IXFR of a client behind gets the whole zone (AXFR form). */
  handle(buf: Uint8Array, ctx: RequestContext): Buffer[] {
    return this.answer(buf, ctx, false) as Buffer[];
  }

  private answer(buf: Uint8Array, ctx: RequestContext, useHistory: boolean): Buffer[] | Promise<Buffer[]> {
    // UPDATE (RFC 2136) bypasses the cache and the edge's own TSIG keys: forwarded as received.
    const update = updateRequest(buf, this.opts.updateForward);
    if (update) return update;
    const generation = this.opts.zones.generation;
    const tcp = ctx.transport === "tcp";
    const cached = this.cache.lookup(buf, tcp, generation);
    if (cached) return [cached];
    const messages = this.handleUncached(buf, ctx, useHistory);
    if (!Array.isArray(messages)) return messages;
    if (messages.length === 1) this.cache.store(buf, messages[0] as Buffer, generation);
    return messages;
  }

  private handleUncached(
    buf: Uint8Array,
    ctx: RequestContext,
    useHistory: boolean,
  ): Buffer[] | Promise<Buffer[]> {
    const header = decodeHeader(buf);
    if (!header) return [];
    if (header.qr) {
      if (header.opcode === OPCODE.NOTIFY && this.opts.onNotifyAck) {
        let zone: string | undefined;
        try {
          zone = decodeMessage(buf).questions[0]?.name.key;
        } catch {
          zone = undefined;
        }
        this.opts.onNotifyAck({
          id: header.id,
          zone,
          rcode: header.flags & 0xf,
          address: ctx.address,
          port: ctx.port,
        });
      }
      return [];
    }
    let msg: DecodedMessage;
    try {
      msg = decodeMessage(buf);
    } catch {
      return [encodeResponse(emptyPlan(header.id, header.opcode, RCODE.FORMERR), CLASSIC_UDP_PAYLOAD).wire];
    }
    const limit =
      ctx.transport === "tcp"
        ? 65535
        : msg.edns
          ? Math.min(Math.max(msg.edns.udpSize, CLASSIC_UDP_PAYLOAD), MAX_UDP_PAYLOAD)
          : CLASSIC_UDP_PAYLOAD;

    let key: ResolvedKey | undefined;
    let requestMac: Uint8Array | undefined;
    let reserve = 0;
    if (msg.tsig) {
      const check = verifyRequest(msg, this.keyring, this.now());
      reserve = tsigReserve(msg.tsig.keyName.key);
      const forwarded =
        !check.ok && check.error === TSIG_ERROR.BADKEY
          ? signedQuery(buf, msg, this.opts.updateForward)
          : undefined;
      if (forwarded) return forwarded;
      if (!check.ok) {
        const plan = emptyPlan(
          header.id,
          header.opcode,
          RCODE.NOTAUTH,
          msg.header.qdcount === 1 ? msg.questions[0] : undefined,
        );
        if (msg.edns) plan.edns = { dnssecOk: false };
        const wire = encodeResponse(plan, limit, reserve).wire;
        if (check.error === TSIG_ERROR.BADTIME && check.key) {
          const other = Buffer.alloc(6);
          const now = this.now();
          other.writeUInt16BE(Math.floor(now / 0x100000000), 0);
          other.writeUInt32BE(now % 0x100000000, 2);
          return [
            appendTsig(wire, {
              key: check.key,
              prior: check.tsig.mac,
              time: check.tsig.timeSigned,
              error: check.error,
              otherData: other,
              originalId: check.tsig.originalId,
            }).wire,
          ];
        }
        const echoKey: ResolvedKey = { name: check.tsig.keyName.key, secret: Buffer.alloc(0) };
        return [
          appendTsig(wire, {
            key: echoKey,
            unsigned: true,
            time: check.tsig.timeSigned,
            error: check.error,
            originalId: check.tsig.originalId,
          }).wire,
        ];
      }
      key = check.key;
      requestMac = check.requestMac;
    }

    let messages: Buffer[] | Promise<Buffer[]>;
    const q = msg.questions[0];
    if (
      header.opcode === OPCODE.QUERY &&
      header.qdcount === 1 &&
      q !== undefined &&
      (q.qtype === TYPE.AXFR || q.qtype === TYPE.IXFR)
    ) {
      messages = transferResponses(
        {
          msg,
          question: q,
          transport: ctx.transport,
          addressAllowed: this.acl.allows(ctx.address),
          tsigValid: key !== undefined,
          requireTsig: this.opts.transfer.requireTsig,
          reserve,
        },
        this.opts.zones,
        useHistory ? this.opts.history : undefined,
        this.opts.onTransfer,
      );
    } else {
      messages = [encodeResponse(answerQuery(msg, this.opts.zones), limit, reserve).wire];
    }
    if (!key || !requestMac) return messages;
    const signingKey = key;
    const mac = requestMac;
    return Array.isArray(messages)
      ? this.sign(messages, signingKey, mac)
      : messages.then((m) => this.sign(m, signingKey, mac));
  }

  /**
   * Signs every message (RFC 8945 section 5.3.1): the first over the request MAC and all TSIG
   * variables, each later one over the previous MAC and the timers only.
   */
  private sign(messages: Buffer[], key: ResolvedKey, requestMac: Uint8Array): Buffer[] {
    const time = this.now();
    let prior: Uint8Array = requestMac;
    return messages.map((m, i) => {
      const signed = appendTsig(m, { key, prior, timersOnly: i > 0, time });
      prior = signed.mac;
      return signed.wire;
    });
  }
}

export { FUDGE };

/**
 * A query signed with a key this edge does not hold may be signed with a zone's RFC 2136 key,
 * which only the API can verify: certbot's dns-rfc2136 plugin asks for the zone's SOA with its
 * key before updating. The API verifies it, has it answered unsigned here and signs the answer.
 */
function signedQuery(
  buf: Uint8Array,
  msg: DecodedMessage,
  target: { host: string; port: number } | undefined,
): Promise<Buffer[]> | undefined {
  const q = msg.questions[0];
  if (!target || msg.header.opcode !== OPCODE.QUERY || msg.header.qdcount !== 1 || !q) return undefined;
  if (q.qtype === TYPE.AXFR || q.qtype === TYPE.IXFR) return undefined;
  return forwardUpdate(buf, target).then(
    (response) => [response],
    () => [
      encodeResponse(emptyPlan(msg.header.id, msg.header.opcode, RCODE.SERVFAIL), CLASSIC_UDP_PAYLOAD).wire,
    ],
  );
}

function updateRequest(
  buf: Uint8Array,
  target: { host: string; port: number } | undefined,
): Buffer[] | Promise<Buffer[]> | undefined {
  const header = decodeHeader(buf);
  if (!header || header.qr || header.opcode !== OPCODE.UPDATE) return undefined;
  if (!target)
    return [encodeResponse(emptyPlan(header.id, header.opcode, RCODE.NOTIMP), CLASSIC_UDP_PAYLOAD).wire];
  return forwardUpdate(buf, target).then(
    (response) => [response],
    () => [encodeResponse(emptyPlan(header.id, header.opcode, RCODE.SERVFAIL), CLASSIC_UDP_PAYLOAD).wire],
  );
}
