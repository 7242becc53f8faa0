/**
 * The datagen `orders` schema (plugins/datagen/shapes/orders-shape.ts), the same as the Java connector's
 * (bench/connect/java), and the walk that builds a Struct of it from a parsed order: both sources do that in
 * workload 3.
 */
import { type Schema, Struct } from "../../../src/index.ts";

export { ORDER_SCHEMA } from "../../../plugins/datagen/shapes/orders-shape.ts";

/**
 * A parsed order as a Struct, walking the schema as the Java twin's toStruct does. Every number in the file is a
 * JS number already, and every field is required, so values go in as they are.
 */
export function toStruct(schema: Schema, object: Record<string, unknown>): Struct {
  const struct = new Struct(schema);
  for (const field of schema.fields ?? []) {
    const value = object[field.name];
    if (field.schema.type === "struct") {
      struct.put(field.name, toStruct(field.schema, value as Record<string, unknown>));
    } else if (field.schema.type === "array") {
      const items = field.schema.valueSchema as Schema;
      struct.put(
        field.name,
        (value as Record<string, unknown>[]).map((item) => toStruct(items, item)),
      );
    } else {
      struct.put(field.name, value);
    }
  }
  return struct;
}
