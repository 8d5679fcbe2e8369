import { describe, expect, it } from "vitest";
import { KeyedQueue } from "./keyed-queue.js";

/** A promise and the function that resolves it. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

const LONG = 60_000;
const tooLong = () => new Error("waited too long");

describe("KeyedQueue", () => {
  it("runs work under one key one at a time, in arrival order, and forgets the key after", async () => {
    const queue = new KeyedQueue();
    const gates = [gate(), gate(), gate()];
    const started: number[] = [];
    let running = 0;
    let most = 0;
    const runs = gates.map((g, i) =>
      queue.run(
        "zone",
        async () => {
          started.push(i);
          running += 1;
          most = Math.max(most, running);
          await g.opened;
          running -= 1;
          return i;
        },
        LONG,
        tooLong,
      ),
    );
    // Opened last to first: each still waits for the one before it.
    for (const g of [...gates].reverse()) g.open();
    expect(await Promise.all(runs)).toEqual([0, 1, 2]);
    expect(started).toEqual([0, 1, 2]);
    expect(most).toBe(1);
    expect(queue.size).toBe(0);
  });

  it("runs work under different keys side by side", async () => {
    const queue = new KeyedQueue();
    const second = gate();
    // The first waits for the second to start: under one key this could never finish.
    const first = queue.run("a", () => second.opened.then(() => "a"), LONG, tooLong);
    const other = queue.run(
      "b",
      async () => {
        second.open();
        return "b";
      },
      LONG,
      tooLong,
    );
    expect(await Promise.all([first, other])).toEqual(["a", "b"]);
  });

  it("passes the turn on when work throws", async () => {
    const queue = new KeyedQueue();
    const failing = queue.run("zone", () => Promise.reject(new Error("boom")), LONG, tooLong);
    const next = queue.run("zone", async () => "next", LONG, tooLong);
    await expect(failing).rejects.toThrow("boom");
    expect(await next).toBe("next");
    expect(queue.size).toBe(0);
  });

  it("a caller that waits too long gives up without running; whoever comes after still waits their turn", async () => {
    const queue = new KeyedQueue();
    const holder = gate();
    let running = 0;
    let most = 0;
    const work = (name: string, until?: Promise<void>) => async () => {
      running += 1;
      most = Math.max(most, running);
      await until;
      running -= 1;
      return name;
    };
    const first = queue.run("zone", work("first", holder.opened), LONG, tooLong);
    let impatientRan = false;
    const impatient = queue.run(
      "zone",
      async () => {
        impatientRan = true;
        return "impatient";
      },
      20,
      tooLong,
    );
    await expect(impatient).rejects.toThrow("waited too long");
    // The last in line has given up while the first still runs: a newcomer must wait for the first.
    expect(queue.size).toBe(1);
    const newcomer = queue.run("zone", work("newcomer"), LONG, tooLong);
    holder.open();
    expect(await Promise.all([first, newcomer])).toEqual(["first", "newcomer"]);
    expect(impatientRan).toBe(false);
    expect(most).toBe(1);
    expect(queue.size).toBe(0);
  });
});
