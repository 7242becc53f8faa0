import { ConnectDate } from "../../api/date.ts";
import { Decimal, isDecimal } from "../../api/decimal.ts";
import { DataError } from "../../api/errors.ts";
import { Float32, Float64, numberOf } from "../../api/java-numbers.ts";
import type { Schema } from "../../api/schema.ts";
import { setOwn } from "../../api/schemaless-map.ts";
import { Struct } from "../../api/struct.ts";
import { Time } from "../../api/time.ts";
import { Timestamp } from "../../api/timestamp.ts";
import { typeName } from "../../api/type-name.ts";
import { schemaShapeEquals } from "./schema-equals.ts";

/**
 * Connect data to the tree msgpackr packs: the MessagePack form of a value. With a schema, each type has one form
 * (see MessagePackConverter for the table) and the function that makes it is compiled once per Schema object, so a
 * record whose schema was seen before walks no schema. Without a schema, values pass through unchanged where
 * msgpackr already writes them as wanted, and are copied only where something must change.
 */

export type Encode = (value: unknown) => unknown;

export interface MessagePackEncodeOptions {
  readonly replaceNullWithDefault: boolean;
}

const INT32_MIN = -(2 ** 31);
const UINT32_MAX = 2 ** 32 - 1;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * An integer in the smallest MessagePack form that says "integer": msgpackr writes a whole JS number beyond 32
 * bits as a float64, so those go as bigint (int64) instead.
 */
function wireInteger(value: number): number | bigint {
  return value >= INT32_MIN && value <= UINT32_MAX ? value : BigInt(value);
}

