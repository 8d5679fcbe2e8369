import { describe, expect, it } from "vitest";
import { parseTime } from "./commands/audit.js";
import { changeLines, changesOf, diffLines, diffSummary } from "./diff-lines.js";

describe("diff lines", () => {
  it("keeps unchanged records as context and orders by name, then type", () => {
    const diff = {
      added: [{ name: "b.example.", type: "TXT", ttl: 60, records: ['"x"'] }],
      removed: [{ name: "a.example.", type: "MX", ttl: 300, records: ["10 mx.example."] }],
      changed: [
        {
          name: "a.example.",
          type: "A",
          before: { ttl: 300, records: ["192.0.2.1", "192.0.2.2"] },
          after: { ttl: 300, records: ["192.0.2.1", "192.0.2.3"] },
        },
      ],
    };
    expect(diffLines(changesOf(diff))).toEqual([
      " a.example. 300 IN A 192.0.2.1",
      "-a.example. 300 IN A 192.0.2.2",
      "+a.example. 300 IN A 192.0.2.3",
      "-a.example. 300 IN MX 10 mx.example.",
      '+b.example. 60 IN TXT "x"',
    ]);
    expect(diffSummary(diff)).toBe("1 rrset added, 1 removed, 1 changed");
    expect(diffSummary({ added: [], removed: [], changed: [] })).toBe("no differences");
  });

  it("shows a TTL change as every record replaced", () => {
    const change = {
      name: "w.example.",
      type: "A",
      before: { ttl: 300, records: ["192.0.2.1"] },
      after: { ttl: 60, records: ["192.0.2.1"] },
    };
    expect(changeLines(change)).toEqual(["-w.example. 300 IN A 192.0.2.1", "+w.example. 60 IN A 192.0.2.1"]);
    expect(changeLines({ ...change, before: null })).toEqual(["+w.example. 60 IN A 192.0.2.1"]);
    expect(changeLines({ ...change, after: null })).toEqual(["-w.example. 300 IN A 192.0.2.1"]);
  });
});

describe("--since / --until", () => {
  const parse = parseTime(() => new Date("2026-12-02T12:00:00.000Z"));

  it("takes RFC 3339 times, dates and ages", () => {
    expect(parse("2026-12-01T09:30:00+01:00")).toBe("2026-12-01T08:30:00.000Z");
    expect(parse("2026-12-01")).toBe("2026-12-01T00:00:00Z");
    expect(parse("90m")).toBe("2026-12-02T10:30:00.000Z");
    expect(parse("7d")).toBe("2026-11-25T12:00:00.000Z");
  });

  it("refuses anything else", () => {
    for (const bad of ["yesterday", "2026-13-01", "12", "2026-12-01 09:30"])
      expect(() => parse(bad)).toThrow(/RFC 3339/);
  });
});
