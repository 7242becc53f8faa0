import { isDecimal } from "../../../../api/decimal.ts";
import { Float32, Float64 } from "../../../../api/java-numbers.ts";
import { isSchemalessMap, setOwn } from "../../../../api/schemaless-map.ts";
import { KEY_FIELD, MAP_ENTRY_TYPE_NAME, NAMESPACE, VALUE_FIELD } from "./avro-names.ts";
import { AvroValueError, describe } from "./avro-value-error.ts";

/**
 * Schemaless data (a null Connect schema) as AvroData writes it: one record, `io.confluent.connect.avro.Anything`,
 * with an optional field per kind of value (the first set one is the value; none set is null), lists of Anything
 * for arrays, and lists of key/value MapEntry records for maps.
 */

const optional = (name: string, type: unknown) => ({ name, type: ["null", type], default: null });

export const ANYTHING_SCHEMA_TEXT = JSON.stringify({
  type: "record",
  name: "Anything",
  namespace: NAMESPACE,
  fields: [
    optional("boolean", "boolean"),
    optional("bytes", "bytes"),
    optional("double", "double"),
    optional("float", "float"),
    optional("int", "int"),
    optional("long", "long"),
    optional("string", "string"),
    optional("array", { type: "array", items: "Anything" }),
    optional("map", {
      type: "array",
      items: {
        type: "record",
        name: MAP_ENTRY_TYPE_NAME,
        fields: [
          { name: KEY_FIELD, type: "Anything" },
          { name: VALUE_FIELD, type: "Anything" },
        ],
      },
    }),
  ],
});

type AnythingRecord = Record<string, Record<string, unknown> | null | undefined>;

function entriesOf(value: Map<unknown, unknown> | Record<string, unknown>): Iterable<[unknown, unknown]> {
  return value instanceof Map ? value.entries() : Object.entries(value);
}

/** A schemaless Connect value to its Anything record (in avsc's wrapped-union form). */
export function anythingToAvro(value: unknown): AnythingRecord {
  if (value === null || value === undefined) return {};
  switch (typeof value) {
    case "boolean":
      return { boolean: { boolean: value } };
    case "string":
      return { string: { string: value } };
    case "bigint":
      return { long: { long: value } };
    case "number":
      // A schemaless integral number is a Long, any other a Double (api/java-numbers.ts).
      // (An integral number beyond 2^53 can only have been a Double.)
      return Number.isSafeInteger(value) ? { long: { long: value } } : { double: { double: value } };
  }
  if (value instanceof Float64) return { double: { double: value.value } };
  if (value instanceof Float32) return { float: { float: value.value } };
  if (value instanceof Uint8Array)
    return { bytes: { bytes: Buffer.from(value.buffer, value.byteOffset, value.byteLength) } };
  if (Array.isArray(value))
    return {
      array: {
        array: value.map((item, i) => {
          try {
            return anythingToAvro(item);
          } catch (error) {
            throw AvroValueError.at(error, `[${i}]`);
          }
        }),
      },
    };
  if (value instanceof Map || (isSchemalessMap(value) && !isDecimal(value))) {
    const entries: { key: AnythingRecord; value: AnythingRecord }[] = [];
    for (const [key, item] of entriesOf(value as Map<unknown, unknown>)) {
      try {
        entries.push({ key: anythingToAvro(key), value: anythingToAvro(item) });
      } catch (error) {
        throw AvroValueError.at(error, `.${String(key)}`);
      }
    }
    return { map: { array: entries } };
  }
  throw new AvroValueError(`Unknown Java type for schemaless data: ${describe(value)}`);
}

/** An Anything record read by avsc to the schemaless Connect value. */
export function anythingToConnect(record: AnythingRecord | null): unknown {
  if (record === null || record === undefined) return null;
  const [kind, set] = firstSet(record);
  switch (kind) {
    case "bytes": {
      const bytes = set.bytes as Buffer;
      return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
    }
    case "double": {
      const double = set.double as number;
      // Still a Double when its value is integral.
      return Number.isInteger(double) ? new Float64(double) : double;
    }
    case "float":
      return new Float32(set.float as number);
    case "array":
      return (set.array as AnythingRecord[]).map(anythingToConnect);
    case "map":
      return mapOf(set.array as { key: AnythingRecord; value: AnythingRecord }[]);
    case undefined:
      return null;
    default:
      return set[kind];
  }
}

const KINDS = ["boolean", "bytes", "double", "float", "int", "long", "string", "array", "map"] as const;

function firstSet(record: AnythingRecord): [string | undefined, Record<string, unknown>] {
  for (const kind of KINDS) {
    const set = record[kind];
    if (set !== null && set !== undefined) return [kind, set];
  }
  return [undefined, {}];
}

function mapOf(array: { key: AnythingRecord; value: AnythingRecord }[]): unknown {
  {
    const entries = array.map((entry) => [anythingToConnect(entry.key), anythingToConnect(entry.value)] as const);
    if (entries.every(([key]) => typeof key === "string")) {
      const map: Record<string, unknown> = {};
      for (const [key, item] of entries) setOwn(map, key as string, item);
      return map;
    }
    return new Map(entries);
  }
}
