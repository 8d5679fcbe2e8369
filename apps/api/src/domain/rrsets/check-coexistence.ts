import type { FieldIssue } from "../errors.js";

/**
 * Rules across the rrsets of one owner name, checked on the state a batch would leave:
 * - CNAME stands alone at its name (RFC 1034 §3.6.2, RFC 2181 §10.1);
 * - NS below the apex is a delegation: only DS may sit beside it (RFC 4035 §2.4);
 * - DS exists only at a delegation point.
 * Returns the conflicts found, keyed to the change that caused them.
 */
export function checkCoexistence(name: string, types: ReadonlySet<string>, path: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (types.has("CNAME") && types.size > 1) {
    const others = [...types].filter((type) => type !== "CNAME").join(", ");
    issues.push({ path, message: `${name} would hold a CNAME beside other data (${others})` });
  }
  if (types.has("NS")) {
    const others = [...types].filter((type) => type !== "NS" && type !== "DS" && type !== "CNAME");
    if (others.length > 0) {
      issues.push({
        path,
        message: `${name} is a delegation (NS); only DS may sit beside it, not ${others.join(", ")}`,
      });
    }
  }
  if (types.has("DS") && !types.has("NS")) {
    issues.push({ path, message: `DS at ${name} needs an NS rrset there (a delegation)` });
  }
  return issues;
}
