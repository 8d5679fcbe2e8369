import { clientBucket } from "../../lib/client-bucket.js";
import { newId } from "../../lib/ids.js";
import { newSecret, sha256Hex } from "../../lib/secrets.js";
import { RateLimitedError } from "../errors.js";
import type { Services } from "../services.js";
import type { MagicLinkSent } from "./schemas.js";

export interface MagicLinkRequest {
  email: string;
  clientIp: string;
}

/**
 * Issues a single-use sign-in link. The answer is the same whether or not the address has an
 * account (accounts are created at first exchange), so it reveals nothing about who is known.
 */
export async function requestMagicLink(
  services: Services,
  request: MagicLinkRequest,
): Promise<MagicLinkSent> {
  const { db, clock, settings, mailer, rateLimiter } = services;
  const now = clock.now();
  const email = request.email.trim().toLowerCase();

  const { magicLinkPerClient, magicLinkPerAddress } = settings.rateLimits;
  const clientWait = await rateLimiter.hit(magicLinkPerClient, clientBucket(request.clientIp), now);
  if (clientWait > 0) throw new RateLimitedError(clientWait);
  // The mailbox is kept as a hash: the counter table needs no personal data.
  const addressWait = await rateLimiter.hit(magicLinkPerAddress, sha256Hex(email), now);
  if (addressWait > 0) throw new RateLimitedError(addressWait);

  const token = newSecret();
  await db.magicLink.create({
    data: {
      id: newId("ml"),
      tokenHash: sha256Hex(token),
      email,
      createdAt: now,
      expiresAt: new Date(now.getTime() + settings.magicLinkTtlSeconds * 1000),
    },
  });
  // The token travels in the fragment so it never reaches a server log through a Referer or URL.
  const link = `${settings.publicUrl}/sign-in#token=${token}`;
  await mailer.sendMagicLink(email, link);
  return mailer.kind === "development" ? { sent: true, dev_token: token, dev_link: link } : { sent: true };
}
