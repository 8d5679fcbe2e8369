import { randomBytes } from "node:crypto";

/** Zone ids look like `Z1a2b3c4d5e6f70`: `Z` + 14 lowercase hex digits (api-contract.md). */
export function newZoneId(): string {
  return `Z${randomBytes(7).toString("hex")}`;
}

/** Public id of a machine token: 16 hex digits (api-contract.md). */
export function newTokenId(): string {
  return randomBytes(8).toString("hex");
}

export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString("hex")}`;
}
