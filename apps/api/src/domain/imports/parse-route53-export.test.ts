import { readFileSync } from "node:fs";
import { canonicalOwnerName, canonicalRecords } from "@dnscove/dns";
import { route53Export } from "@dnscove/testkit";
import { describe, expect, it } from "vitest";
import {
  parseRoute53Export,
  parseRoute53ExportYielding,
  Route53ImportError,
} from "./parse-route53-export.js";
import { canonicalOwner, decodeRoute53Name, displayName, isInsideOrigin } from "./route53-names.js";
import { octalToDecimalInQuotes } from "./route53-records.js";

const FIXTURES = new URL("../../../test/fixtures/route53/", import.meta.url);

function fixture(name: string): string {
  return readFileSync(new URL(name, FIXTURES), "utf8");
}

/** The parser's answer as plain JSON: the result, or the Route53ImportError's path and message. */
function outcome(text: string, options?: { origin?: string }): unknown {
  try {
    return parseRoute53Export(text, options);
  } catch (error) {
    if (error instanceof Route53ImportError) return { error: { path: error.path, message: error.message } };
    throw error;
  }
}

/** [fixture, options, what it covers] */
const CASES: [string, { origin?: string } | undefined, string][] = [
  ["example-com", undefined, "the research note's 27-RRset fixture, merged (default) CLI output"],
  ["shop-example-single-page", undefined, "one complete --no-paginate page: aliases, multivalue, new types"],
  ["buecher-idn", undefined, "an IDN zone, octal-escaped UTF-8 names and TXT"],
  ["buecher-idn", { origin: "Bücher.Example." }, "the same with a Unicode origin option that agrees"],
  ["reverse-2-0-192", undefined, "a reverse zone with RFC 2317 delegations"],
  ["edge-cases", { origin: "edge.example" }, "hand-edited oddities: two SOAs, LOC, apex DS, occluded data"],
  ["truncated-page", undefined, "a truncated --no-paginate page is rejected"],
  ["max-items", undefined, "--max-items output (NextToken) is rejected"],
];

describe("parseRoute53Export fixtures", () => {
  it.each(CASES)("%s %j: %s", (name, options) => {
    const expected = JSON.parse(fixture(`${name}.expected.json`));
    expect(outcome(fixture(`${name}.json`), options)).toEqual(expected);
  });

  it.each(CASES)(
    "%s %j, given as the object already parsed: the same outcome as the text",
    (name, options) => {
      const text = fixture(`${name}.json`);
      const asObject = (() => {
        try {
          return parseRoute53Export({ object: JSON.parse(text) }, options);
        } catch (error) {
          if (error instanceof Route53ImportError)
            return { error: { path: error.path, message: error.message } };
          throw error;
        }
      })();
      expect(asObject).toEqual(outcome(text, options));
    },
  );

  it("names the shape, not JSON syntax, when the object given is not an export", () => {
    for (const object of [null, [], "text", { Records: [] }]) {
      expect(() => parseRoute53Export({ object })).toThrow(/ResourceRecordSets list/);
    }
    expect(() => parseRoute53Export({ object: { ResourceRecordSets: {} } })).toThrow(
      expect.objectContaining({ path: "ResourceRecordSets" }),
    );
  });

  it.each([...new Set(CASES.map(([name]) => name))])("%s.json is shaped like aws CLI v2 output", (name) => {
    const text = fixture(`${name}.json`);
    // awscli v2 prints json.dumps(indent=4, ensure_ascii=False) plus a newline.
    expect(`${JSON.stringify(JSON.parse(text), null, 4)}\n`).toBe(text);
    expect(Object.keys(JSON.parse(text))[0]).toBe("ResourceRecordSets");
  });

  it.each(CASES.filter(([name]) => !["truncated-page", "max-items"].includes(name)))(
    "%s: every rrset is already canonical, never SOA, never apex NS",
    (name, options) => {
      const parsed = parseRoute53Export(fixture(`${name}.json`), options);
      for (const rrset of parsed.rrsets) {
        expect(canonicalOwnerName(rrset.name, parsed.origin)).toBe(rrset.name);
        expect(canonicalRecords(rrset.type, rrset.records)).toEqual(rrset.records);
        expect(rrset.type).not.toBe("SOA");
        if (rrset.name === `${parsed.origin}.`) expect(rrset.type).not.toBe("NS");
      }
      for (const skip of parsed.skipped) expect(skip.reason.length).toBeGreaterThan(20);
    },
  );
});

