import { beforeAll, describe, expect, it } from "vitest";
import { apiUrl, ok, runAs, signIn, uniqueEmail, uniqueOrigin } from "./helpers.js";

interface DnssecState {
  enabled: boolean;
  algorithm: string | null;
  status: string;
  keys: { key_tag: number; role: string; algorithm: number; state: string }[];
  ds: string[];
}

/** The zone's DNSSEC state, read with the API directly (not through the CLI under test). */
async function dnssecOf(token: string, zoneId: string): Promise<DnssecState> {
  const answer = await fetch(`${apiUrl()}/api/zones/${zoneId}/dnssec`, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (!answer.ok) throw new Error(`dnssec: ${answer.status} ${await answer.text()}`);
  return (await answer.json()) as DnssecState;
}

const escapeRe = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

describe("dnssec", () => {
  let session: string;
  const origin = uniqueOrigin("cli-dnssec");
  let zoneId: string;

  beforeAll(async () => {
    session = await signIn(uniqueEmail("dnssec"));
    zoneId = JSON.parse(ok(await runAs(session, ["zones", "create", origin, "--json"])).stdout).id;
  });

  it("shows an unsigned zone, then enables ED25519 and prints the DS the API holds", async () => {
    const before = ok(await runAs(session, ["dnssec", "status", origin]));
    expect(before.stdout).toMatch(/^enabled:\s+no$/m);
    expect(before.stdout).toMatch(/^status:\s+unsigned$/m);
    expect(before.stdout).toContain("(no keys)");
    expect(before.stdout).toContain("DS: (none)");

    const enabled = ok(await runAs(session, ["dnssec", "enable", origin, "--algorithm", "ED25519"]));
    const state = await dnssecOf(session, zoneId);
    expect(state).toMatchObject({ enabled: true, algorithm: "ED25519", status: "signed" });
    expect(state.keys.map((k) => [k.role, k.algorithm, k.state]).sort()).toEqual([
      ["ksk", 15, "active"],
      ["zsk", 15, "active"],
    ]);
    expect(state.ds).toHaveLength(1);
    const ksk = state.keys.find((k) => k.role === "ksk");
    expect(state.ds[0]).toMatch(
      new RegExp(`^${escapeRe(origin)}\\.\\s+IN\\s+DS\\s+${ksk?.key_tag} 15 2 [0-9A-Fa-f]{64}$`),
    );
    // The DS line is printed whole, on a line of its own, for pasting at the registrar.
    expect(enabled.stdout.split("\n")).toContain(state.ds[0]);
    expect(enabled.stdout).toMatch(new RegExp(`^${ksk?.key_tag}\\s+ksk\\s+15\\s+active`, "m"));
    expect(enabled.stderr).toContain("registrar");

    // By id and as JSON: the same answer as the API's.
    const json = JSON.parse(ok(await runAs(session, ["dnssec", "status", zoneId, "--json"])).stdout);
    expect(json).toEqual(await dnssecOf(session, zoneId));
  });

  it("refuses another algorithm on a signed zone (exit 1, the API's code) and changes nothing", async () => {
    const before = await dnssecOf(session, zoneId);
    const other = await runAs(session, ["dnssec", "enable", origin, "--algorithm", "ECDSAP256SHA256"]);
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/^error: 409 DNSSEC_STATE: /);
    expect(await dnssecOf(session, zoneId)).toEqual(before);

    const bad = await runAs(session, ["dnssec", "enable", origin, "--algorithm", "RSASHA1"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--algorithm");
    expect(await dnssecOf(session, zoneId)).toEqual(before);
  });

  it("starts a KSK rollover: a new KSK, the DS names only it, and a second start is refused", async () => {
    const before = await dnssecOf(session, zoneId);
    const oldKsk = before.keys.find((k) => k.role === "ksk");
    const rolled = ok(await runAs(session, ["dnssec", "ksk-rollover", origin]));
    const state = await dnssecOf(session, zoneId);
    expect(state.status).toBe("ksk-rollover");
    const ksks = state.keys.filter((k) => k.role === "ksk");
    expect(ksks.map((k) => k.state).sort()).toEqual(["active", "retiring"]);
    expect(ksks.find((k) => k.state === "retiring")?.key_tag).toBe(oldKsk?.key_tag);
    const newKsk = ksks.find((k) => k.state === "active");
    expect(state.ds).toHaveLength(1);
    expect(state.ds[0]).toContain(` DS ${newKsk?.key_tag} 15 2 `);
    expect(rolled.stdout.split("\n")).toContain(state.ds[0]);
    expect(rolled.stdout).toMatch(/^status:\s+ksk-rollover$/m);
    expect(rolled.stderr).toMatch(/replace the DS at your registrar/);

    const again = await runAs(session, ["dnssec", "ksk-rollover", zoneId]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^error: 409 DNSSEC_STATE: /);
    expect(await dnssecOf(session, zoneId)).toEqual(state);
  });

  it("disables through the insecure transition and tells the user to remove the DS at the registrar", async () => {
    const disabled = ok(await runAs(session, ["dnssec", "disable", origin, "--json"]));
    const state = await dnssecOf(session, zoneId);
    expect(JSON.parse(disabled.stdout)).toEqual(state);
    expect(state).toMatchObject({ enabled: false, status: "going-insecure", ds: [] });
    // The keys stay (the zone stays signed) until the parent has dropped the DS.
    expect(state.keys.length).toBeGreaterThan(0);
    // --json keeps stdout machine-readable; the registrar step goes to stderr only in the text form.
    const text = ok(await runAs(session, ["dnssec", "disable", origin]));
    expect(text.stdout).toMatch(/^status:\s+going-insecure$/m);
    expect(text.stderr).toMatch(/Remove the DS records at your registrar/);
    expect(text.stderr).toContain("RFC 8078");

    const rollover = await runAs(session, ["dnssec", "ksk-rollover", origin]);
    expect(rollover.code).toBe(1);
    expect(rollover.stderr).toMatch(/^error: 409 DNSSEC_STATE: .*going insecure/);

    // Enabling again cancels the transition with the same keys.
    ok(await runAs(session, ["dnssec", "enable", origin]));
    const back = await dnssecOf(session, zoneId);
    expect(back).toMatchObject({ enabled: true, status: "ksk-rollover", algorithm: "ED25519" });
    expect(back.keys.map((k) => k.key_tag).sort()).toEqual(state.keys.map((k) => k.key_tag).sort());
  });
});
