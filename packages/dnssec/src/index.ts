export { base32hex, formatSigTime, serialBefore, serialDiff, typeBitmap } from "./encoding.js";
export { KeyStorageError, openPrivateKey, sealPrivateKey } from "./key-storage.js";
export {
  ALGORITHMS,
  type Algorithm,
  CDNSKEY_DELETE_TEXT,
  CDS_DELETE_TEXT,
  DEFAULT_ALGORITHM,
  generateKey,
  type KeyRole,
  KSK_FLAGS,
  keyTag,
  SigningKey,
  ZSK_FLAGS,
} from "./keys.js";
export { NSEC3PARAM_TEXT, nsec3Hash } from "./nsec3.js";
export { SIGNATURE_POLICY, validityAt } from "./policy.js";
export { type DnssecRecord, typeCode, typeMnemonic, zoneFileLine } from "./records.js";
export {
  initialKeys,
  insecureStart,
  kskFinish,
  kskStart,
  zskActivate,
  zskPublish,
  zskRetire,
} from "./rollover.js";
export { labelCount, type RrsetToSign, signatureOf, signedData, signRrset } from "./rrsig.js";
export {
  type DnssecDiff,
  type KeyEntry,
  type RrsetChange,
  SignedZone,
  type Validity,
  type ZoneKeys,
  type ZoneRecordInput,
} from "./signed-zone.js";
export { dnssecRecordFromText, isSignerType } from "./stored.js";
