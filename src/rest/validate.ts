import type { MiddlewareHandler } from "hono";
import { validator } from "hono-openapi";
import type { GenericSchema } from "valibot";
import { parseJsonBody } from "./json-body.ts";
import { RestError } from "./rest-error.ts";

/** Media types Jersey's JSON provider accepts for a resource that `@Consumes(APPLICATION_JSON)`. */
const JSON_MEDIA_TYPE = /^application\/([a-z0-9.+-]*\+)?json\s*(;|$)/i;

/** A validation issue, as valibot and Standard Schema both report one. */
interface Issue {
  readonly message: string;
  readonly path?: readonly (PropertyKey | { readonly key: unknown })[];
}

/** A 400 in Kafka's error body, naming the path of the offending field. */
function invalid(target: string, issues: readonly Issue[]): RestError {
  const issue = issues[0];
  const path = issue?.path?.map((p) => String(typeof p === "object" ? p.key : p)).join(".") ?? target;
  return new RestError(
    400,
    `Invalid request ${target}${path ? ` at '${path}'` : ""}: ${issue?.message ?? "malformed"}`,
  );
}

/**
 * valibot validation of a request part through hono-openapi, so the route documents its own input in
 * `/openapi.json`; a mismatch becomes a 400 in Kafka's error body, naming the path of the offending field.
 *
 * A JSON body is parsed here rather than by hono's validator, with parseJsonBody, so that a number keeps the text
 * Kafka would read. Jersey answers 415 before reading a body sent as anything but JSON (curl's `-d` sends a form
 * type, `fetch` with a string body sends text/plain); a missing Content-Type counts as `application/octet-stream`,
 * so it is refused too.
 */
export function validate<T extends GenericSchema, Target extends "json" | "query" | "param">(
  target: Target,
  schema: T,
) {
  const described = validator(target, schema, (result) => {
    if (!result.success) throw invalid(target, result.error);
  });
  if (target !== "json") return described;
  const check: MiddlewareHandler = async (c, next) => {
    if (!JSON_MEDIA_TYPE.test(c.req.header("content-type") ?? "")) {
      throw new RestError(415, "HTTP 415 Unsupported Media Type");
    }
    const result = await schema["~standard"].validate(parseJsonBody(await c.req.text()));
    if (result.issues) throw invalid(target, result.issues);
    c.req.addValidatedData("json", result.value as object);
    await next();
  };
  // hono-openapi's middleware is kept for its OpenAPI description (a symbol property) and its types.
  return Object.assign(check, described) as unknown as typeof described;
}
