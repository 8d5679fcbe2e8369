export { route53Export } from "@dnscove/testkit";

/** A 1,000-change batch of 40-record TXT rrsets (about 3 MB of JSON), as one tenant might post. */
export function bigTxtBatch(rrsets = 1000, recordsEach = 40): string {
  const changes = Array.from({ length: rrsets }, (_, i) => ({
    action: "UPSERT",
    name: `txt${i}`,
    type: "TXT",
    ttl: 300,
    records: Array.from({ length: recordsEach }, (_, j) => `"batch-${i}-${j}-${"x".repeat(48)}"`),
  }));
  return JSON.stringify({ changes });
}
