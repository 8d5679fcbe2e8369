import { describe, expect, it } from "vitest";
import { signSession, verifySession } from "./session.js";

const SECRET = "a".repeat(64);
const NOW_MS = 1_800_000_000_000;

function session(overrides: { exp?: number; jti?: string } = {}): string {
  return signSession(
    { sub: "usr_1", tid: "tnt_1", exp: overrides.exp ?? NOW_MS / 1000 + 3600, jti: overrides.jti ?? "ses_1" },
    SECRET,
  );
}

describe("verifySession, whose signature checks are remembered per credential", () => {
  it("answers the claims of a good session, the first time and again", () => {
    const credential = session({ jti: "ses_again" });
    const first = verifySession(credential, SECRET, NOW_MS);
    expect(first).toMatchObject({ sub: "usr_1", tid: "tnt_1", jti: "ses_again" });
    expect(verifySession(credential, SECRET, NOW_MS)).toEqual(first);
  });

  it("refuses a remembered session once it has expired", () => {
    const credential = session({ jti: "ses_expiring", exp: NOW_MS / 1000 + 60 });
    expect(verifySession(credential, SECRET, NOW_MS)).not.toBeNull();
    expect(verifySession(credential, SECRET, NOW_MS + 60_000)).toBeNull();
  });

  it("refuses a remembered session under another secret (a rotated DNSCOVE_SECRET)", () => {
    const credential = session({ jti: "ses_rotated" });
    expect(verifySession(credential, SECRET, NOW_MS)).not.toBeNull();
    expect(verifySession(credential, "b".repeat(64), NOW_MS)).toBeNull();
    expect(verifySession(credential, SECRET, NOW_MS)).not.toBeNull();
  });

  it("still checks every other spelling: a changed signature or payload is refused", () => {
    const credential = session({ jti: "ses_tampered" });
    expect(verifySession(credential, SECRET, NOW_MS)).not.toBeNull();
    const last = credential.at(-1) === "A" ? "B" : "A";
    expect(verifySession(credential.slice(0, -1) + last, SECRET, NOW_MS)).toBeNull();
    const [payload, signature] = credential.slice("dnss_".length).split(".") as [string, string];
    const forged = Buffer.from(
      JSON.stringify({ sub: "usr_2", tid: "tnt_1", exp: NOW_MS / 1000 + 3600, jti: "ses_tampered" }),
    ).toString("base64url");
    expect(payload).not.toBe(forged);
    expect(verifySession(`dnss_${forged}.${signature}`, SECRET, NOW_MS)).toBeNull();
  });

  it("refuses an expired session it never saw, and does not remember it", () => {
    const credential = session({ jti: "ses_old", exp: NOW_MS / 1000 - 1 });
    expect(verifySession(credential, SECRET, NOW_MS)).toBeNull();
    expect(verifySession(credential, SECRET, NOW_MS - 10_000)).not.toBeNull();
  });
});
