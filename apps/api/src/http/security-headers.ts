import type { NextFunction, Request, Response } from "express";

/**
 * The console's Content-Security-Policy (CSP Level 3). The built index.html loads one module script
 * and one stylesheet from its own origin and has no inline script or style, so nothing inline is
 * allowed: an injected `<script>` or `onerror=` cannot run while the page holds a tenant-root
 * session. `frame-ancestors 'none'` forbids framing (clickjacking); `base-uri 'none'` stops a
 * `<base>` from re-pointing the relative script URL; the API is same-origin (`connect-src 'self'`).
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "font-src 'self'",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "object-src 'none'",
].join("; ");

/** API answers are data, never documents: nothing may load or frame them as one. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

/**
 * Headers on every answer, the console's and the API's. `nosniff` keeps a browser from running a
 * JSON or text answer as script or HTML; `X-Frame-Options` is the pre-CSP-3 form of frame-ancestors;
 * `no-referrer` keeps the console's URLs (the sign-in link's fragment never leaves the browser, but
 * zone ids in paths do) out of other sites' logs.
 */
export function securityHeaders(req: Request, res: Response, next: NextFunction): void {
  const api = req.path === "/api" || req.path.startsWith("/api/");
  res.setHeader("Content-Security-Policy", api ? API_CSP : CONSOLE_CSP);
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("X-Frame-Options", "DENY");
  res.setHeader("Referrer-Policy", "no-referrer");
  next();
}
