import { rdataToWire } from "@dnscove/dns";
import { describe, expect, it } from "vitest";
import { buildNotify } from "../src/transfer/send-notify.js";

/**
 * The edge hands buildNotify the zone's SOA as stored (uncompressed wire RDATA) and the serial the
 * NOTIFY is for; the message must be the one built from the same SOA as text with that serial.
 */
describe("NOTIFY with the SOA in the answer section (RFC 1996 section 3.7)", () => {
  it("replaces the serial of wire RDATA exactly like that of text RDATA", () => {
    const record = "ns1.example.test. hostmaster.example.test. 1 7200 3600 1209600 300";
    const fromWire = buildNotify(4242, "example.test.", 20261203, {
      rdata: rdataToWire("SOA", record),
      ttl: 3600,
    });
    const fromText = buildNotify(4242, "example.test.", 20261203, { record, ttl: 3600 });
    expect(fromWire.equals(fromText)).toBe(true);
    // The serial is in the message (SERIAL follows MNAME and RNAME, RFC 1035 section 3.3.13).
    const serial = Buffer.alloc(4);
    serial.writeUInt32BE(20261203);
    expect(fromWire.includes(serial)).toBe(true);
  });
});
