/**
 * The value Debezium writes for SQL NULL in a column its schema calls required (JdbcValueConverters' fallbacks): the
 * field's default when it has one, else zero of its type. A required column is NULL in an event when the event
 * does not carry it: the old row of an update or delete under the default replica identity has only the key.
 */
import { Decimal, type Schema, Struct } from "../../../src/index.ts";

export function nullFallback(schema: Schema): unknown {
  if (schema.optional) return null;
  if (schema.defaultValue !== undefined && schema.defaultValue !== null) return schema.defaultValue;
  switch (schema.type) {
    case "int8":
    case "int16":
    case "int32":
    case "float32":
    case "float64":
      return 0;
    case "int64":
      return 0;
    case "boolean":
      return false;
    case "string":
      return "";
    case "bytes":
      return schema.name === "org.apache.kafka.connect.data.Decimal"
        ? new Decimal(0n, Decimal.scaleOf(schema))
        : new Uint8Array(0);
    case "array":
      return [];
    case "map":
      return new Map();
    case "struct":
      return new Struct(schema);
  }
}
