import { acmeChallengeName, digestKeyAuthorization } from "@dnscove/dns";
import type { Actor } from "../actor.js";
import type { Services } from "../services.js";
import { applyAcmeChallenge } from "./apply-challenge.js";
import { findZoneForName } from "./find-zone-for-name.js";
import type { AcmeChallengeResult, ChallengeAction, HttpreqBody } from "./schemas.js";

/**
 * lego's `httpreq` DNS provider, so lego (and Traefik, Caddy and others built on it) work with an
 * `acme-dns01` token and no plugin. RAW mode sends the key authorization; the digest is computed
 * here (RFC 8555 §8.4). A wildcard domain (`*.example.com`) is validated at `_acme-challenge.example.com`.
 */
export async function legoHttpreq(
  services: Services,
  actor: Actor,
  action: ChallengeAction,
  body: HttpreqBody,
): Promise<AcmeChallengeResult> {
  const fqdn = "fqdn" in body ? body.fqdn : acmeChallengeName(body.domain);
  const value = "fqdn" in body ? body.value : digestKeyAuthorization(body.keyAuth);
  const { zone, name } = await findZoneForName(services, actor, fqdn);
  return applyAcmeChallenge(services, actor, zone.id, { action, name, value });
}
