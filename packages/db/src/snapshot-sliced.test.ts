import { describe, expect, it } from "vitest";
import { decodeSnapshot, encodeSnapshot, type SnapshotContent } from "./snapshot.js";
import { decodeSnapshotSliced, encodeSnapshotSliced } from "./snapshot-sliced.js";
import { netChanges, netChangesSliced, type ZoneChangeRow } from "./zone-changes.js";

function zone(count: number): SnapshotContent {
  const rrsets = [
    {
      name: "example.test.",
      type: "SOA",
      ttl: 3600,
      records: ["ns1.example.test. h.example.test. 7 1 2 3 4"],
    },
    // Text that JSON must escape: quotes, backslashes, control and non-ASCII characters.
    {
      name: "txt.example.test.",
      type: "TXT",
      ttl: 60,
      records: ['"a \\"b\\" c"', '"\\\\ \\009 é ✓"', '"},{"'],
    },
  ];
  for (let i = 0; i < count; i++) {
    rrsets.push({ name: `host${i}.example.test.`, type: "A", ttl: 300, records: [`192.0.2.${i % 256}`] });
  }
  return { origin: "example.test.", serial: 7, rrsets };
}

/** Counts turns of the event loop until stopped: how often `work` let other callbacks run. */
async function turnsDuring<T>(work: () => Promise<T>): Promise<{ result: T; turns: number }> {
  let turns = 0;
  let running = true;
  const tick = () => {
    if (!running) return;
    turns += 1;
    setImmediate(tick);
  };
  setImmediate(tick);
  const result = await work();
  running = false;
  return { result, turns };
}

describe("snapshot text in slices", () => {
  it("encodes exactly encodeSnapshot's text, for an empty zone too", async () => {
    for (const content of [zone(0), zone(3), zone(4_999)]) {
      expect(await encodeSnapshotSliced(content, 1000)).toBe(encodeSnapshot(content));
    }
    const empty: SnapshotContent = { origin: "empty.test.", serial: 1, rrsets: [] };
    expect(await encodeSnapshotSliced(empty)).toBe(encodeSnapshot(empty));
  });

  it("lets the event loop turn between slices while encoding and decoding", async () => {
    const content = zone(20_000);
    const encoded = await turnsDuring(() => encodeSnapshotSliced(content, 1000));
    expect(encoded.result).toBe(encodeSnapshot(content));
    // 20,002 rrsets at 1,000 a slice: 20 yields, each a turn for the ticker.
    expect(encoded.turns).toBeGreaterThanOrEqual(20);
    const decoded = await turnsDuring(() => decodeSnapshotSliced(encoded.result, 64 * 1024));
    expect(decoded.result).toEqual(decodeSnapshot(encoded.result));
    expect(decoded.turns).toBeGreaterThanOrEqual(Math.floor(encoded.result.length / (64 * 1024)) - 1);
  });

  it("condenses a journal exactly as netChanges does, with the event loop turning meanwhile", async () => {
    const a = (ip: string) => ({ ttl: 300, records: JSON.stringify([ip]) });
    const rows: ZoneChangeRow[] = [];
    for (let serial = 2; serial < 12; serial++) {
      for (let i = 0; i < 2000; i++) {
        const name = `host${i}.example.test.`;
        // Every name changes each serial; the even ones end where they began (no net change).
        const before = serial === 2 ? null : a(`192.0.2.${serial - 1}`);
        const after = i % 2 === 0 && serial === 11 ? null : a(`192.0.2.${serial}`);
        rows.push({ serial, name, type: "A", before, after });
      }
    }
    const sliced = await turnsDuring(() => netChangesSliced(rows, 1000));
    expect(sliced.result).toEqual(netChanges(rows));
    expect(sliced.result).toHaveLength(1000);
    expect(sliced.turns).toBeGreaterThanOrEqual(19);
  });
});
