import * as v from "valibot";
import { scalarText } from "./json-body.ts";

/** A JSON object: valibot's record and object alone would also take an array. */
export const JsonObject = v.custom<Record<string, unknown>>(
  (value) => typeof value === "object" && value !== null && !Array.isArray(value),
  "must be a JSON object",
);

/**
 * `schema` applied to a JSON object whose numbers and booleans have become their text (scalarText), as Jackson
 * reads a body into Kafka's `String` fields and `Map<String, String>`s: `{"tasks.max": 1}` is `"1"`.
 */
export function withScalarsAsText<T extends v.GenericSchema<Record<string, unknown>>>(schema: T) {
  return v.pipe(
    JsonObject,
    v.transform((object) => {
      const text: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(object)) text[key] = scalarText(object, key, value);
      return text;
    }),
    schema,
  );
}

/**
 * Kafka's `Map<String, String>` body: any JSON scalar as its text, null kept (each route says what a null means);
 * an object or array is refused, as Jackson refuses it (Kafka answers that with a 500, sluice with a 400).
 */
export function stringMap(what: string) {
  return withScalarsAsText(
    v.record(
      v.string(),
      v.nullable(v.string(`${what} must be a string, number, boolean or null (Kafka reads it as a string)`)),
    ),
  );
}

/**
 * A connector configuration body, the one reading of `{"key": value}` that create, update, PATCH and validate
 * share. A null value is an error on its key in validation (and so a 400 on create and update), as in Kafka; PATCH
 * takes it as "remove the key".
 */
export const ConfigMap = stringMap("a configuration value");
