import * as v from "valibot";

/**
 * A configuration value as Kafka Connect's JSON mapping takes it into a `Map<String, String>`: a string, or a number
 * or boolean written as its text (Jackson coerces scalars), so `"tasks.max": 2` works as it does against Kafka.
 */
const ConfigValue = v.pipe(
  v.union([v.string(), v.number(), v.boolean()], "a configuration value must be a string, number or boolean"),
  v.transform((value) => String(value)),
);

/** A connector configuration body: `{"key": "value", ...}`. */
export const ConfigMap = v.record(v.string(), ConfigValue);

/** A PATCH /config body: as ConfigMap, and a null value removes the key. */
export const ConfigPatch = v.record(v.string(), v.nullable(ConfigValue));
