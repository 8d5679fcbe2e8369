/**
 * The wire reader and the canonicalisation of answers, on hand-built and dns-packet-built
 * messages (no network): compression inside RDATA, malicious pointers, extended rcodes, referral
 * and glue reading, and how parent-server answers are judged.
 */
import dnsPacket from "dns-packet";
import { describe, expect, it } from "vitest";
import { canonicalRdata, describeAnswer, rrsetFromResponse } from "../../src/dns-checks/canonical-answer.js";
import { properAncestors } from "../../src/dns-checks/find-parent-servers.js";
import { readDelegation } from "../../src/dns-checks/probe-delegation.js";
import { MalformedMessageError, readMessage } from "../../src/dns-checks/read-message.js";

const label = (s: string) => [s.length, ...Buffer.from(s, "ascii")];
const u16 = (n: number) => [n >> 8, n & 0xff];
const u32 = (n: number) => [...u16(Math.floor(n / 0x10000)), ...u16(n & 0xffff)];

/**
 * example.test. MX and SOA, every name compressed against the question at offset 12, the way
 * BIND-era servers do it (RFC 1035 section 4.1.4), including inside RDATA.
 */
function compressedAnswer(): Buffer {
  const header = [...u16(0x1234), ...u16(0x8400), ...u16(1), ...u16(2), ...u16(0), ...u16(0)];
  const question = [...label("Example"), ...label("TEST"), 0, ...u16(15), ...u16(1)];
  const mxRdata = [...u16(10), ...label("MAIL"), 0xc0, 12];
  const soaRdata = [
    ...label("NS1"),
    0xc0,
    12,
    ...label("hostmaster"),
    0xc0,
    12,
    ...u32(1),
    ...u32(2),
    ...u32(3),
    ...u32(4),
    ...u32(5),
  ];
  const rr = (type: number, rdata: number[]) => [
    0xc0,
    12,
    ...u16(type),
    ...u16(1),
    ...u32(300),
    ...u16(rdata.length),
    ...rdata,
  ];
  return Buffer.from([...header, ...question, ...rr(15, mxRdata), ...rr(6, soaRdata)]);
}

describe("readMessage", () => {
  it("expands compressed names in the header sections and inside MX/SOA RDATA", () => {
    const m = readMessage(compressedAnswer());
    expect(m).toMatchObject({ id: 0x1234, qr: true, aa: true, rcode: 0, edns: false });
    expect(m.questions).toEqual([{ name: "example.test.", type: 15, class: 1 }]);
    expect(rrsetFromResponse(m, "example.test.", 15)).toEqual({
      records: ["10 mail.example.test."],
      ttl: 300,
      via: "answer",
      rcode: "NOERROR",
    });
    expect(rrsetFromResponse(m, "EXAMPLE.test", 6).records).toEqual([
      "ns1.example.test. hostmaster.example.test. 1 2 3 4 5",
    ]);
  });

  it("rejects pointer loops and forward pointers", () => {
    const loop = Buffer.from([...u16(1), ...u16(0x8000), ...u16(1), 0, 0, 0, 0, 0, 0, 0xc0, 12, 0, 1, 0, 1]);
    expect(() => readMessage(loop)).toThrow(MalformedMessageError);
    const forward = Buffer.from([
      ...u16(1),
      ...u16(0x8000),
      ...u16(1),
      0,
      0,
      0,
      0,
      0,
      0,
      0xc0,
      14,
      0,
      0,
      1,
      0,
      1,
    ]);
    expect(() => readMessage(forward)).toThrow(/backwards/);
  });

  it("rejects truncated messages", () => {
    const whole = compressedAnswer();
    expect(() => readMessage(whole.subarray(0, whole.length - 3))).toThrow(MalformedMessageError);
    expect(() => readMessage(whole.subarray(0, 11))).toThrow(/header/);
  });

  it("combines the OPT record's extended rcode with the header's (BADVERS = 16)", () => {
    const buf = dnsPacket.encode({
      type: "response",
      id: 7,
      flags: 0,
      questions: [{ name: "x.test", type: "A" }],
      additionals: [
        {
          type: "OPT",
          name: ".",
          udpPayloadSize: 1232,
          extendedRcode: 1,
          ednsVersion: 0,
          flags: 0,
          flag_do: false,
          options: [],
        },
      ],
    });
    const m = readMessage(buf);
    expect(m.rcode).toBe(16);
    expect(m.edns).toBe(true);
    expect(m.additionals).toEqual([]);
  });
});

