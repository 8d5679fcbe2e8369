import { freePort, startApiProcess } from "@dnscove/testkit";

export { freePort };

export interface RunningApi {
  url: string;
  /** A tenant-admin machine token. */
  token: string;
  stop(): Promise<void>;
  log(): string;
}

async function postJson(url: string, body: unknown, token?: string): Promise<Record<string, unknown>> {
  const answer = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const text = await answer.text();
  if (!answer.ok) throw new Error(`POST ${url} answered ${answer.status}: ${text}`);
  return JSON.parse(text) as Record<string, unknown>;
}

/**
 * Signs a fresh address in (a new tenant, via the development mailer) and mints a tenant-admin
 * token for it. Separate tenants keep concurrently running test files from seeing each other's zones.
 */
export async function signIn(url: string, label = "tf"): Promise<string> {
  const email = `${label}-${Date.now()}-${Math.random().toString(16).slice(2, 8)}@example.com`;
  const link = await postJson(`${url}/api/auth/magic-link`, { email });
  if (typeof link.dev_token !== "string")
    throw new Error(`no dev_token from the development mailer: ${JSON.stringify(link)}`);
  const session = await postJson(`${url}/api/auth/exchange`, { token: link.dev_token });
  const minted = await postJson(
    `${url}/api/tokens`,
    { scope: "tenant-admin", name: "terraform" },
    String(session.token),
  );
  if (typeof minted.token !== "string") throw new Error(`no token minted: ${JSON.stringify(minted)}`);
  return minted.token;
}

/** Starts the real DNSCove API (with its embedded edge) and mints a tenant-admin token. */
export async function startApi(apiMain: string): Promise<RunningApi> {
  const api = await startApiProcess(apiMain);
  try {
    return { url: api.url, token: await signIn(api.url), stop: api.stop, log: api.output };
  } catch (error) {
    await api.stop();
    throw error;
  }
}
