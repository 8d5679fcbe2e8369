import { z } from "zod";

export const HealthStatus = z
  .object({
    status: z.literal("ok"),
    /** `not-checked` for liveness (the database is not asked); `reachable` once readiness asked it. */
    database: z.enum(["not-checked", "reachable"]),
  })
  .meta({ id: "HealthStatus" });
export type HealthStatus = z.output<typeof HealthStatus>;
