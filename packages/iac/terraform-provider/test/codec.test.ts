import { encode } from "@msgpack/msgpack";
import { describe, expect, it } from "vitest";
import {
  conform,
  decodeMsgpack,
  encodeMsgpack,
  fromDynamic,
  isWhollyKnown,
  toDynamic,
  UNKNOWN,
} from "../src/protocol/cty.js";

describe("msgpack/cty codec", () => {
  it("encodes a wholly unknown value as ext 0 (d4 00 00) and decodes it back", () => {
    const bytes = encodeMsgpack(UNKNOWN);
    expect(Buffer.from(bytes).toString("hex")).toBe("d40000");
    expect(decodeMsgpack(bytes)).toBe(UNKNOWN);
  });

  it("decodes any extension (refined unknowns, ext 12) as unknown", () => {
    // fixext... ext 12 carrying a refinement map {1: false} (not null)
    const refined = Buffer.from("c7030c81 01c2".replace(/ /g, ""), "hex");
    expect(decodeMsgpack(refined)).toBe(UNKNOWN);
    const odd = Buffer.from("d4050a", "hex");
    expect(decodeMsgpack(odd)).toBe(UNKNOWN);
  });

  it("treats nil and empty input as null", () => {
    expect(decodeMsgpack(Buffer.from("c0", "hex"))).toBeNull();
    expect(decodeMsgpack(Buffer.alloc(0))).toBeNull();
    expect(fromDynamic({ msgpack: Buffer.alloc(0), json: Buffer.alloc(0) })).toBeNull();
    expect(fromDynamic(undefined)).toBeNull();
  });

  it("round-trips a nested object with list, set, map, null and unknown", () => {
    const type = [
      "object",
      {
        id: "string",
        n: "number",
        ok: "bool",
        list: ["list", "string"],
        set: ["set", "string"],
        map: ["map", "number"],
        inner: ["object", { a: "string", b: ["list", "number"] }],
        missing: "string",
      },
    ] as const;
    const value = {
      id: UNKNOWN,
      n: 1.5,
      ok: true,
      list: ["a", "b", "a"],
      set: ["x", "y", "x"],
      map: { one: 1, two: 2 },
      inner: { a: null, b: [1, 2, UNKNOWN] },
    };
    const dv = toDynamic(type as never, value);
    const back = fromDynamic(dv);
    expect(back).toEqual({
      id: UNKNOWN,
      n: 1.5,
      ok: true,
      list: ["a", "b", "a"],
      set: ["x", "y"],
      map: { one: 1, two: 2 },
      inner: { a: null, b: [1, 2, UNKNOWN] },
      missing: null,
    });
    expect(isWhollyKnown(back)).toBe(false);
    expect(isWhollyKnown({ a: [1, "x", null] })).toBe(true);
  });

  it("emits exactly the object's attributes, dropping extra keys", () => {
    const bytes = encodeMsgpack(conform(["object", { a: "string" }], { a: "x", extra: 1 }));
    expect(decodeMsgpack(bytes)).toEqual({ a: "x" });
  });

  it("reads numbers sent as decimal strings and msgpack written by others", () => {
    expect(conform("number", "300")).toBe(300);
    const foreign = encode({ ttl: 300, records: ["a"], name: null });
    expect(decodeMsgpack(foreign)).toEqual({ ttl: 300, records: ["a"], name: null });
  });

  it("reads JSON DynamicValues when msgpack is empty", () => {
    expect(fromDynamic({ msgpack: Buffer.alloc(0), json: Buffer.from('{"a":[1,null]}') })).toEqual({
      a: [1, null],
    });
  });

  it("rejects values of the wrong shape", () => {
    expect(() => conform(["list", "string"], "nope")).toThrow(/expected a list/);
    expect(() => conform("number", "abc")).toThrow(/expected a number/);
  });
});