describe("Route53 names and values", () => {
  it("decodes octal escapes to octets (\\052 is *, not the label 4)", () => {
    const labels = decodeRoute53Name("\\052.caf\\303\\251.a\\100b.0\\05726.example.com.");
    expect(labels.map((l) => [...Buffer.from(l, "latin1")])).toEqual([
      [0x2a],
      [0x63, 0x61, 0x66, 0xc3, 0xa9],
      [0x61, 0x40, 0x62],
      [0x30, 0x2f, 0x32, 0x36],
      [...Buffer.from("example")],
      [...Buffer.from("com")],
    ]);
    expect(displayName(labels)).toBe("\\052.caf\\303\\251.a\\100b.0\\05726.example.com.");
  });

  it("gives the canonicaliser's owner name on its shortcut for plain ASCII names, and defers the rest", () => {
    const origin = "example.com";
    const names = [
      "example.com.",
      "WWW.Example.COM.",
      "_dmarc.example.com.",
      "a-b.c_d.example.com.",
      "xn--bcher-kva.example.com.",
      "\\052.example.com.",
      "b\\303\\274cher.example.com.",
      `${"a".repeat(63)}.example.com.`,
      `${"a".repeat(64)}.example.com.`,
      `${"abcdefghi.".repeat(24)}example.com.`,
      `${"abcdefghi.".repeat(25)}example.com.`,
    ];
    for (const raw of names) {
      const labels = decodeRoute53Name(raw);
      expect(isInsideOrigin(labels, origin)).toBe(true);
      const text = raw.replace(/\\052/, "*").replace("b\\303\\274cher", "bücher");
      let expected: unknown;
      try {
        expected = { ok: true, name: canonicalOwnerName(text, origin) };
      } catch {
        expected = { ok: false };
      }
      const got = canonicalOwner(labels, origin);
      expect(got.ok ? got : { ok: false }, raw).toEqual(expected);
    }
    expect(isInsideOrigin(decodeRoute53Name("www.example.org."), origin)).toBe(false);
    expect(isInsideOrigin(decodeRoute53Name("com."), origin)).toBe(false);
    expect(isInsideOrigin(decodeRoute53Name("example\\056com."), origin)).toBe(false);
  });

  it("rejects escapes that are not three octal digits", () => {
    expect(() => decodeRoute53Name("a\\9bc.example.com.")).toThrow(/three octal digits/);
    expect(() => decodeRoute53Name("a\\05.example.com.")).toThrow(/three octal digits/);
    expect(() => decodeRoute53Name("a..example.com.")).toThrow(/empty label/);
  });

  it("rewrites octal escapes inside quotes as decimal and leaves the rest alone", () => {
    expect(octalToDecimalInQuotes('"caf\\303\\251 semi\\;colon" "x\\"y\\\\z"')).toBe(
      '"caf\\195\\169 semi\\;colon" "x\\"y\\\\z"',
    );
    expect(octalToDecimalInQuotes('"\\011"')).toBe('"\\009"');
    expect(() => octalToDecimalInQuotes('"\\389"')).toThrow(/three octal digits/);
  });
});

type RecordSet = Record<string, unknown>;

const SOA: RecordSet = {
  Name: "example.com.",
  Type: "SOA",
  TTL: 900,
  ResourceRecords: [{ Value: "ns-1.awsdns-00.com. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400" }],
};
const NS: RecordSet = {
  Name: "example.com.",
  Type: "NS",
  TTL: 172800,
  ResourceRecords: [{ Value: "ns-1.awsdns-00.com." }, { Value: "ns-2.awsdns-00.net." }],
};

function simple(name: string, type: string, ...values: string[]): RecordSet {
  return { Name: name, Type: type, TTL: 300, ResourceRecords: values.map((Value) => ({ Value })) };
}

function zone(...sets: RecordSet[]): string {
  return JSON.stringify({ ResourceRecordSets: [NS, SOA, ...sets] }, null, 4);
}

function errorOf(text: string, options?: { origin?: string }): { path: string; message: string } {
  try {
    parseRoute53Export(text, options);
  } catch (error) {
    if (error instanceof Route53ImportError) return { path: error.path, message: error.message };
    throw error;
  }
  throw new Error("expected a Route53ImportError");
}

