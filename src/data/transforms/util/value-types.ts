import { Float32, Float64 } from "../../../api/java-numbers.ts";
import type { SchemaType } from "../../../api/schema.ts";
import { isSchemalessMap } from "../../../api/schemaless-map.ts";
import { Struct } from "../../../api/struct.ts";

/**
 * Kafka's `ConnectSchema.schemaType(value.getClass())` for schemaless values: the schema type a value's class
 * implies, or null for classes outside Connect's data API (Date, Decimal, ...). Converters read a JSON integer as a
 * Long and other numbers as a Double, so a safe-integer number is int64, any other number float64; a Float64 box is
 * float64 and a Float32 box float32 (api/java-numbers.ts).
 */
export function inferSchemaType(value: unknown): SchemaType | null {
  switch (typeof value) {
    case "string":
      return "string";
    case "boolean":
      return "boolean";
    case "number":
      return Number.isSafeInteger(value) ? "int64" : "float64";
    case "bigint":
      return "int64";
    case "object":
      if (value === null) return null;
      if (value instanceof Uint8Array) return "bytes";
      if (value instanceof Float64) return "float64";
      if (value instanceof Float32) return "float32";
      if (Array.isArray(value)) return "array";
      if (value instanceof Struct) return "struct";
      if (value instanceof Map || isSchemalessMap(value)) return "map";
      return null;
    default:
      return null;
  }
}