function invalid(schema: Schema, value: unknown): DataError {
  return new DataError(`Invalid type for ${schema.type.toUpperCase()}: ${typeName(value)}`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function int(schema: Schema, min: number, max: number): Encode {
  const type = schema.type.toUpperCase();
  return (value) => {
    if (typeof value !== "number" || !Number.isInteger(value)) throw invalid(schema, value);
    if (value < min || value > max) throw new DataError(`Invalid value for ${type}: ${value} is out of range`);
    return value;
  };
}

function int64(schema: Schema): Encode {
  return (value) => {
    if (typeof value === "number") {
      if (!Number.isInteger(value)) throw invalid(schema, value);
      if (Number.isSafeInteger(value)) return wireInteger(value);
      value = BigInt(value);
    }
    if (typeof value !== "bigint") throw invalid(schema, value);
    if (value < INT64_MIN || value > INT64_MAX)
      throw new DataError(`Invalid value for INT64: ${value} is out of range`);
    return value >= INT32_MIN && value <= UINT32_MAX ? Number(value) : value;
  };
}

/** Logical types travel as Kafka's underlying representation: Decimal bytes, Date days, Time and Timestamp ms. */
function logical(schema: Schema): Encode | undefined {
  switch (schema.name) {
    case Decimal.LOGICAL_NAME:
      return (value) => {
        if (!isDecimal(value))
          throw new DataError(`Invalid type for Decimal, expected Decimal but was ${typeName(value)}`);
        return Decimal.fromLogical(schema, value);
      };
    case ConnectDate.LOGICAL_NAME:
    case Time.LOGICAL_NAME:
    case Timestamp.LOGICAL_NAME: {
      const kind = schema.name.slice(schema.name.lastIndexOf(".") + 1);
      const toNumber =
        schema.name === ConnectDate.LOGICAL_NAME
          ? ConnectDate.fromLogical
          : schema.name === Time.LOGICAL_NAME
            ? Time.fromLogical
            : undefined;
      return (value) => {
        if (!(value instanceof Date))
          throw new DataError(`Invalid type for ${kind}, expected Date but was ${typeName(value)}`);
        return toNumber ? toNumber(schema, value) : wireInteger(Timestamp.fromLogical(schema, value));
      };
    }
  }
  return undefined;
}

export class MessagePackEncoder {
  private readonly compiled = new WeakMap<Schema, Encode>();

  constructor(private readonly options: MessagePackEncodeOptions) {}

  /** The MessagePack form of a value; `schema` null means schemaless. */
  encode(schema: Schema | null, value: unknown): unknown {
    return schema === null ? encodeSchemaless(value) : this.encoderFor(schema)(value);
  }

  /** The function that encodes values of this schema, null handling and defaults included. */
  encoderFor(schema: Schema): Encode {
    let encode = this.compiled.get(schema);
    if (encode === undefined) {
      encode = this.withNulls(schema, this.compile(schema));
      this.compiled.set(schema, encode);
    }
    return encode;
  }

  private withNulls(schema: Schema, encode: Encode): Encode {
    const fallback = schema.defaultValue;
    const useDefault = fallback !== undefined && fallback !== null && this.options.replaceNullWithDefault;
    const optional = schema.optional;
    return (value) => {
      if (value !== null && value !== undefined) return encode(value);
      if (useDefault) return encode(fallback);
      if (optional) return null;
      throw new DataError("Conversion error: null value for field that is required and has no default value");
    };
  }

  private compile(schema: Schema): Encode {
    const special = schema.name === undefined ? undefined : logical(schema);
    if (special) return special;
    switch (schema.type) {
      case "int8":
        return int(schema, -128, 127);
      case "int16":
        return int(schema, -32768, 32767);
      case "int32":
        return int(schema, INT32_MIN, 2 ** 31 - 1);
      case "int64":
        return int64(schema);
      case "float32":
        return (value) => {
          // A box (api/java-numbers.ts) is a float too; the schema decides how it is written.
          const float = typeof value === "number" ? value : numberOf(value);
          if (typeof float !== "number") throw invalid(schema, value);
          return Math.fround(float);
        };
      case "float64":
        return (value) => {
          const float = typeof value === "number" ? value : numberOf(value);
          if (typeof float !== "number") throw invalid(schema, value);
          return float;
        };
      case "boolean":
        return (value) => {
          if (typeof value !== "boolean") throw invalid(schema, value);
          return value;
        };
      case "string":
        return (value) => {
          if (typeof value !== "string") throw invalid(schema, value);
          return value;
        };
      case "bytes":
        return (value) => {
          if (value instanceof Uint8Array) return value;
          if (value instanceof ArrayBuffer) return new Uint8Array(value);
          throw new DataError(`Invalid type for bytes type: ${typeName(value)}`);
        };
      case "array":
        return this.compileArray(schema);
      case "map":
        return this.compileMap(schema);
      case "struct":
        return this.compileStruct(schema);
    }
  }

  private compileArray(schema: Schema): Encode {
    if (!schema.valueSchema) throw new DataError("Array schema did not specify the element type");
    const item = this.encoderFor(schema.valueSchema);
    return (value) => {
      if (!Array.isArray(value)) throw invalid(schema, value);
      const out = new Array(value.length);
      for (let i = 0; i < value.length; i++) out[i] = item(value[i]);
      return out;
    };
  }

  private compileMap(schema: Schema): Encode {
    if (!schema.keySchema || !schema.valueSchema) throw new DataError("Map schema did not specify the key type");
    const keyEncode = this.encoderFor(schema.keySchema);
    const valueEncode = this.encoderFor(schema.valueSchema);
    // String keys make a MessagePack map; any other key type a list of [key, value] pairs, as JsonConverter writes.
    const objectMode = schema.keySchema.type === "string";
    return (value) => {
      let entries: Iterable<[unknown, unknown]>;
      if (value instanceof Map) entries = value.entries();
      else if (isPlainObject(value)) entries = Object.entries(value);
      else throw invalid(schema, value);
      if (objectMode) {
        const out: Record<string, unknown> = {};
        // A null key of an optional string key schema becomes "null", as in JsonConverter.
        for (const [k, v] of entries) setOwn(out, String(keyEncode(k)), valueEncode(v));
        return out;
      }
      const pairs: unknown[] = [];
      for (const [k, v] of entries) pairs.push([keyEncode(k), valueEncode(v)]);
      return pairs;
    };
  }

  private compileStruct(schema: Schema): Encode {
    const fields = (schema.fields ?? []).map((field) => ({ name: field.name, encode: this.encoderFor(field.schema) }));
    const unsafeName = fields.some((field) => field.name === "__proto__");
    return (value) => {
      if (!(value instanceof Struct)) throw invalid(schema, value);
      if (value.schema !== schema && !schemaShapeEquals(value.schema, schema))
        throw new DataError("Mismatching schema.");
      const out: Record<string, unknown> = {};
      for (const field of fields) {
        const encoded = field.encode(value.getWithoutDefault(field.name));
        if (unsafeName) setOwn(out, field.name, encoded);
        else out[field.name] = encoded;
      }
      return out;
    };
  }
}

/**
 * A schemaless value as msgpackr should see it: the same value wherever msgpackr writes it right, else a copy in
 * which whole numbers beyond 32 bits are int64, maps with non-string keys are [key, value] pairs and undefined is
 * null. Dates and Decimals pass through to msgpackr's timestamp extension and sluice's Decimal extension, Float32
 * and Float64 boxes to the extensions that write them as float 32 and float 64 (msgpack-java-floats.ts).
 */
export function encodeSchemaless(value: unknown): unknown {
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      return Number.isSafeInteger(value) ? wireInteger(value) : value;
    case "bigint":
      if (value < INT64_MIN || value > INT64_MAX)
        throw new DataError(`Invalid value for INT64: ${value} is out of range`);
      return value;
    case "undefined":
      return null;
    case "object":
      if (value === null || value instanceof Uint8Array || value instanceof Decimal) return value;
      if (Array.isArray(value)) return encodeArray(value);
      if (value instanceof Date) {
        if (Number.isNaN(value.getTime())) throw new DataError("Invalid Date: the Date is invalid");
        return value;
      }
      if (value instanceof Map) return encodeMap(value);
      if (isPlainObject(value)) return encodeObject(value);
      if (value instanceof Float64 || value instanceof Float32) return value;
      if (value instanceof Struct) throw new DataError("Mismatching schema.");
  }
  throw new DataError(`A value of type ${typeName(value)} has no Connect schema type and cannot be written`);
}

function encodeArray(array: readonly unknown[]): unknown[] {
  let out: unknown[] | undefined;
  for (let i = 0; i < array.length; i++) {
    const item = array[i];
    const encoded = encodeSchemaless(item);
    if (encoded !== item && out === undefined) out = array.slice(0, i);
    if (out !== undefined) out.push(encoded);
  }
  return out ?? (array as unknown[]);
}

function encodeObject(object: Record<string, unknown>): Record<string, unknown> {
  let out: Record<string, unknown> | undefined;
  for (const key in object) {
    if (!Object.hasOwn(object, key)) continue;
    const item = object[key];
    const encoded = encodeSchemaless(item);
    if (encoded !== item && out === undefined) {
      out = {};
      for (const earlier in object) {
        if (earlier === key) break;
        if (Object.hasOwn(object, earlier)) setOwn(out, earlier, object[earlier]);
      }
    }
    if (out !== undefined) setOwn(out, key, encoded);
  }
  return out ?? object;
}

function encodeMap(map: Map<unknown, unknown>): unknown {
  let stringKeys = true;
  for (const key of map.keys()) {
    if (typeof key !== "string") {
      stringKeys = false;
      break;
    }
  }
  if (stringKeys) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of map) setOwn(out, key as string, encodeSchemaless(item));
    return out;
  }
  const pairs: unknown[] = [];
  for (const [key, item] of map) pairs.push([encodeSchemaless(key), encodeSchemaless(item)]);
  return pairs;
}