describe("malformed input is rejected as a whole, naming the offending path", () => {
  it.each<[string, string, string, RegExp, { origin?: string }?]>([
    ["not JSON", "{ResourceRecordSets: [", "", /not valid JSON/],
    ["a bare list", "[]", "", /ResourceRecordSets list/],
    ["a change batch", '{"Changes": []}', "", /ResourceRecordSets list/],
    ["ResourceRecordSets not a list", '{"ResourceRecordSets": {}}', "ResourceRecordSets", /must be a list/],
    [
      "IsTruncated not a boolean",
      '{"ResourceRecordSets": [], "IsTruncated": "false"}',
      "IsTruncated",
      /true or false/,
    ],
    ["a bad option origin", zone(), "origin", /zone name/, { origin: "exa mple.com" }],
  ])("%s", (_what, text, path, message, options) => {
    const error = errorOf(text, options);
    expect(error.path).toBe(path);
    expect(error.message).toMatch(message);
  });

  it.each<[string, RecordSet[], string, string | RegExp, { origin?: string }?]>([
    [
      "a record set without Name",
      [{ Type: "A", TTL: 1, ResourceRecords: [{ Value: "192.0.2.1" }] }],
      "ResourceRecordSets[2].Name",
      /non-empty string/,
    ],
    [
      "a bad octal escape in a name",
      [simple("a\\8.example.com.", "A", "192.0.2.1")],
      "ResourceRecordSets[2].Name",
      /three octal digits/,
    ],
    [
      "a name outside the zone",
      [simple("www.example.net.", "A", "192.0.2.1")],
      "ResourceRecordSets[2].Name",
      "www.example.net. is not inside the zone example.com",
    ],
    [
      "an invalid A value",
      [simple("www.example.com.", "A", "192.0.2.1", "192.0.2.300")],
      "ResourceRecordSets[2].ResourceRecords[1].Value",
      /^www\.example\.com\. A: /,
    ],
    [
      "a bad octal escape in TXT",
      [simple("t.example.com.", "TXT", '"ok"', '"bad \\9 escape"')],
      "ResourceRecordSets[2].ResourceRecords[1].Value",
      /three octal digits/,
    ],
    [
      "TXT without closing quote",
      [simple("t.example.com.", "TXT", '"open')],
      "ResourceRecordSets[2].ResourceRecords[0].Value",
      /unterminated quoted string/,
    ],
    [
      "a CNAME target with /",
      [simple("c.example.com.", "CNAME", "0/26.2.0.192.in-addr.arpa.")],
      "ResourceRecordSets[2].ResourceRecords[0].Value",
      /invalid character "\/"/,
    ],
    [
      "a CNAME with two values",
      [simple("c.example.com.", "CNAME", "a.example.net.", "b.example.net.")],
      "ResourceRecordSets[2].ResourceRecords[1].Value",
      /only one record/,
    ],
    [
      "a duplicate value",
      [simple("w.example.com.", "AAAA", "2001:db8::1", "2001:DB8:0::1")],
      "ResourceRecordSets[2].ResourceRecords[1].Value",
      /duplicate of records\[0\]/,
    ],
    [
      "an invalid DS digest",
      [
        simple("s.example.com.", "NS", "ns1.s.example.com."),
        simple("s.example.com.", "DS", "12345 13 2 3A6B...ABCD"),
      ],
      "ResourceRecordSets[3].ResourceRecords[0].Value",
      /^s\.example\.com\. DS: /,
    ],
    [
      "a TTL above DNSCove's maximum",
      [{ ...simple("w.example.com.", "A", "192.0.2.1"), TTL: 1209600 }],
      "ResourceRecordSets[2].TTL",
      /604800/,
    ],
    [
      "a negative TTL",
      [{ ...simple("w.example.com.", "A", "192.0.2.1"), TTL: -1 }],
      "ResourceRecordSets[2].TTL",
      /integer from 0/,
    ],
    [
      "values without TTL",
      [{ Name: "w.example.com.", Type: "A", ResourceRecords: [{ Value: "192.0.2.1" }] }],
      "ResourceRecordSets[2].TTL",
      /needs a TTL/,
    ],
    [
      "neither values nor alias",
      [{ Name: "w.example.com.", Type: "A", TTL: 60 }],
      "ResourceRecordSets[2].ResourceRecords",
      /ResourceRecords or an AliasTarget/,
    ],
    [
      "an empty ResourceRecords",
      [{ Name: "w.example.com.", Type: "A", TTL: 60, ResourceRecords: [] }],
      "ResourceRecordSets[2].ResourceRecords",
      /at least one/,
    ],
    [
      "a Value that is not a string",
      [{ Name: "w.example.com.", Type: "A", TTL: 60, ResourceRecords: [{ Value: 1 }] }],
      "ResourceRecordSets[2].ResourceRecords[0].Value",
      /must be a string/,
    ],
    [
      "values and alias together",
      [
        {
          ...simple("w.example.com.", "A", "192.0.2.1"),
          AliasTarget: { HostedZoneId: "Z1", DNSName: "example.com.", EvaluateTargetHealth: false },
        },
      ],
      "ResourceRecordSets[2].AliasTarget",
      /not both/,
    ],
    [
      "an alias without DNSName",
      [
        {
          Name: "w.example.com.",
          Type: "A",
          AliasTarget: { HostedZoneId: "Z1", EvaluateTargetHealth: false },
        },
      ],
      "ResourceRecordSets[2].AliasTarget.DNSName",
      /non-empty string/,
    ],
    [
      "an alias DNSName with a bad escape",
      [
        {
          Name: "w.example.com.",
          Type: "A",
          AliasTarget: { HostedZoneId: "Z1", DNSName: "x\\12.example.com.", EvaluateTargetHealth: false },
        },
      ],
      "ResourceRecordSets[2].AliasTarget.DNSName",
      /three octal digits/,
    ],
    [
      "a Weight without SetIdentifier",
      [{ ...simple("w.example.com.", "A", "192.0.2.1"), Weight: 10 }],
      "ResourceRecordSets[2].SetIdentifier",
      /needs a SetIdentifier/,
    ],
    [
      "a Weight out of range",
      [{ ...simple("w.example.com.", "A", "192.0.2.1"), SetIdentifier: "x", Weight: 256 }],
      "ResourceRecordSets[2].Weight",
      /0 to 255/,
    ],
    [
      "a bad Failover value",
      [{ ...simple("w.example.com.", "A", "192.0.2.1"), SetIdentifier: "x", Failover: "TERTIARY" }],
      "ResourceRecordSets[2].Failover",
      /PRIMARY or SECONDARY/,
    ],
    [
      "a duplicate name and type",
      [simple("w.example.com.", "A", "192.0.2.1"), simple("W.example.com.", "A", "192.0.2.2")],
      "ResourceRecordSets[3].Name",
      /duplicate record set w\.example\.com\. A: ResourceRecordSets\[2\]/,
    ],
    [
      "a duplicate after octal and IDNA decoding",
      [
        simple("xn--caf-dma.example.com.", "A", "192.0.2.1"),
        simple("caf\\303\\251.example.com.", "A", "192.0.2.2"),
      ],
      "ResourceRecordSets[3].Name",
      /xn--caf-dma\.example\.com\. A: ResourceRecordSets\[2\] has the same name and type \("xn--caf-dma\.example\.com\." after decoding\)/,
    ],
    [
      "a duplicate wildcard spelled two ways",
      [simple("\\052.example.com.", "A", "192.0.2.1"), simple("*.example.com.", "A", "192.0.2.2")],
      "ResourceRecordSets[3].Name",
      /duplicate record set \*\.example\.com\. A/,
    ],
    ["a duplicate apex NS", [NS], "ResourceRecordSets[2].Name", /duplicate record set example\.com\. NS/],
    [
      "a repeated SetIdentifier",
      [
        { ...simple("w.example.com.", "A", "192.0.2.1"), SetIdentifier: "x", Weight: 1 },
        { ...simple("w.example.com.", "A", "192.0.2.2"), SetIdentifier: "x", Weight: 2 },
      ],
      "ResourceRecordSets[3].SetIdentifier",
      /duplicate SetIdentifier "x"/,
    ],
    [
      "a plain set beside a routing group",
      [
        simple("w.example.com.", "A", "192.0.2.1"),
        { ...simple("w.example.com.", "A", "192.0.2.2"), SetIdentifier: "x", Weight: 2 },
      ],
      "ResourceRecordSets[3].SetIdentifier",
      /both a plain record set/,
    ],
    [
      "an invalid value in a multivalue member",
      [
        { ...simple("m.example.com.", "A", "192.0.2.1"), SetIdentifier: "a", MultiValueAnswer: true },
        { ...simple("m.example.com.", "A", "not-an-ip"), SetIdentifier: "b", MultiValueAnswer: true },
      ],
      "ResourceRecordSets[3].ResourceRecords[0].Value",
      /^m\.example\.com\. A: /,
    ],
    [
      "a CNAME beside other data",
      [simple("c.example.com.", "CNAME", "x.example.net."), simple("c.example.com.", "TXT", '"t"')],
      "ResourceRecordSets[2]",
      /CNAME beside other data \(TXT\)/,
    ],
    ["an invalid apex NS value", [], "ResourceRecordSets[0].ResourceRecords[1].Value", /example\.com\. NS: /],
  ])("%s", (_what, sets, path, message) => {
    const text =
      _what === "an invalid apex NS value"
        ? JSON.stringify({
            ResourceRecordSets: [
              { ...NS, ResourceRecords: [{ Value: "ns-1.awsdns-00.com." }, { Value: "192.0.2.53" }] },
              SOA,
            ],
          })
        : zone(...sets);
    const error = errorOf(text);
    expect(error.path).toBe(path);
    expect(error.message).toMatch(message);
  });

  it("reports a truncated page with the next record to fetch", () => {
    const text = JSON.stringify({
      ResourceRecordSets: [NS, SOA],
      IsTruncated: true,
      NextRecordName: "www.example.com.",
      NextRecordType: "A",
      MaxItems: "2",
    });
    const error = errorOf(text);
    expect(error.path).toBe("IsTruncated");
    expect(error.message).toMatch(/next page starts at www\.example\.com\. A\b/);
    expect(error.message).toMatch(/without --no-paginate or --max-items/);
  });

  it("accepts a complete --no-paginate page (IsTruncated false)", () => {
    const text = JSON.stringify({ ResourceRecordSets: [NS, SOA], IsTruncated: false, MaxItems: "300" });
    expect(parseRoute53Export(text)).toEqual({
      origin: "example.com",
      rrsets: [],
      skipped: [
        {
          name: "example.com.",
          type: "NS",
          reason: "apex NS replaced by DNSCove's nameservers; kept for the parity check",
        },
        {
          name: "example.com.",
          type: "SOA",
          reason: "apex SOA is managed by DNSCove; replaced by DNSCove's SOA",
        },
      ],
      previousNameservers: ["ns-1.awsdns-00.com.", "ns-2.awsdns-00.net."],
    });
  });
});

