-- DNSSEC (issue 16): when the dnssec job first saw the parent's DS set in the state a transition
-- waits for (naming only the new KSK, or gone while going insecure). The transition finishes once
-- that has held for the DS TTL plus the propagation delay; null while not seen.
ALTER TABLE "zones" ADD COLUMN "dnssec_parent_seen_at" TIMESTAMP(3);
