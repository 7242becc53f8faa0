import type { Context, Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { PatternRouter } from "hono/router/pattern-router";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { AlreadyExistsError, ConfigError, NotFoundError } from "../api/errors.ts";
import { createLogger } from "../common/logger.ts";
import { RebalanceNeededError, RequestTargetError } from "../runtime/distributed/forwardable-errors.ts";
import { FencingConflictError } from "../runtime/distributed/zombie-fencing.ts";
import { RestError } from "./rest-error.ts";

const log = createLogger("rest");

/** Headers an error response keeps from an HTTPException's own response (e.g. a 401's challenge). */
const KEPT_HEADERS = ["www-authenticate", "allow", "retry-after"];

/** The HTTP status for an error, as Kafka's ConnectExceptionMapper decides it. */
export function statusOf(error: unknown): ContentfulStatusCode {
  if (error instanceof RestError) return error.status as ContentfulStatusCode;
  if (error instanceof HTTPException) return error.status as ContentfulStatusCode;
  if (error instanceof NotFoundError) return 404;
  if (error instanceof AlreadyExistsError || error instanceof FencingConflictError) return 409;
  if (error instanceof ConfigError) return 400;
  // A cluster's "ask another worker" and "ask again later" (the forwarding middleware forwards the first if it may).
  if (error instanceof RequestTargetError || error instanceof RebalanceNeededError) return 409;
  return 500;
}

/** The message of an error body: Kafka's own words where it has them, else what the error says. */
function messageOf(error: Error, status: number): string {
  // Kafka's HerderRequestHandler answers these with its own words, whatever the herder said.
  if (error instanceof RequestTargetError) {
    return "Cannot complete request because of a conflicting operation (e.g. worker rebalance)";
  }
  if (error instanceof RebalanceNeededError) {
    return "Cannot complete request momentarily due to stale configuration (typically caused by a concurrent config change)";
  }
  if (error instanceof HTTPException && error.message === "" && error.res) return `HTTP ${status}`;
  return error.message;
}

/** The one place errors become responses: Kafka Connect's `{"error_code", "message"}` body. */
export function errorHandler(error: Error, c: Context): Response {
  const status = statusOf(error);
  if (status >= 500) log.error(`${c.req.method} ${c.req.path} failed`, error);
  const response = c.json({ error_code: status, message: messageOf(error, status) }, status);
  if (error instanceof HTTPException && error.res) {
    for (const name of KEPT_HEADERS) {
      const value = error.res.headers.get(name);
      if (value !== null) response.headers.set(name, value);
    }
  }
  return response;
}

/**
 * Unknown routes as Jersey answers them: a path that exists with other methods is a 405 with an `Allow` header,
 * any other path a 404, both in Kafka's error body with Jersey's messages.
 */
export function notFoundHandler(app: Hono): (c: Context) => Response {
  // Built on first use, once every route is registered.
  let routes: PatternRouter<string> | undefined;
  return (c) => {
    if (!routes) {
      routes = new PatternRouter<string>();
      for (const route of app.routes) if (route.method !== "ALL") routes.add(route.method, route.path, route.method);
    }
    const matcher = routes;
    const allowed = ["GET", "POST", "PUT", "PATCH", "DELETE"].filter(
      (method) => matcher.match(method, c.req.path)[0].length > 0,
    );
    // The method itself matching means hono's router refused the path on other grounds: a plain 404.
    if (allowed.length === 0 || allowed.includes(c.req.method)) {
      return c.json({ error_code: 404, message: "HTTP 404 Not Found" }, 404);
    }
    // Jersey answers HEAD for every GET resource and OPTIONS for every resource.
    if (allowed.includes("GET")) allowed.push("HEAD");
    allowed.push("OPTIONS");
    c.header("Allow", allowed.join(","));
    if (c.req.method === "OPTIONS") return c.body(null, 200);
    return c.json({ error_code: 405, message: "HTTP 405 Method Not Allowed" }, 405);
  };
}
