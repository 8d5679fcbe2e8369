import { describe, expect, it } from "vitest";
import { clientBucket } from "./client-bucket.js";

describe("clientBucket", () => {
  it("keeps IPv4 addresses, unwrapping IPv4-mapped IPv6", () => {
    expect(clientBucket("192.0.2.7")).toBe("192.0.2.7");
    expect(clientBucket("::ffff:192.0.2.7")).toBe("192.0.2.7");
  });

  it("puts every address of one IPv6 /64 in one bucket", () => {
    expect(clientBucket("2001:db8:1:2:aaaa::1")).toBe("2001:db8:1:2::/64");
    expect(clientBucket("2001:0db8:0001:0002:ffff:ffff:ffff:ffff")).toBe("2001:db8:1:2::/64");
    expect(clientBucket("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(clientBucket("::1")).toBe("0:0:0:0::/64");
    expect(clientBucket("2001:db8:1:3::1")).not.toBe(clientBucket("2001:db8:1:2::1"));
  });
});
