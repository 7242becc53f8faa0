import type { MiddlewareHandler } from "hono";
import { validator } from "hono-openapi";
import type { GenericSchema } from "valibot";
import { RestError } from "./rest-error.ts";

/** Media types Jersey's JSON provider accepts for a resource that `@Consumes(APPLICATION_JSON)`. */
const JSON_MEDIA_TYPE = /^application\/([a-z0-9.+-]*\+)?json\s*(;|$)/i;

/**
 * Jersey answers 415 before reading a body sent as anything but JSON (curl's `-d` sends a form type, `fetch` with a
 * string body sends text/plain); a missing Content-Type counts as `application/octet-stream`, so it is refused too.
 */
const requireJsonBody: MiddlewareHandler = async (c, next) => {
  if (!JSON_MEDIA_TYPE.test(c.req.header("content-type") ?? "")) {
    throw new RestError(415, "HTTP 415 Unsupported Media Type");
  }
  await next();
};

/**
 * valibot validation of a request part through hono-openapi, so the route documents its own input in
 * `/openapi.json`; a mismatch becomes a 400 in Kafka's error body, naming the path of the offending field.
 */
export function validate<T extends GenericSchema, Target extends "json" | "query" | "param">(
  target: Target,
  schema: T,
) {
  const check = validator(target, schema, (result) => {
    if (!result.success) {
      const issue = result.error[0];
      const path = issue?.path?.map((p) => String(typeof p === "object" ? p.key : p)).join(".") ?? target;
      throw new RestError(
        400,
        `Invalid request ${target}${path ? ` at '${path}'` : ""}: ${issue?.message ?? "malformed"}`,
      );
    }
  });
  if (target !== "json") return check;
  // The media-type check runs first, and the validator keeps its OpenAPI description (a symbol property).
  return Object.assign(
    (async (c, next) => requireJsonBody(c, () => check(c, next) as Promise<void>)) as typeof check,
    check,
  );
}
