import { ValidationError } from "../domain/errors.js";

/** A path pattern's parts: a literal segment (lower-cased) or a `:param`. */
type Segment = { literal: string } | { param: string };

interface Entry<T> {
  segments: Segment[];
  value: T;
}

export interface RouteMatch<T> {
  value: T;
  params: Record<string, string>;
}

/**
 * The API's routes by method and segment count, so a request finds its route by comparing a few
 * segments of the handful of patterns with its length, instead of Express trying every route's
 * pattern, and running its layer machinery, in turn: that walk was a tenth of a single-rrset
 * change's CPU (issue 14). It matches as Express 5's router did, so no URL changes meaning:
 * literals compare case-insensitively, one trailing slash is ignored, parameters are
 * percent-decoded, and a GET route answers HEAD. The first pattern in table order wins.
 */
export class RouteTable<T> {
  readonly #byMethod = new Map<string, Map<number, Entry<T>[]>>();

  add(method: string, path: string, value: T): void {
    const segments = split(path).map(
      (part): Segment => (part.startsWith(":") ? { param: part.slice(1) } : { literal: part.toLowerCase() }),
    );
    const byLength = this.#byMethod.get(method.toUpperCase()) ?? new Map<number, Entry<T>[]>();
    this.#byMethod.set(method.toUpperCase(), byLength);
    const entries = byLength.get(segments.length) ?? [];
    byLength.set(segments.length, entries);
    entries.push({ segments, value });
  }

  /**
   * The route for `method` and `path` (the part after the mount point, without the query), or
   * undefined. A parameter that is not valid percent-encoding is a 400 naming it.
   */
  find(method: string, path: string): RouteMatch<T> | undefined {
    const parts = split(path);
    const candidates = this.#byMethod.get(method === "HEAD" ? "GET" : method)?.get(parts.length);
    if (!candidates) return undefined;
    for (const entry of candidates) {
      const params = matchSegments(entry.segments, parts);
      if (params) return { value: entry.value, params };
    }
    return undefined;
  }
}

/** `/zones/abc/` → ["zones", "abc"]; "/" → []. */
function split(path: string): string[] {
  const trimmed = path.endsWith("/") ? path.slice(0, -1) : path;
  return trimmed === "" ? [] : trimmed.slice(trimmed.startsWith("/") ? 1 : 0).split("/");
}

function matchSegments(segments: Segment[], parts: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] as Segment;
    const part = parts[i] as string;
    if ("literal" in segment) {
      if (part.length !== segment.literal.length || part.toLowerCase() !== segment.literal) return undefined;
    } else {
      if (part === "") return undefined;
      params[segment.param] = decodeParam(segment.param, part);
    }
  }
  return params;
}

function decodeParam(name: string, part: string): string {
  if (!part.includes("%")) return part;
  try {
    return decodeURIComponent(part);
  } catch {
    throw new ValidationError([{ path: name, message: "is not valid percent-encoding" }]);
  }
}
