/**
 * The child zone of today's DNSSEC end-to-end tests: "signed.test." signed by @dnscove/dnssec and
 * served pre-signed by Knot (127.0.0.40, ns1.signed.test., the primary, loading the signed text)
 * and NSD (127.0.0.41, ns2.signed.test., its secondary by NOTIFY + AXFR/IXFR), both in the
 * delegation with glue, its DS in the signed parent. The next step replaces the Knot primary with
 * the API's edge and keeps the transfer-fed secondaries (signed-world.ts explains how).
 */
import type { Algorithm } from "@dnscove/dnssec";
import { type ChildZone, signChildZone } from "./child-zone.js";
import { type SignedWorld, startSignedWorld } from "./signed-world.js";

export const ORIGIN = "signed.test.";
export const KNOT = { name: "child-knot", address: "127.0.0.40", ns: "ns1.signed.test." } as const;
export const NSD = { name: "child-nsd", address: "127.0.0.41", ns: "ns2.signed.test." } as const;

/** The zone's data: an answer, a NODATA (www AAAA), a wildcard, and NXDOMAIN anywhere else. */
export const RECORDS = [
  { name: ORIGIN, type: "NS", ttl: 3600, rdata: KNOT.ns },
  { name: ORIGIN, type: "NS", ttl: 3600, rdata: NSD.ns },
  { name: KNOT.ns, type: "A", ttl: 3600, rdata: KNOT.address },
  { name: NSD.ns, type: "A", ttl: 3600, rdata: NSD.address },
  { name: `www.${ORIGIN}`, type: "A", ttl: 300, rdata: "192.0.2.10" },
  { name: `www.${ORIGIN}`, type: "TXT", ttl: 300, rdata: '"signed by @dnscove/dnssec"' },
  { name: `*.wild.${ORIGIN}`, type: "A", ttl: 300, rdata: "192.0.2.80" },
  { name: `deep.a.b.${ORIGIN}`, type: "A", ttl: 300, rdata: "192.0.2.9" },
] as const;

export interface PresignedChild {
  world: SignedWorld;
  child: ChildZone;
  /** Both servers serve `text` (Knot loads it, NSD follows by transfer); the resolver is flushed. */
  serve(text: string): Promise<void>;
  /** The parent delegates to `servers` (default both) with their glue and these DS records. */
  delegate(ds: readonly string[], servers?: ReadonlyArray<typeof KNOT | typeof NSD>): Promise<void>;
  close(): Promise<void>;
}

export async function startPresignedChild(label: string, algorithm: Algorithm): Promise<PresignedChild> {
  const world = await startSignedWorld({ label });
  try {
    const child = signChildZone(ORIGIN, RECORDS, algorithm);
    await world.h.addServer({
      kind: "knot",
      name: KNOT.name,
      addresses: [KNOT.address],
      zones: [{ origin: ORIGIN, text: child.text() }],
      notify: [{ host: NSD.address, port: 53 }],
    });
    await world.h.addServer({
      kind: "nsd",
      name: NSD.name,
      addresses: [NSD.address],
      zones: [{ origin: ORIGIN, primary: { host: KNOT.address, port: 53 } }],
    });
    const delegate = (
      ds: readonly string[],
      servers: ReadonlyArray<typeof KNOT | typeof NSD> = [KNOT, NSD],
    ) =>
      world.delegateChild(ORIGIN, {
        nameservers: servers.map((s) => s.ns),
        glue: Object.fromEntries(servers.map((s) => [s.ns, [s.address]])),
        ds,
      });
    await delegate([child.ds()]);
    return {
      world,
      child,
      serve: (text) => world.serveChild(KNOT.name, ORIGIN, text, [NSD.address]),
      delegate,
      close: () => world.close(),
    };
  } catch (error) {
    await world.close();
    throw error;
  }
}
