export { ACME_CHALLENGE_LABEL, acmeChallengeName, digestKeyAuthorization } from "./acme.js";
export { DnsInputError, type DnsRecordIssue, DnsRecordsError } from "./errors.js";
export {
  isTokenScope,
  isZoneBoundScope,
  isZoneId,
  TOKEN_SCOPES,
  type TokenScope,
  ZONE_BOUND_SCOPES,
  ZONE_ID_PATTERN,
  type ZoneBoundScope,
} from "./ids.js";
export { DEFAULT_TTL, isValidTtl, TTL_MAX, TTL_MIN } from "./limits.js";
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
  SYSTEM_RECORD_TYPES,
  type SystemRecordType,
  TYPE_CODES,
  typeCodeOf,
  typeMnemonicOf,
  type WireRecordType,
} from "./record-types.js";
export {
  canonicalRecord,
  canonicalRecords,
  canonicalRecordsWithSize,
  rdataFromWire,
  rdataToWire,
} from "./records.js";
export { nameToWire } from "./wire.js";
export {
  absoluteZoneFileName,
  parseZoneFileTtl,
  readZoneFile,
  readZoneFileSteps,
  ZoneFileError,
  type ZoneFileOptions,
  type ZoneFileRecord,
} from "./zone-file.js";
export { writeZoneFile, type ZoneFileRRset } from "./zone-file-writer.js";
