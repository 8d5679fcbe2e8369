-- DNSCove initial schema (PostgreSQL). Mirrors prisma/models.prisma.
CREATE TABLE "tenants" (
    "id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "tenants_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "users" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "users_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

CREATE TABLE "magic_links" (
    "id" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMP(3) NOT NULL,
    "used_at" TIMESTAMP(3),
    CONSTRAINT "magic_links_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "magic_links_token_hash_key" ON "magic_links"("token_hash");
CREATE INDEX "magic_links_email_created_at_idx" ON "magic_links"("email", "created_at");

CREATE TABLE "zones" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "origin" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "serial" INTEGER NOT NULL,
    "published_serial" INTEGER NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "zones_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "zones_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "zones_origin_key" ON "zones"("origin");
CREATE INDEX "zones_tenant_id_idx" ON "zones"("tenant_id");

CREATE TABLE "rrsets" (
    "zone_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "ttl" INTEGER NOT NULL,
    "records" TEXT NOT NULL,
    CONSTRAINT "rrsets_pkey" PRIMARY KEY ("zone_id", "name", "type"),
    CONSTRAINT "rrsets_zone_id_fkey" FOREIGN KEY ("zone_id") REFERENCES "zones" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE TABLE "snapshots" (
    "zone_id" TEXT NOT NULL,
    "serial" INTEGER NOT NULL,
    "origin" TEXT NOT NULL,
    "content" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "snapshots_pkey" PRIMARY KEY ("zone_id", "serial"),
    CONSTRAINT "snapshots_zone_id_fkey" FOREIGN KEY ("zone_id") REFERENCES "zones" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE TABLE "tokens" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "zone_id" TEXT,
    "scope" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "secret_hash" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMP(3),
    "revoked_at" TIMESTAMP(3),
    "last_used_at" TIMESTAMP(3),
    CONSTRAINT "tokens_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "tokens_zone_id_fkey" FOREIGN KEY ("zone_id") REFERENCES "zones" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "tokens_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "tokens_tenant_id_idx" ON "tokens"("tenant_id");
CREATE INDEX "tokens_zone_id_idx" ON "tokens"("zone_id");

CREATE TABLE "edge_nodes" (
    "id" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "started_at" TIMESTAMP(3) NOT NULL,
    "last_seen_at" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "edge_nodes_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "edge_zone_serials" (
    "edge_id" TEXT NOT NULL,
    "zone_id" TEXT NOT NULL,
    "serial" INTEGER NOT NULL,
    "updated_at" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "edge_zone_serials_pkey" PRIMARY KEY ("edge_id", "zone_id"),
    CONSTRAINT "edge_zone_serials_edge_id_fkey" FOREIGN KEY ("edge_id") REFERENCES "edge_nodes" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