describe("the origin", () => {
  it("must agree with the SOA when given", () => {
    expect(errorOf(zone(), { origin: "example.org" })).toEqual({
      path: "ResourceRecordSets[1].Name",
      message: "the export's SOA is at example.com., but origin example.org was given; they must agree",
    });
    expect(parseRoute53Export(zone(), { origin: "EXAMPLE.com." }).origin).toBe("example.com");
  });

  it("comes from the apex NS when there is no SOA, else must be given", () => {
    const noSoa = JSON.stringify({
      ResourceRecordSets: [
        NS,
        simple("sub.example.com.", "NS", "ns1.other.example."),
        simple("a.sub.example.com.", "A", "192.0.2.1"),
      ],
    });
    const parsed = parseRoute53Export(noSoa);
    expect(parsed.origin).toBe("example.com");
    expect(parsed.rrsets.map((r) => `${r.name} ${r.type}`)).toEqual([
      "sub.example.com. NS",
      "a.sub.example.com. A",
    ]);
    expect(parsed.previousNameservers).toEqual(["ns-1.awsdns-00.com.", "ns-2.awsdns-00.net."]);

    const nothing = JSON.stringify({ ResourceRecordSets: [simple("www.example.com.", "A", "192.0.2.1")] });
    expect(errorOf(nothing)).toEqual({
      path: "ResourceRecordSets",
      message:
        "cannot tell the zone's origin: the export has no SOA record (the apex is the name owning the SOA); pass origin",
    });
    expect(parseRoute53Export(nothing, { origin: "example.com" }).rrsets).toEqual([
      { name: "www.example.com.", type: "A", ttl: 300, records: ["192.0.2.1"] },
    ]);
  });

  it("is read from an SOA whose name is octal-escaped UTF-8", () => {
    const text = JSON.stringify({
      ResourceRecordSets: [
        { ...SOA, Name: "b\\303\\274cher.example." },
        simple("www.b\\303\\274cher.example.", "A", "192.0.2.1"),
      ],
    });
    const parsed = parseRoute53Export(text, { origin: "xn--bcher-kva.example" });
    expect(parsed.origin).toBe("xn--bcher-kva.example");
    expect(parsed.rrsets).toEqual([
      { name: "www.xn--bcher-kva.example.", type: "A", ttl: 300, records: ["192.0.2.1"] },
    ]);
  });
});

