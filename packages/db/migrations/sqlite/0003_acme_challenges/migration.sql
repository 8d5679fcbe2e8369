-- ACME DNS-01 values presented through the acme-challenge endpoint, so values a crashed client
-- left behind can be removed when they expire.
CREATE TABLE "acme_challenges" (
    "zone_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "expires_at" DATETIME NOT NULL,
    PRIMARY KEY ("zone_id", "name", "value"),
    CONSTRAINT "acme_challenges_zone_id_fkey" FOREIGN KEY ("zone_id") REFERENCES "zones" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "acme_challenges_expires_at_idx" ON "acme_challenges"("expires_at");
