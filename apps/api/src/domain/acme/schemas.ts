import { z } from "zod";

export const ChallengeAction = z.enum(["PRESENT", "CLEANUP"]);
export type ChallengeAction = z.output<typeof ChallengeAction>;

export const AcmeChallengeResult = z
  .object({
    status: z.literal("ok"),
    action: ChallengeAction,
    changed: z.boolean(),
    published: z.boolean(),
    serial: z.number().int(),
    publish_error: z.string().optional(),
  })
  .meta({ id: "AcmeChallengeResult" });
export type AcmeChallengeResult = z.output<typeof AcmeChallengeResult>;

/**
 * lego's httpreq body: default mode `{fqdn, value}`, RAW mode `{domain, token, keyAuth}`. Both
 * lego routes (present, cleanup) take it, and lego-httpreq.ts is typed by it.
 */
export const LegoHttpreqRequest = z.union([
  z.strictObject({ fqdn: z.string().min(1).max(300), value: z.string().max(200) }),
  z.strictObject({
    domain: z.string().min(1).max(300),
    token: z.string().max(500),
    keyAuth: z.string().max(1000),
  }),
]);
export type HttpreqBody = z.output<typeof LegoHttpreqRequest>;