describe("canonical answers", () => {
  it("canonicalises TXT, AAAA and SPF like our own records; unknown types in RFC 3597 form", () => {
    expect(canonicalRdata({ type: 16, rdata: Uint8Array.from([5, ...Buffer.from('a"b\\c')]) })).toBe(
      '"a\\"b\\\\c"',
    );
    expect(
      canonicalRdata({
        type: 28,
        rdata: Uint8Array.from([0x20, 0x01, 0x0d, 0xb8, ...new Array(11).fill(0), 1]),
      }),
    ).toBe("2001:db8::1");
    expect(canonicalRdata({ type: 99, rdata: Uint8Array.from([1, 0x41]) })).toBe('"A"');
    expect(canonicalRdata({ type: 4242, rdata: Uint8Array.from([1, 2, 3, 4]) })).toBe("\\# 4 01020304");
    // Invalid RDATA for a known type (A with 3 octets) is still compared byte for byte.
    expect(canonicalRdata({ type: 1, rdata: Uint8Array.from([1, 2, 3]) })).toBe("\\# 3 010203");
  });

  it("reads the NS set and glue of a referral (RFC 1034 section 4.3.2 step 3b)", () => {
    const m = readMessage(
      dnsPacket.encode({
        type: "response",
        id: 1,
        flags: 0,
        questions: [{ name: "ns1.sub.example.test", type: "A" }],
        authorities: [
          { type: "NS", name: "sub.example.test", ttl: 3600, data: "NS1.sub.example.test" },
          { type: "NS", name: "sub.example.test", ttl: 3600, data: "ns2.elsewhere.test" },
        ],
        additionals: [{ type: "A", name: "ns1.sub.example.test", ttl: 3600, data: "192.0.2.53" }],
      }),
    );
    expect(rrsetFromResponse(m, "sub.example.test.", 2)).toMatchObject({
      records: ["ns1.sub.example.test.", "ns2.elsewhere.test."],
      via: "referral",
    });
    expect(rrsetFromResponse(m, "ns1.sub.example.test.", 1)).toMatchObject({
      records: ["192.0.2.53"],
      via: "referral",
    });
  });

  it("shows a CNAME found instead of the asked type, and describes probe answers with the rcode", () => {
    const m = readMessage(
      dnsPacket.encode({
        type: "response",
        id: 1,
        flags: dnsPacket.AUTHORITATIVE_ANSWER,
        questions: [{ name: "www.example.test", type: "A" }],
        answers: [
          { type: "CNAME", name: "www.example.test", ttl: 60, data: "Web.Example.test" },
          { type: "A", name: "web.example.test", ttl: 60, data: "192.0.2.1" },
        ],
      }),
    );
    expect(rrsetFromResponse(m, "www.example.test.", 1)).toEqual({
      records: ["CNAME web.example.test."],
      ttl: undefined,
      via: "cname",
      rcode: "NOERROR",
    });
    expect(describeAnswer(m)).toEqual([
      "NOERROR",
      "web.example.test. A 192.0.2.1",
      "www.example.test. CNAME web.example.test.",
    ]);
  });
});

describe("judging a parent server's answer", () => {
  const response = (packet: dnsPacket.Packet & { rcode?: string }) =>
    readMessage(
      dnsPacket.encode({
        type: "response",
        id: 1,
        questions: [{ name: "child.test", type: "NS" }],
        ...packet,
      }),
    );

  it("authoritative NXDOMAIN: answered, not delegated; without AA: lame", () => {
    expect(
      readDelegation(response({ flags: dnsPacket.AUTHORITATIVE_ANSWER | 3 }), "child.test.", "test."),
    ).toEqual({
      answered: true,
      nameservers: [],
    });
    expect(readDelegation(response({ flags: 3 }), "child.test.", "test.")).toMatchObject({ answered: false });
  });

  it("an upward referral (to the root) is lame", () => {
    const verdict = readDelegation(
      response({ flags: 0, authorities: [{ type: "NS", name: ".", ttl: 1, data: "a.root-servers.net" }] }),
      "child.test.",
      "test.",
    );
    expect(verdict).toEqual({ answered: false, error: "lame: not authoritative, referred to ." });
  });

  it("NODATA from the parent (name exists, no cut): answered, not delegated", () => {
    const verdict = readDelegation(
      response({
        flags: dnsPacket.AUTHORITATIVE_ANSWER,
        authorities: [
          { type: "SOA", name: "test", ttl: 1, data: { mname: "ns1.nic.test", rname: "h.test" } },
        ],
      }),
      "child.test.",
      "test.",
    );
    expect(verdict).toEqual({ answered: true, nameservers: [] });
  });

  it("walks up from the zone: every proper ancestor, closest first, then the root", () => {
    expect(properAncestors("a.b.example.test.")).toEqual(["b.example.test.", "example.test.", "test.", "."]);
  });
});
