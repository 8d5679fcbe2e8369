/**
 * Answers one RFC 2136 UPDATE message: TSIG verification (RFC 8945 §5.2) with the zone-bound keys
 * of the database, the update itself (domain/dns-update), and a TSIG-signed response (§5.3).
 * Transport-free: update-listener.ts feeds it UDP datagrams and TCP frames.
 */
import { randomUUID } from "node:crypto";
import { connect } from "node:net";
import {
  appendTsig,
  type DecodedMessage,
  decodeHeader,
  decodeMessage,
  RCODE,
  type ResolvedKey,
  TSIG_ERROR,
  TsigKeyring,
  verifyRequest,
} from "@dnscove/edge";
import { applyUpdate, type UpdateKey, updateActor } from "../domain/dns-update/apply-update.js";
import { readUpdate, UPDATE_RCODE, UpdateRefused } from "../domain/dns-update/update-message.js";
import type { Services } from "../domain/services.js";
import { unsealSecret } from "../domain/tsig-keys/seal-secret.js";

const OPCODE_QUERY = 0;
const OPCODE_UPDATE = 5;

export interface UpdateOrigin {
  address: string;
}

/** What the listener answers with: the domain's services, and the edge that answers queries. */
export interface UpdateContext {
  services: Services;
  /** Where a query signed with a zone key is answered (unsigned) before it is signed here. */
  edge?: { host: string; port: number } | undefined;
}

export async function answerUpdate(
  context: UpdateContext,
  buf: Uint8Array,
  from: UpdateOrigin,
): Promise<Buffer | undefined> {
  const { services } = context;
  const header = decodeHeader(buf);
  if (!header || header.qr) return undefined;
  let msg: DecodedMessage;
  try {
    msg = decodeMessage(buf);
  } catch {
    return plain(header.id, header.opcode, RCODE.FORMERR, undefined);
  }
  const signedQuery = header.opcode === OPCODE_QUERY && msg.tsig !== undefined && context.edge !== undefined;
  if (header.opcode !== OPCODE_UPDATE && !signedQuery)
    return plain(header.id, header.opcode, RCODE.NOTIMP, msg);
  const tsig = msg.tsig;
  // Only signed updates: the key is the credential (issue 17).
  if (!tsig) return plain(header.id, header.opcode, RCODE.REFUSED, msg);
  const log = services.logger.child({ component: "rfc2136", key: tsig.keyName.key, client: from.address });
  const now = Math.floor(services.clock.now().getTime() / 1000);
  const row = await services.db.tsigKey.findFirst({ where: { keyName: tsig.keyName.key, revokedAt: null } });
  const secret = row ? unsealSecret(services.settings.sessionSecret, row.sealedSecret) : undefined;
  const keyring = new TsigKeyring(
    row && secret ? [{ name: row.keyName, algorithm: "hmac-sha256", secret: secret.toString("base64") }] : [],
  );
  const check = verifyRequest(msg, keyring, now);
  if (!check.ok || !row) {
    const error = check.ok ? TSIG_ERROR.BADKEY : check.error;
    log.warn({ tsigError: error }, "UPDATE refused: TSIG did not verify");
    const response = plain(header.id, header.opcode, RCODE.NOTAUTH, msg);
    if (!check.ok && check.error === TSIG_ERROR.BADTIME && check.key) {
      const other = Buffer.alloc(6);
      other.writeUInt16BE(Math.floor(now / 0x100000000), 0);
      other.writeUInt32BE(now % 0x100000000, 2);
      return appendTsig(response, {
        key: check.key,
        prior: tsig.mac,
        time: tsig.timeSigned,
        error,
        otherData: other,
        originalId: tsig.originalId,
      }).wire;
    }
    // BADKEY and BADSIG answers carry a TSIG without MAC (RFC 8945 §5.3.2).
    const echo: ResolvedKey = { name: tsig.keyName.key, secret: Buffer.alloc(0) };
    return appendTsig(response, {
      key: echo,
      unsigned: true,
      time: tsig.timeSigned,
      error,
      originalId: tsig.originalId,
    }).wire;
  }
  if (signedQuery && context.edge) {
    // The edge answers the query without its TSIG (RFC 8945 §4.3.1: the signed message minus the
    // TSIG RR, ARCOUNT less one); the answer is signed here over the request MAC (§5.3).
    const unsigned = Buffer.from(msg.raw.subarray(0, tsig.start));
    unsigned.writeUInt16BE(unsigned.readUInt16BE(10) - 1, 10);
    const answer = await askEdge(unsigned, context.edge).catch(() =>
      plain(header.id, header.opcode, RCODE.SERVFAIL, msg),
    );
    return appendTsig(answer, {
      key: check.key,
      prior: check.requestMac,
      time: Math.floor(services.clock.now().getTime() / 1000),
    }).wire;
  }
  const key: UpdateKey = {
    id: row.id,
    tenantId: row.tenantId,
    zoneId: row.zoneId,
    keyName: row.keyName,
    scope: row.scope as UpdateKey["scope"],
  };
  let rcode: number = UPDATE_RCODE.NOERROR;
  try {
    const request = readUpdate(msg);
    const serial = await applyUpdate(services, key, request, updateActor(key, from.address, randomUUID()));
    log.info({ zone: request.zone, serial: serial ?? null }, "UPDATE applied");
  } catch (error) {
    if (error instanceof UpdateRefused) {
      rcode = error.rcode;
      log.info({ rcode, reason: error.message }, "UPDATE refused");
    } else {
      rcode = UPDATE_RCODE.SERVFAIL;
      log.error({ err: error }, "UPDATE failed");
    }
  }
  await services.db.tsigKey
    .update({ where: { id: row.id }, data: { lastUsedAt: services.clock.now() } })
    .catch(() => undefined);
  return appendTsig(plain(header.id, header.opcode, rcode, msg), {
    key: check.key,
    prior: check.requestMac,
    time: Math.floor(services.clock.now().getTime() / 1000),
  }).wire;
}

