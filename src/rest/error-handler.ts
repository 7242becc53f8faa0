import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { AlreadyExistsError, ConfigError, NotFoundError } from "../api/errors.ts";
import { createLogger } from "../runtime/logger.ts";
import { RestError } from "./rest-error.ts";

const log = createLogger("rest");

/** The HTTP status for an error, as Kafka's ConnectExceptionMapper decides it. */
export function statusOf(error: unknown): ContentfulStatusCode {
  if (error instanceof RestError) return error.status as ContentfulStatusCode;
  if (error instanceof HTTPException) return error.status as ContentfulStatusCode;
  if (error instanceof NotFoundError) return 404;
  if (error instanceof AlreadyExistsError) return 409;
  if (error instanceof ConfigError) return 400;
  return 500;
}

/** The one place errors become responses: Kafka Connect's `{"error_code", "message"}` body. */
export function errorHandler(error: Error, c: Context): Response {
  const status = statusOf(error);
  if (status >= 500) log.error(`${c.req.method} ${c.req.path} failed`, error);
  return c.json({ error_code: status, message: error.message }, status);
}

export function notFoundHandler(c: Context): Response {
  return c.json({ error_code: 404, message: `HTTP 404 Not Found: ${c.req.method} ${c.req.path}` }, 404);
}
