-- What an import skipped (JSON [{name, type, reason}]), so the parity check can ask the old provider
-- about it: deleting the old zone while it still serves records we do not is not safe.
ALTER TABLE "zones" ADD COLUMN "import_skipped" TEXT;