describe("import rules", () => {
  it("never crashes on a type it does not know, and skips it with a reason", () => {
    const parsed = parseRoute53Export(zone(simple("x.example.com.", "WALLET", "anything at all")));
    expect(parsed.skipped.at(-1)).toEqual({
      name: "x.example.com.",
      type: "WALLET",
      reason: "record type WALLET is not supported by DNSCove; skipped",
    });
  });

  it("flattens an apex alias target into the alias name with the target's TTL", () => {
    const parsed = parseRoute53Export(
      zone(
        { ...simple("example.com.", "A", "192.0.2.1", "192.0.2.2"), TTL: 120 },
        {
          Name: "www.example.com.",
          Type: "A",
          AliasTarget: { HostedZoneId: "ZSELF", DNSName: "Example.COM", EvaluateTargetHealth: true },
        },
      ),
    );
    expect(parsed.rrsets).toEqual([
      { name: "example.com.", type: "A", ttl: 120, records: ["192.0.2.1", "192.0.2.2"] },
      { name: "www.example.com.", type: "A", ttl: 120, records: ["192.0.2.1", "192.0.2.2"] },
    ]);
  });

  it("skips an alias whose target has only another type", () => {
    const parsed = parseRoute53Export(
      zone(simple("t.example.com.", "A", "192.0.2.1"), {
        Name: "a.example.com.",
        Type: "AAAA",
        AliasTarget: { HostedZoneId: "ZSELF", DNSName: "t.example.com.", EvaluateTargetHealth: false },
      }),
    );
    expect(parsed.skipped.at(-1)?.reason).toBe(
      "alias to t.example.com. AAAA in this zone cannot be flattened: the export has no AAAA record set at that name; skipped",
    );
  });

  it("merges a multivalue group with the lowest TTL and no duplicates", () => {
    const member = (id: string, ttl: number, value: string): RecordSet => ({
      Name: "mv.example.com.",
      Type: "AAAA",
      SetIdentifier: id,
      MultiValueAnswer: true,
      TTL: ttl,
      ResourceRecords: [{ Value: value }],
    });
    const parsed = parseRoute53Export(
      zone(
        member("a", 300, "2001:db8::2"),
        member("b", 60, "2001:DB8::1"),
        member("c", 120, "2001:db8:0::2"),
      ),
    );
    expect(parsed.rrsets).toEqual([
      { name: "mv.example.com.", type: "AAAA", ttl: 60, records: ["2001:db8::1", "2001:db8::2"] },
    ]);
    expect(parsed.skipped).toHaveLength(2); // apex NS + SOA only
  });
});

describe("parseRoute53ExportYielding (the import route's parse)", () => {
  it("answers exactly what the parse does at once, giving the event loop turns while it works", async () => {
    const text = route53Export("yielding.example", 5_000);
    let turns = 0;
    let counting = true;
    const count = () => {
      turns += 1;
      if (counting) setImmediate(count);
    };
    setImmediate(count);
    const parsed = await parseRoute53ExportYielding(text);
    counting = false;
    expect(parsed).toEqual(parseRoute53Export(text));
    expect(parsed.rrsets.length).toBe(5_000);
    // At least one turn per slice of each sliced phase; run at once it would be none.
    expect(turns).toBeGreaterThanOrEqual(10);
  });

  it("fails with the same error, naming the record", async () => {
    const text = JSON.stringify({
      ResourceRecordSets: [
        { Name: "elsewhere.test.", Type: "A", TTL: 60, ResourceRecords: [{ Value: "192.0.2.1" }] },
      ],
    });
    await expect(parseRoute53ExportYielding(text, { origin: "example.com" })).rejects.toMatchObject({
      path: "ResourceRecordSets[0].Name",
    });
  });
});
