import { getPublicSuffix } from "tldts";
import { PublicSuffixError } from "../errors.js";

/**
 * Whether `origin` (canonicalOrigin form: lowercase A-labels, no trailing dot) is itself a public
 * suffix: a name under which the public registers domains, in the ICANN or the private section of
 * the Public Suffix List (https://publicsuffix.org), e.g. `com`, `co.uk`, `github.io`. The list ships
 * inside tldts (pinned in package.json), so no network is used at run time; a release that updates
 * the list is an ordinary dependency bump. Names below a suffix (`example.co.uk`) are not suffixes.
 */
export function isPublicSuffix(origin: string): boolean {
  const suffix = getPublicSuffix(origin, { allowPrivateDomains: true, extractHostname: false });
  return suffix === origin;
}

/**
 * Refuses a public suffix as a zone origin. Hosting `co.uk` would let one tenant answer for every
 * domain registered below it and, through the overlap rule, lock every other tenant out of them.
 */
export function refusePublicSuffix(origin: string): void {
  if (isPublicSuffix(origin)) throw new PublicSuffixError(origin);
}
