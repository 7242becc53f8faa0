import { vValidator } from "@hono/valibot-validator";
import type { GenericSchema } from "valibot";
import { RestError } from "./rest-error.ts";

/**
 * valibot validation of a request part; a mismatch becomes a 400 in Kafka's error body, naming the path of the
 * offending field.
 */
export function validate<T extends GenericSchema, Target extends "json" | "query" | "param">(
  target: Target,
  schema: T,
) {
  return vValidator(target, schema, (result) => {
    if (!result.success) {
      const issue = result.issues[0];
      const path = issue?.path?.map((p) => String(p.key)).join(".") ?? target;
      throw new RestError(
        400,
        `Invalid request ${target}${path ? ` at '${path}'` : ""}: ${issue?.message ?? "malformed"}`,
      );
    }
  });
}
