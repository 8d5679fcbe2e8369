import { z } from "zod";

/** The algorithms a zone can be signed with (RFC 8624 section 3.1: 13 and 15 are RECOMMENDED to sign). */
export const DNSSEC_ALGORITHMS = { ECDSAP256SHA256: 13, ED25519: 15 } as const;
export type DnssecAlgorithmName = keyof typeof DNSSEC_ALGORITHMS;
const ALGORITHM_NAMES = Object.keys(DNSSEC_ALGORITHMS) as [DnssecAlgorithmName, ...DnssecAlgorithmName[]];

export function algorithmName(code: number): DnssecAlgorithmName {
  const found = ALGORITHM_NAMES.find((name) => DNSSEC_ALGORITHMS[name] === code);
  if (!found) throw new Error(`unsupported DNSSEC algorithm ${code}`);
  return found;
}

export const SetDnssecRequest = z
  .strictObject({
    enabled: z.boolean().meta({
      description:
        "true signs the zone (at once: the first signed serial is published before the answer). false starts " +
        "the insecure transition: delete CDS/CDNSKEY (RFC 8078 section 4) are published and the zone stays " +
        "signed until the parent has removed the DS, then the DNSSEC records and keys are removed.",
    }),
    algorithm: z
      .enum(ALGORITHM_NAMES)
      .optional()
      .meta({
        description:
          "With `enabled: true`: `ECDSAP256SHA256` (13, the default) or `ED25519` (15). A signed zone keeps " +
          "its algorithm: naming another one answers 409 `DNSSEC_STATE` (no algorithm rollover).",
      }),
  })
  .meta({ id: "SetDnssecRequest" });
export type SetDnssecRequest = z.output<typeof SetDnssecRequest>;

export const DnssecKeyView = z
  .object({
    id: z.string(),
    role: z.enum(["ksk", "zsk"]).meta({ description: "`ksk` (DNSKEY flags 257) or `zsk` (256)." }),
    key_tag: z.number().int(),
    flags: z.number().int(),
    algorithm: z.number().int().meta({ description: "13 (ECDSAP256SHA256) or 15 (ED25519)." }),
    public_key: z.string().meta({ description: "The DNSKEY RDATA as served, e.g. `257 3 13 mdsswUyr…`." }),
    state: z.enum(["published", "active", "retiring"]).meta({
      description:
        "`published`: in the DNSKEY rrset, not signing yet (a ZSK before it takes over); `active`: signing (an " +
        "active KSK is the one named in CDS/CDNSKEY and `ds`); `retiring`: an old KSK still signing while the " +
        "parent's DS moves to the new one, or an old ZSK still published while its signatures leave caches.",
    }),
    created_at: z.string(),
    published_at: z.string().nullable(),
    activated_at: z.string().nullable(),
    inactive_at: z.string().nullable().meta({ description: "When the key started retiring." }),
  })
  .meta({
    id: "DnssecKey",
    description: "A signing key: public parts only; the private key is never shown.",
  });
export type DnssecKeyView = z.output<typeof DnssecKeyView>;

export const DnssecStatus = z.enum(["unsigned", "signed", "zsk-rollover", "ksk-rollover", "going-insecure"]);

export const DnssecView = z
  .object({
    enabled: z.boolean().meta({ description: "The zone is signed and meant to stay signed." }),
    algorithm: z.enum(ALGORITHM_NAMES).nullable().meta({ description: "Null when the zone is unsigned." }),
    status: DnssecStatus.meta({
      description:
        "`unsigned`; `signed`; `zsk-rollover` (automatic, pre-publish); `ksk-rollover` (started through the " +
        "API, finishes when the parent's DS names the new KSK); `going-insecure` (disabled: waiting for the " +
        "parent to remove the DS before the signatures go).",
    }),
    keys: z.array(DnssecKeyView),
    ds: z.array(z.string()).meta({
      description:
        "The DS records (digest type 2, SHA-256) to give the registrar or parent, one presentation line each " +
        "(`example.com. IN DS 12345 13 2 <hex>`, as `dnssec-dsfromkey -2` prints): the KSKs the zone " +
        "announces in CDS. Empty while unsigned or going insecure.",
    }),
  })
  .meta({ id: "Dnssec" });
export type DnssecView = z.output<typeof DnssecView>;
