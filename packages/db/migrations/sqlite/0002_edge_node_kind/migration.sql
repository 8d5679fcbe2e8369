-- Secondaries the edges NOTIFY are tracked beside the edges themselves: kind 'edge' or 'secondary'.
ALTER TABLE "edge_nodes" ADD COLUMN "kind" TEXT NOT NULL DEFAULT 'edge';
