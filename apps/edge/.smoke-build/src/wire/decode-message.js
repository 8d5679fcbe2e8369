/**
 * A defensive decoder for incoming DNS messages (RFC 1035 section 4.1). It never reads past the
 * buffer, follows compression pointers only backwards with a hop limit (RFC 1035 section 4.1.4),
 * and reports every structural problem as a DecodeError, which the server turns into FORMERR.
 */
import { labelToKey } from "./names.js";
import { TYPE } from "./constants.js";
export class DecodeError extends Error {
}
const MAX_POINTER_HOPS = 64;
export function decodeHeader(buf) {
    if (buf.length < 12)
        return undefined;
    const u16 = (o) => (buf[o] << 8) | buf[o + 1];
    const flags = u16(2);
    return {
        id: u16(0),
        flags,
        qr: (flags & 0x8000) !== 0,
        opcode: (flags >> 11) & 0xf,
        rd: (flags & 0x0100) !== 0,
        cd: (flags & 0x0010) !== 0,
        qdcount: u16(4),
        ancount: u16(6),
        nscount: u16(8),
        arcount: u16(10),
    };
}
export class Reader {
    buf;
    pos;
    constructor(buf, pos = 0) {
        this.buf = buf;
        this.pos = pos;
    }
    need(n) {
        if (this.pos + n > this.buf.length)
            throw new DecodeError("message truncated");
    }
    u8() {
        this.need(1);
        return this.buf[this.pos++];
    }
    u16() {
        this.need(2);
        const v = (this.buf[this.pos] << 8) | this.buf[this.pos + 1];
        this.pos += 2;
        return v;
    }
    u32() {
        this.need(4);
        const b = this.buf;
        const p = this.pos;
        this.pos += 4;
        return (b[p] * 0x1000000 + ((b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3])) >>> 0;
    }
    bytes(n) {
        this.need(n);
        const out = this.buf.subarray(this.pos, this.pos + n);
        this.pos += n;
        return out;
    }
    /** A possibly compressed name (RFC 1035 section 4.1.4). */
    name() {
        const buf = this.buf;
        let pos = this.pos;
        let jumped = false;
        let hops = 0;
        let key = "";
        const wire = [];
        for (;;) {
            if (pos >= buf.length)
                throw new DecodeError("name runs past the end of the message");
            const len = buf[pos];
            if (len === 0) {
                wire.push(0);
                if (!jumped)
                    this.pos = pos + 1;
                break;
            }
            const kind = len & 0xc0;
            if (kind === 0xc0) {
                if (pos + 1 >= buf.length)
                    throw new DecodeError("truncated compression pointer");
                const target = ((len & 0x3f) << 8) | buf[pos + 1];
                // Pointers must point to an earlier position: this rules out loops (with the hop limit).
                if (target >= pos)
                    throw new DecodeError("forward compression pointer");
                if (++hops > MAX_POINTER_HOPS)
                    throw new DecodeError("too many compression pointers");
                if (!jumped)
                    this.pos = pos + 2;
                jumped = true;
                pos = target;
                continue;
            }
            if (kind !== 0)
                throw new DecodeError("unsupported label type");
            if (pos + 1 + len > buf.length)
                throw new DecodeError("label runs past the end of the message");
            wire.push(len);
            for (let i = 0; i < len; i++)
                wire.push(buf[pos + 1 + i]);
            if (wire.length + 1 > 255)
                throw new DecodeError("name longer than 255 octets");
            key += `${labelToKey(buf, pos + 1, len)}.`;
            pos += 1 + len;
        }
        return { key: key === "" ? "." : key, wire: Uint8Array.from(wire) };
    }
}
function readRR(r) {
    const start = r.pos;
    const name = r.name();
    const type = r.u16();
    const klass = r.u16();
    const ttl = r.u32();
    const rdlength = r.u16();
    const rdataOffset = r.pos;
    r.need(rdlength);
    r.pos += rdlength;
    return { name, type, klass, ttl, start, rdataOffset, rdlength };
}
function readTsig(msg, rr) {
    const r = new Reader(msg, rr.rdataOffset);
    const end = rr.rdataOffset + rr.rdlength;
    const algorithm = r.name().key;
    const hi = r.u16();
    const lo = r.u32();
    const timeSigned = hi * 0x100000000 + lo;
    const fudge = r.u16();
    const macSize = r.u16();
    const mac = r.bytes(macSize);
    const originalId = r.u16();
    const error = r.u16();
    const otherLen = r.u16();
    const otherData = r.bytes(otherLen);
    if (r.pos !== end)
        throw new DecodeError("TSIG RDATA length mismatch");
    return { start: rr.start, keyName: rr.name, algorithm, timeSigned, fudge, mac, originalId, error, otherData };
}
/** Decodes a whole message. Throws DecodeError on any structural problem. */
export function decodeMessage(buf) {
    const header = decodeHeader(buf);
    if (!header)
        throw new DecodeError("short header");
    const r = new Reader(buf, 12);
    const questions = [];
    for (let i = 0; i < header.qdcount; i++) {
        const name = r.name();
        questions.push({ name, qtype: r.u16(), qclass: r.u16() });
    }
    const answers = [];
    for (let i = 0; i < header.ancount; i++)
        answers.push(readRR(r));
    const authority = [];
    for (let i = 0; i < header.nscount; i++)
        authority.push(readRR(r));
    const additional = [];
    for (let i = 0; i < header.arcount; i++)
        additional.push(readRR(r));
    const msg = { header, questions, answers, authority, additional, raw: buf };
    for (let i = 0; i < additional.length; i++) {
        const rr = additional[i];
        if (rr.type === TYPE.OPT) {
            // RFC 6891 section 6.1.1: at most one OPT, owner must be the root.
            if (msg.edns)
                throw new DecodeError("more than one OPT record");
            if (rr.name.key !== ".")
                throw new DecodeError("OPT owner is not the root");
            msg.edns = {
                udpSize: rr.klass,
                extendedRcode: rr.ttl >>> 24,
                version: (rr.ttl >>> 16) & 0xff,
                dnssecOk: (rr.ttl & 0x8000) !== 0,
            };
        }
        else if (rr.type === TYPE.TSIG) {
            // RFC 8945 section 5.1: TSIG must be the last record of the additional section.
            if (i !== additional.length - 1)
                throw new DecodeError("TSIG is not the last record");
            msg.tsig = readTsig(buf, rr);
        }
    }
    return msg;
}
/** Serial of the SOA record of an IXFR query's authority section (RFC 1995 section 3). */
export function soaSerialOf(msg, rr) {
    const r = new Reader(msg.raw, rr.rdataOffset);
    r.name();
    r.name();
    const serial = r.u32();
    if (r.pos > rr.rdataOffset + rr.rdlength)
        throw new DecodeError("SOA RDATA too short");
    return serial;
}
//# sourceMappingURL=decode-message.js.map