-- DNSSEC (issue 16). A zone's signing state lives on "zones": "dnssec_state" is 'off', 'signed' or
-- 'going-insecure' (RFC 8078 delete CDS/CDNSKEY published, waiting for the parent to drop the DS);
-- "dnssec_state_since" is when that state began (the insecure transition's clock);
-- "dnssec_refresh_at" is when the earliest signature falls due for refresh, so the refresh job reads
-- an index instead of every signed zone. Keys are rows of "dnssec_keys": the public DNSKEY RDATA in
-- presentation form, the private key sealed with DNSCOVE_DNSSEC_KEY_SECRET (never plaintext), and
-- the time of each rollover step.
ALTER TABLE "zones" ADD COLUMN "dnssec_state" TEXT NOT NULL DEFAULT 'off';
ALTER TABLE "zones" ADD COLUMN "dnssec_algorithm" INTEGER;
ALTER TABLE "zones" ADD COLUMN "dnssec_state_since" TIMESTAMP(3);
ALTER TABLE "zones" ADD COLUMN "dnssec_refresh_at" TIMESTAMP(3);
CREATE INDEX "zones_dnssec_refresh_at_idx" ON "zones"("dnssec_refresh_at");
CREATE TABLE "dnssec_keys" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "zone_id" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "algorithm" INTEGER NOT NULL,
    "key_tag" INTEGER NOT NULL,
    "flags" INTEGER NOT NULL,
    "public_key" TEXT NOT NULL,
    "sealed_private_key" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "published_at" TIMESTAMP(3),
    "activated_at" TIMESTAMP(3),
    "inactive_at" TIMESTAMP(3),
    CONSTRAINT "dnssec_keys_zone_id_fkey" FOREIGN KEY ("zone_id") REFERENCES "zones" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "dnssec_keys_zone_id_idx" ON "dnssec_keys"("zone_id");
