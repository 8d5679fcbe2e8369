import { RECORD_TYPES } from "@dnscove/dns/record-types";

/** The everyday types first in the editor's list. */
const COMMON_TYPES: readonly string[] = ["A", "AAAA", "CNAME", "MX", "TXT"];

/** The API's writable record types (the one list lives in @dnscove/dns), the everyday ones first. */
export const EDITOR_TYPES: readonly string[] = [
  ...COMMON_TYPES,
  ...RECORD_TYPES.filter((type) => !COMMON_TYPES.includes(type)),
];