/** A response header, echoing the zone section when the request had a readable one (RFC 2136 §3.8). */
function plain(id: number, opcode: number, rcode: number, msg: DecodedMessage | undefined): Buffer {
  const head = Buffer.alloc(12);
  head.writeUInt16BE(id, 0);
  head.writeUInt16BE(0x8000 | ((opcode & 0xf) << 11) | (rcode & 0xf), 2);
  const zone = msg?.questions.length === 1 ? msg.questions[0] : undefined;
  if (!zone) return head;
  head.writeUInt16BE(1, 4);
  const tail = Buffer.alloc(4);
  tail.writeUInt16BE(zone.qtype, 0);
  tail.writeUInt16BE(zone.qclass, 2);
  return Buffer.concat([head, Buffer.from(zone.name.wire), tail]);
}

/** One query over TCP to the edge (TCP: the answer plus a TSIG may exceed a UDP payload). */
function askEdge(query: Buffer, edge: { host: string; port: number }): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: edge.host, port: edge.port });
    let received = Buffer.alloc(0);
    socket.setTimeout(10_000, () => socket.destroy(new Error("edge query timed out")));
    socket.on("error", reject);
    socket.on("connect", () => {
      const length = Buffer.alloc(2);
      length.writeUInt16BE(query.length, 0);
      socket.write(Buffer.concat([length, query]));
    });
    socket.on("data", (chunk) => {
      received = Buffer.concat([received, chunk]);
      if (received.length >= 2 && received.length >= 2 + received.readUInt16BE(0)) {
        socket.end();
        resolve(received.subarray(2, 2 + received.readUInt16BE(0)));
      }
    });
    socket.on("close", () => reject(new Error("the edge closed the connection")));
  });
}
