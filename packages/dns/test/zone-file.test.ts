import { describe, expect, it } from "vitest";
import { parseZoneFileTtl, readZoneFile, ZoneFileError } from "../src/zone-file.js";

const origin = "example.com.";

/** A file with every trap the importer must read as BIND does. */
const TRAPS = [
  '; a comment with "quotes" and ( parentheses',
  "$TTL 1h30m",
  "@ IN SOA ns1 hostmaster ( 2024010101 ; serial",
  '      3600 ; refresh "quoted" in a comment',
  "      900 604800 300 )",
  "  NS ns1 ; blank owner = @",
  "  IN 7200 NS ns2.example.net.",
  "www 300 IN A 192.0.2.1",
  "    IN 600 A 192.0.2.2",
  'txt TXT "semi ; colon" "paren ( inside" "esc \\" quote"',
  "mail MX 10 @",
  "$ORIGIN sub.example.com.",
  "host A 192.0.2.3",
  "alias CNAME host",
  "$ORIGIN example.com.",
  "a\\.b A 192.0.2.4",
  "\\119ww2 A 192.0.2.5",
  "_sip._tcp SRV 0 5 5060 sip",
  'multi TXT ( "line one"',
  '           "line two" )',
  "null MX 0 .",
  'svc HTTPS 1 . alpn="h2,h3" port=443',
  "",
].join("\n");

describe("readZoneFile", () => {
  const records = readZoneFile(TRAPS, { origin });
  const at = (owner: string, type: string) => records.filter((r) => r.owner === owner && r.type === type);

  it("reads the SOA across parentheses with comments inside, names made absolute", () => {
    const [soa] = at("example.com.", "SOA");
    expect(soa?.rdata).toBe("ns1.example.com. hostmaster.example.com. 2024010101 3600 900 604800 300");
    expect(soa?.ttl).toBe(5400);
    expect(soa?.line).toBe(3);
  });

  it("takes a blank owner as the previous one and TTL/class in either order", () => {
    expect(at("example.com.", "NS").map((r) => [r.rdata, r.ttl, r.line])).toEqual([
      ["ns1.example.com.", 5400, 6],
      ["ns2.example.net.", 7200, 7],
    ]);
    expect(at("www.example.com.", "A").map((r) => [r.rdata, r.ttl])).toEqual([
      ["192.0.2.1", 300],
      ["192.0.2.2", 600],
    ]);
  });

  it("keeps ; ( and escaped quotes inside quoted strings", () => {
    expect(at("txt.example.com.", "TXT")[0]?.rdata).toBe('"semi ; colon" "paren ( inside" "esc \\" quote"');
    expect(at("multi.example.com.", "TXT")[0]?.rdata).toBe('"line one" "line two"');
  });

  it("follows $ORIGIN changes mid-file for owners and RDATA names, and @ in RDATA", () => {
    expect(at("host.sub.example.com.", "A")).toHaveLength(1);
    expect(at("alias.sub.example.com.", "CNAME")[0]?.rdata).toBe("host.sub.example.com.");
    expect(at("mail.example.com.", "MX")[0]?.rdata).toBe("10 example.com.");
    expect(at("_sip._tcp.example.com.", "SRV")[0]?.rdata).toBe("0 5 5060 sip.example.com.");
    expect(at("null.example.com.", "MX")[0]?.rdata).toBe("0 .");
    // RFC 9460 section 2.1: a quoted SvcParam value stays inside its token, as BIND writes it.
    expect(at("svc.example.com.", "HTTPS")[0]?.rdata).toBe('1 . alpn="h2,h3" port=443');
  });

  it("decodes \\DDD escapes and keeps an escaped dot inside its label", () => {
    expect(at("www2.example.com.", "A")).toHaveLength(1);
    expect(at("a\\.b.example.com.", "A")).toHaveLength(1);
  });

  it("refuses $INCLUDE naming the line", () => {
    expect(() => readZoneFile("$TTL 60\n\n$INCLUDE other.zone\n", { origin })).toThrow(
      /^line 3: \$INCLUDE is not supported/,
    );
  });

  it.each([
    ["www A 192.0.2.1\n", /^line 1: .*no TTL/],
    ['$TTL 60\nwww TXT "open\n', /^line 2: unterminated quoted string/],
    ["$TTL 60\n@ SOA ( a b 1 2 3 4 5\n", /^line 2: "\(" is never closed/],
    ["$TTL 60\nwww A 192.0.2.1 )\n", /^line 2: "\)" without/],
    ["$TTL 60\n A 192.0.2.1\n", /^line 2: the first record has no owner/],
    ["$TTL 60\n$GENERATE 1-3 h$ A 192.0.2.$\n", /^line 2: \$GENERATE/],
    ["$TTL x\n", /^line 1: \$TTL takes one TTL/],
    ["$TTL 60\nwww 60 IN\n", /^line 2: a record needs a type/],
  ])("answers an error naming the line for %j", (text, message) => {
    let error: unknown;
    try {
      readZoneFile(text, { origin });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ZoneFileError);
    expect((error as Error).message).toMatch(message);
  });

  it("uses the last explicit TTL before any $TTL (RFC 1035) and keeps the class", () => {
    const r = readZoneFile('a 120 A 192.0.2.1\nb A 192.0.2.2\nc CH TXT "x"\n', { origin });
    expect(r.map((x) => [x.owner, x.ttl, x.class])).toEqual([
      ["a.example.com.", 120, "IN"],
      ["b.example.com.", 120, "IN"],
      ["c.example.com.", 120, "CH"],
    ]);
  });
});

describe("parseZoneFileTtl", () => {
  it.each([
    ["3600", 3600],
    ["1h30m", 5400],
    ["1W", 604800],
    ["2d", 172800],
    ["1h", 3600],
  ])("%s = %d", (text, value) => expect(parseZoneFileTtl(text)).toBe(value));
  it.each(["A", "IN", "h1", "1x", ""])("%j is no TTL", (text) =>
    expect(parseZoneFileTtl(text)).toBeUndefined(),
  );
});
