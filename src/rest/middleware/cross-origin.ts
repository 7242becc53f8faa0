/**
 * Cross-origin requests as Kafka Connect sets up Jetty's CrossOriginFilter: on only when
 * `access.control.allow.origin` is set; origins are a comma-separated list where `*` alone allows any origin and a
 * `*` inside an entry is a wildcard (`https://*.example.com`); the allowed origin is echoed back with
 * `Access-Control-Allow-Credentials: true`; `access.control.allow.methods` defaults to GET,POST,HEAD; preflights
 * are cached 1800 s; a preflight asking for a method that is not allowed, or a request from another origin, gets
 * no CORS headers at all. The headers themselves are written by hono's cors middleware.
 */
import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";

/** Jetty's defaults for the filter parameters Kafka leaves unset. */
const DEFAULT_METHODS = ["GET", "POST", "HEAD"];
export const DEFAULT_ALLOWED_HEADERS = ["X-Requested-With", "Content-Type", "Accept", "Origin"];
const PREFLIGHT_MAX_AGE_SECONDS = 1800;

export interface CrossOriginOptions {
  /** `access.control.allow.origin`, as configured. */
  readonly allowOrigin: string;
  /** `access.control.allow.methods`, as configured; blank means Jetty's default. */
  readonly allowMethods?: string;
  readonly allowHeaders?: readonly string[];
}

function splitList(text: string | undefined): string[] {
  return (text ?? "")
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");
}

function originMatcher(allowOrigin: string): (origin: string) => boolean {
  const entries = splitList(allowOrigin);
  if (entries.includes("*")) return () => true;
  const patterns = entries.map(
    (entry) => new RegExp(`^${entry.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`),
  );
  return (origin) => patterns.some((pattern) => pattern.test(origin));
}

/** The CORS middleware, or undefined when `access.control.allow.origin` is blank (Kafka adds no filter then). */
export function crossOrigin({
  allowOrigin,
  allowMethods,
  allowHeaders = DEFAULT_ALLOWED_HEADERS,
}: CrossOriginOptions): MiddlewareHandler | undefined {
  if (allowOrigin.trim() === "") return undefined;
  const methods = splitList(allowMethods).length > 0 ? splitList(allowMethods) : DEFAULT_METHODS;
  const allowed = originMatcher(allowOrigin);
  const headers = cors({
    origin: (origin) => origin,
    allowMethods: methods,
    allowHeaders: [...allowHeaders],
    maxAge: PREFLIGHT_MAX_AGE_SECONDS,
    credentials: true,
  });
  return async function crossOrigin(c, next) {
    const origin = c.req.header("origin");
    if (!origin || !allowed(origin)) return next();
    if (c.req.method === "OPTIONS") {
      const requested = c.req.header("access-control-request-method");
      // Not a preflight, or one for a method we do not allow: the request goes on without CORS headers.
      if (!requested || !methods.includes(requested.toUpperCase())) return next();
    }
    return headers(c, next);
  };
}
