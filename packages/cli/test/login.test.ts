import { existsSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { apiUrl, freeUnusedPort, ok, run, uniqueEmail } from "./helpers.js";

/** A fresh XDG_CONFIG_HOME, so each test starts logged out. */
function configHome(): string {
  return mkdtempSync(path.join(tmpdir(), "dnscove-cli-login-"));
}

function credentialsOf(home: string) {
  return path.join(home, "dnscove", "credentials.json");
}

async function zonesStatus(token: string): Promise<number> {
  const answer = await fetch(`${apiUrl()}/api/zones`, { headers: { authorization: `Bearer ${token}` } });
  return answer.status;
}

describe("login and logout", () => {
  it("stores the session in $XDG_CONFIG_HOME/dnscove/credentials.json (0600 in a 0700 dir) for later commands", async () => {
    const home = configHome();
    const email = uniqueEmail("store");
    const login = ok(await run(["login", email], { env: { XDG_CONFIG_HOME: home } }));
    expect(login.stdout).toBe("");
    expect(login.stderr).toContain(`saved to ${credentialsOf(home)}`);

    const file = credentialsOf(home);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    const stored = JSON.parse(readFileSync(file, "utf8"));
    expect(stored).toMatchObject({ api: apiUrl(), kind: "session", email });
    expect(await zonesStatus(stored.token)).toBe(200);

    // No DNSCOVE_TOKEN, no --token: the stored session is used.
    const list = ok(await run(["zones", "list", "--json"], { env: { XDG_CONFIG_HOME: home } }));
    expect(JSON.parse(list.stdout)).toEqual({ zones: [] });
    // Without DNSCOVE_API either, the API of the login is used.
    ok(await run(["zones", "list"], { env: { XDG_CONFIG_HOME: home, DNSCOVE_API: undefined } }));

    // DNSCOVE_TOKEN still wins over the stored session.
    const envWins = await run(["zones", "list"], {
      env: { XDG_CONFIG_HOME: home, DNSCOVE_TOKEN: "dnsc_0123456789abcdef_notavalidsecret" },
    });
    expect(envWins.code).toBe(1);
    expect(envWins.stderr).toMatch(/^error: 401 UNAUTHENTICATED: /);

    // The credential is never sent to another API.
    const other = `http://127.0.0.1:${await freeUnusedPort()}`;
    const elsewhere = await run(["zones", "list"], { env: { XDG_CONFIG_HOME: home, DNSCOVE_API: other } });
    expect(elsewhere.code).toBe(2);
    expect(elsewhere.stderr).toContain("no API token");
  });

  it("logout ends the session on the server and deletes the file", async () => {
    const home = configHome();
    ok(await run(["login", uniqueEmail("logout")], { env: { XDG_CONFIG_HOME: home } }));
    const { token } = JSON.parse(readFileSync(credentialsOf(home), "utf8"));
    expect(await zonesStatus(token)).toBe(200);

    const logout = ok(await run(["logout"], { env: { XDG_CONFIG_HOME: home } }));
    expect(logout.stderr).toContain(`logged out of ${apiUrl()}`);
    expect(existsSync(credentialsOf(home))).toBe(false);
    expect(await zonesStatus(token)).toBe(401);

    const after = await run(["zones", "list"], { env: { XDG_CONFIG_HOME: home } });
    expect(after.code).toBe(2);
    const again = ok(await run(["logout"], { env: { XDG_CONFIG_HOME: home } }));
    expect(again.stderr).toContain("not logged in");
  });

  it("keeps the eval form: --print-export --no-save prints the export line and stores nothing", async () => {
    const home = configHome();
    const result = ok(
      await run(["login", uniqueEmail("export"), "--print-export", "--no-save"], {
        env: { XDG_CONFIG_HOME: home },
      }),
    );
    const match = /^export DNSCOVE_TOKEN=(\S+)\n$/.exec(result.stdout);
    expect(match).not.toBeNull();
    expect(await zonesStatus(match?.[1] ?? "")).toBe(200);
    expect(existsSync(credentialsOf(home))).toBe(false);
  });

  it("a failed login exits non-zero, prints nothing on stdout and stores nothing", async () => {
    const home = configHome();
    const result = await run(["login", uniqueEmail("fail"), "--link-token", "not-a-real-token"], {
      env: { XDG_CONFIG_HOME: home },
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/^error: 401 INVALID_MAGIC_LINK: /);
    expect(existsSync(credentialsOf(home))).toBe(false);

    const down = `http://127.0.0.1:${await freeUnusedPort()}`;
    const unreachable = await run(["login", uniqueEmail("down"), "--print-export"], {
      env: { XDG_CONFIG_HOME: home, DNSCOVE_API: down },
    });
    expect(unreachable.code).toBe(3);
    expect(unreachable.stdout).toBe("");
  });
});
