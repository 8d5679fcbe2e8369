-- The audit log (issue 15): one entry per accepted mutation, written in the mutation's own
-- transaction, hash-chained per tenant (each entry carries the hash of the one before it; the
-- serialisation is in docs/audit-log.md). Entries are kept when their zone is deleted, so zone_id
-- has no foreign key; they go only with their tenant.
CREATE TABLE "audit_entries" (
    "tenant_id" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "actor_kind" TEXT NOT NULL,
    "actor_id" TEXT NOT NULL,
    "actor_name" TEXT,
    "actor_scope" TEXT,
    "operation" TEXT NOT NULL,
    "zone_id" TEXT,
    "zone_origin" TEXT,
    "detail" TEXT NOT NULL,
    "client_address" TEXT,
    "request_id" TEXT,
    "prev_hash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    CONSTRAINT "audit_entries_pkey" PRIMARY KEY ("tenant_id", "seq"),
    CONSTRAINT "audit_entries_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "audit_entries_tenant_id_zone_id_seq_idx" ON "audit_entries"("tenant_id", "zone_id", "seq");
CREATE INDEX "audit_entries_tenant_id_actor_id_seq_idx" ON "audit_entries"("tenant_id", "actor_id", "seq");
-- The chain head per tenant: the newest entry's seq and hash. A writer's first audit statement is an
-- upsert that increments seq (taking the head's row lock until commit, so concurrent mutations of a
-- tenant chain one after the other) and returns the previous hash; this trigger moves the hash
-- forward when the entry is inserted, so a mutation pays one head statement and one insert (issue 14
-- asks for thousands of changes a second).
CREATE TABLE "audit_heads" (
    "tenant_id" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "hash" TEXT NOT NULL,
    CONSTRAINT "audit_heads_pkey" PRIMARY KEY ("tenant_id"),
    CONSTRAINT "audit_heads_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE FUNCTION "audit_entries_advance_head"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE "audit_heads" SET "hash" = NEW."hash" WHERE "tenant_id" = NEW."tenant_id";
    RETURN NULL;
END
$$;
CREATE TRIGGER "audit_entries_advance_head" AFTER INSERT ON "audit_entries"
    FOR EACH ROW EXECUTE FUNCTION "audit_entries_advance_head"();
