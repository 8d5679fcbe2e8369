-- Request counters shared by every API process, so a rate limit holds however many processes run
-- behind the load balancer. One row per key and fixed window; expired rows are swept.
CREATE TABLE "rate_limits" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "hits" INTEGER NOT NULL,
    "resets_at" DATETIME NOT NULL
);
CREATE INDEX "rate_limits_resets_at_idx" ON "rate_limits"("resets_at");
