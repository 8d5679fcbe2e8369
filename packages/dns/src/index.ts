export { DnsInputError, type DnsRecordIssue, DnsRecordsError } from "./errors.js";
export {
  canonicalOrigin,
  canonicalOwnerName,
  canonicalTargetName,
  isInZone,
  relativeToOrigin,
} from "./names.js";
export {
  isRecordType,
  RECORD_TYPES,
  type RecordType,
  TYPE_CODES,
  type WireRecordType,
} from "./record-types.js";
export { canonicalRecord, canonicalRecords, rdataFromWire, rdataToWire } from "./records.js";
export { nameToWire } from "./wire.js";
