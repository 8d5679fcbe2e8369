-- The nameservers a zone was served by before it moved here (from an import), for the parity check.
ALTER TABLE "zones" ADD COLUMN "previous_ns" TEXT;
