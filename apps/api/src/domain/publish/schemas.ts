import { z } from "zod";
import { Zone } from "../zones/schemas.js";

export const PublishResult = z
  .object({
    zone: Zone,
    published: z.boolean().meta({ description: "False when an edge did not confirm the serial in time." }),
    serial: z.number().int(),
    /** Which running edges did not confirm the serial in time. */
    publish_error: z.string().optional(),
  })
  .meta({ id: "PublishResult" });
export type PublishResult = z.output<typeof PublishResult>;
