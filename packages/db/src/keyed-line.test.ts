import { describe, expect, it } from "vitest";
import { KeyedLine } from "./keyed-line.js";

/** A promise and the function that resolves it. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("KeyedLine", () => {
  it("serves one key one serve at a time, in arrival order, and forgets the key after", async () => {
    const holder = gate();
    const served: string[][] = [];
    let serving = 0;
    let most = 0;
    const line = new KeyedLine<string>(async (waiting) => {
      serving += 1;
      most = Math.max(most, serving);
      const taken: string[] = [];
      expect(waiting.length).toBeGreaterThan(0);
      for (let item = waiting.take(); item; item = waiting.take()) taken.push(item);
      expect(waiting.length).toBe(0);
      served.push(taken);
      if (taken.includes("a")) await holder.opened;
      serving -= 1;
    });
    line.join("zone", "a");
    await turn();
    // "b" and "c" arrive while the first serve is still busy: they wait for the next one.
    line.join("zone", "b");
    line.join("zone", "c");
    await turn();
    expect(served).toEqual([["a"]]);
    holder.open();
    await turn();
    expect(served).toEqual([["a"], ["b", "c"]]);
    expect(most).toBe(1);
    expect(line.size).toBe(0);
  });

  it("serves different keys side by side", async () => {
    const second = gate();
    const served: string[] = [];
    const line = new KeyedLine<string>(async (waiting) => {
      const item = waiting.take();
      if (item === "a") await second.opened;
      if (item === "b") second.open();
      served.push(item ?? "");
    });
    line.join("one", "a");
    line.join("two", "b");
    // "a" waits until "b" is served: under one key this could never end.
    while (line.size > 0) await turn();
    expect(served).toEqual(["b", "a"]);
  });

  it("a withdrawn item is never served; withdrawing one already taken answers false", async () => {
    const holder = gate();
    const served: string[] = [];
    const line = new KeyedLine<string>(async (waiting) => {
      const item = waiting.take();
      if (item) served.push(item);
      if (item === "first") await holder.opened;
    });
    const withdrawFirst = line.join("zone", "first");
    const withdrawSecond = line.join("zone", "second");
    line.join("zone", "third");
    await turn();
    expect(withdrawFirst()).toBe(false);
    expect(withdrawSecond()).toBe(true);
    holder.open();
    while (line.size > 0) await turn();
    expect(served).toEqual(["first", "third"]);
  });

  it("a serve that throws does not strand those still waiting", async () => {
    const served: string[] = [];
    const line = new KeyedLine<string>(async (waiting) => {
      const item = waiting.take();
      if (item === "boom") throw new Error("boom");
      if (item) served.push(item);
    });
    line.join("zone", "boom");
    line.join("zone", "after");
    while (line.size > 0) await turn();
    expect(served).toEqual(["after"]);
  });
});
