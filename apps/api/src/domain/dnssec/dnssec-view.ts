import type { DnssecKeyRow } from "./key-rows.js";
import { dsLine } from "./key-rows.js";
import { algorithmName, type DnssecView } from "./schemas.js";

interface ZoneDnssecState {
  origin: string;
  dnssecState: string;
  dnssecAlgorithm: number | null;
}

/** What a zone's DNSSEC row and keys look like to a client: never a private key, sealed or not. */
export function toDnssecView(zone: ZoneDnssecState, rows: readonly DnssecKeyRow[]): DnssecView {
  const state = zone.dnssecState;
  let status: DnssecView["status"] = "unsigned";
  if (state === "going-insecure") status = "going-insecure";
  else if (state === "signed") {
    if (rows.some((k) => k.role === "ksk" && k.state === "retiring")) status = "ksk-rollover";
    else if (rows.some((k) => k.role === "zsk" && k.state !== "active")) status = "zsk-rollover";
    else status = "signed";
  }
  return {
    enabled: state === "signed",
    algorithm: state === "off" || zone.dnssecAlgorithm === null ? null : algorithmName(zone.dnssecAlgorithm),
    status,
    keys: rows.map((k) => ({
      id: k.id,
      role: k.role === "ksk" ? "ksk" : "zsk",
      key_tag: k.keyTag,
      flags: k.flags,
      algorithm: k.algorithm,
      public_key: k.publicKey,
      state: k.state === "published" || k.state === "retiring" ? k.state : "active",
      created_at: k.createdAt.toISOString(),
      published_at: k.publishedAt?.toISOString() ?? null,
      activated_at: k.activatedAt?.toISOString() ?? null,
      inactive_at: k.inactiveAt?.toISOString() ?? null,
    })),
    // The KSKs CDS names (RFC 7344): what the parent should hold. None while going insecure (CDS says delete).
    ds:
      state === "signed"
        ? rows.filter((k) => k.role === "ksk" && k.state === "active").map((k) => dsLine(zone.origin, k))
        : [],
  };
}
