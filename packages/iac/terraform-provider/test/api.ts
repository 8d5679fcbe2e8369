import { mintToken, signIn as signInAs } from "@dnscove/testkit";

/**
 * Signs a fresh address in (a new tenant, via the development mailer) and mints a tenant-admin
 * token for it. Separate tenants keep concurrently running test files from seeing each other's zones.
 */
export async function signIn(url: string, label = "tf"): Promise<string> {
  const session = await signInAs(url, { label });
  return mintToken(url, session, { scope: "tenant-admin", name: "terraform" });
}
