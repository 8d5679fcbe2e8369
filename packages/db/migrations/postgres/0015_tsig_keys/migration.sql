-- Zone-bound TSIG keys for RFC 2136 dynamic updates (issue 17). The secret is sealed (AES-256-GCM
-- under a key derived from DNSCOVE_SECRET), not hashed: the server must compute HMACs with it.
CREATE TABLE "tsig_keys" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "zone_id" TEXT NOT NULL,
    "key_name" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "algorithm" TEXT NOT NULL,
    "sealed_secret" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMP(3),
    "last_used_at" TIMESTAMP(3),
    CONSTRAINT "tsig_keys_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "tsig_keys_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "tsig_keys_zone_id_fkey" FOREIGN KEY ("zone_id") REFERENCES "zones" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "tsig_keys_key_name_key" ON "tsig_keys"("key_name");
CREATE INDEX "tsig_keys_zone_id_idx" ON "tsig_keys"("zone_id");
