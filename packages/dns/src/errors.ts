/**
 * Thrown on every invalid input. The message is a short human sentence suitable
 * for an API error, e.g. "label longer than 63 octets".
 */
export class DnsInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DnsInputError";
  }
}

/** One problem with one record of an rrset passed to `canonicalRecords`. */
export interface DnsRecordIssue {
  /** Index into the `records` array that was passed in. */
  index: number;
  message: string;
}

/** Thrown by `canonicalRecords`; lists every bad record, not just the first. */
export class DnsRecordsError extends Error {
  readonly issues: DnsRecordIssue[];

  constructor(issues: DnsRecordIssue[]) {
    const summary = issues.map((i) => `records[${i.index}]: ${i.message}`).join("; ");
    super(issues.length === 1 ? summary : `${issues.length} invalid records: ${summary}`);
    this.name = "DnsRecordsError";
    this.issues = issues;
  }
}
