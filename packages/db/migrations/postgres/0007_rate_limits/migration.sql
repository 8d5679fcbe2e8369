-- Request counters shared by every API process, so a rate limit holds however many processes run
-- behind the load balancer. One row per key and fixed window; expired rows are swept.
CREATE TABLE "rate_limits" (
    "key" TEXT NOT NULL,
    "hits" INTEGER NOT NULL,
    "resets_at" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "rate_limits_pkey" PRIMARY KEY ("key")
);
CREATE INDEX "rate_limits_resets_at_idx" ON "rate_limits"("resets_at");
