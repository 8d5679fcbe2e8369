import type { z } from "zod";
import { type FieldIssue, ValidationError } from "../domain/errors.js";

/** `["changes", 0, "ttl"]` -> `changes[0].ttl` */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => {
    if (typeof key === "number") return `${out}[${key}]`;
    return out ? `${out}.${String(key)}` : String(key);
  }, "");
}

function toIssues(issues: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[] = []): FieldIssue[] {
  return issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path];
    if (issue.code === "invalid_union" && issue.errors.length > 0) {
      // Report the alternative the body came closest to, not every alternative's complaints: the
      // one that knows most of the body's keys (fewest unknown fields at the union's own level),
      // then the one with fewest issues. Counting issues alone reported `{name, ttl: "x",
      // records: "y"}` as a batch missing `changes` with every field "unknown".
      const unknownKeys = (alternative: readonly z.core.$ZodIssue[]) =>
        alternative.reduce(
          (n, i) => n + (i.code === "unrecognized_keys" && i.path.length === 0 ? i.keys.length : 0),
          0,
        );
      const closest =
        [...issue.errors].sort((a, b) => unknownKeys(a) - unknownKeys(b) || a.length - b.length)[0] ?? [];
      return toIssues(closest, path);
    }
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({ path: formatPath([...path, key]), message: "unknown field" }));
    }
    return [{ path: formatPath(path), message: issue.message }];
  });
}

/** Parses a request body against its schema, or throws a ValidationError listing every field. */
export function validateBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  throw new ValidationError(toIssues(result.error.issues));
}
