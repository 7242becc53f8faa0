import { encodeBase64 } from "../../../../api/base64.ts";
import { ConnectDate } from "../../../../api/date.ts";
import { Decimal, isDecimal } from "../../../../api/decimal.ts";
import { numberOf } from "../../../../api/java-numbers.ts";
import type { Field, Schema } from "../../../../api/schema.ts";
import { Struct } from "../../../../api/struct.ts";
import { Time } from "../../../../api/time.ts";
import { Timestamp } from "../../../../api/timestamp.ts";
import { typeName } from "../../../../api/type-name.ts";
import { structSlots } from "../../../transforms/util/struct-access.ts";
import { formatDouble, formatFloat } from "../../java-format.ts";
import { jsonString } from "../../json-encode.ts";
import { schemaShapeEquals } from "../../schema-equals.ts";
import { isUnionSchema } from "./connect-names.ts";
import { addStep, fail, fieldStep } from "./path-failure.ts";

/**
 * Connect data to the JSON text Confluent's JsonSchemaConverter sends: JsonSchemaData.fromConnectData's tree as
 * Jackson writes it, produced directly as text. Numbers print as Java does (int8 and int16 as integers, float32 as
 * `Float.toString`, float64 as `Double.toString`: `12.0`, `1.0E10`; NaN and the infinities as strings), bytes as
 * base64, a NUMERIC Decimal as `BigDecimal.toString()` (`1.56`, `1E+3`). Struct fields in schema order; a null field
 * without default that is not optional is left out (its node is Java's null); unions write their one set branch;
 * maps with required string keys are objects, others arrays of `{"key":..,"value":..}`.
 */

export interface ValueWriterOptions {
  readonly decimalNumeric: boolean;
  readonly ignoreDefaultForNullables: boolean;
}

const INT_LIMITS: Readonly<Record<string, number>> = { int8: 2 ** 7, int16: 2 ** 15, int32: 2 ** 31 };
const INT64_LIMIT = 2n ** 63n;

function invalid(schema: Schema, value: unknown): never {
  return fail(`Invalid type for ${schema.type.toUpperCase()}: ${typeName(value)}`);
}

function finiteOrQuoted(text: string, value: number): string {
  return Number.isFinite(value) ? text : `"${text}"`;
}

/** The value's JSON text, or undefined where JsonSchemaData's node is Java's null (nothing is written). */
export function writeValue(schema: Schema, value: unknown, options: ValueWriterOptions): string | undefined {
  if (value === null || value === undefined) {
    const fallback = schema.defaultValue;
    if (fallback !== undefined && fallback !== null && !options.ignoreDefaultForNullables)
      return writeValue(schema, fallback, options);
    return schema.optional ? "null" : undefined;
  }
  if (schema.name !== undefined) {
    const logical = writeLogical(schema, value, options);
    if (logical !== undefined) return logical;
  }
  switch (schema.type) {
    case "int8":
    case "int16":
    case "int32": {
      const limit = INT_LIMITS[schema.type] as number;
      if (typeof value !== "number" || !Number.isInteger(value)) return invalid(schema, value);
      if (value < -limit || value >= limit) return fail(`${value} is out of range for ${schema.type.toUpperCase()}`);
      return String(value);
    }
    case "int64": {
      if (typeof value === "number" && Number.isSafeInteger(value)) return String(value);
      const big =
        typeof value === "bigint"
          ? value
          : typeof value === "number" && Number.isInteger(value)
            ? BigInt(value)
            : undefined;
      if (big === undefined) return invalid(schema, value);
      if (big < -INT64_LIMIT || big >= INT64_LIMIT) return fail(`${big} is out of range for INT64`);
      return big.toString();
    }
    case "float32": {
      const float = numberOf(value);
      if (typeof float !== "number") return invalid(schema, value);
      return finiteOrQuoted(formatFloat(float), float);
    }
    case "float64": {
      const float = numberOf(value);
      if (typeof float !== "number") return invalid(schema, value);
      return finiteOrQuoted(formatDouble(float), float);
    }
    case "boolean":
      if (typeof value !== "boolean") return invalid(schema, value);
      return value ? "true" : "false";
    case "string":
      if (typeof value !== "string") return invalid(schema, value);
      return jsonString(value);
    case "bytes":
      if (value instanceof Uint8Array) return `"${encodeBase64(value)}"`;
      if (isDecimal(value)) return new Decimal(value.unscaled, value.scale).toString();
      return fail(`Invalid type for bytes type: ${typeName(value)}`);
    case "array":
      return writeArray(schema, value, options);
    case "map":
      return writeMap(schema, value, options);
    case "struct":
      return writeStruct(schema, value, options);
  }
}

function writeLogical(schema: Schema, value: unknown, options: ValueWriterOptions): string | undefined {
  switch (schema.name) {
    case Decimal.LOGICAL_NAME:
      if (!isDecimal(value)) return fail(`Invalid type for Decimal, expected BigDecimal but was ${typeName(value)}`);
      if (options.decimalNumeric) return new Decimal(value.unscaled, value.scale).toString();
      return `"${encodeBase64(Decimal.fromLogical(schema, value))}"`;
    case ConnectDate.LOGICAL_NAME:
      if (!(value instanceof Date)) return fail(`Invalid type for Date, expected Date but was ${typeName(value)}`);
      return String(ConnectDate.fromLogical(schema, value));
    case Time.LOGICAL_NAME:
      if (!(value instanceof Date)) return fail(`Invalid type for Time, expected Date but was ${typeName(value)}`);
      return String(Time.fromLogical(schema, value));
    case Timestamp.LOGICAL_NAME:
      if (!(value instanceof Date)) return fail(`Invalid type for Timestamp, expected Date but was ${typeName(value)}`);
      return String(Timestamp.fromLogical(schema, value));
  }
  return undefined;
}

function writeArray(schema: Schema, value: unknown, options: ValueWriterOptions): string {
  if (!Array.isArray(value)) return invalid(schema, value);
  const items = schema.valueSchema as Schema;
  let out = "[";
  for (let i = 0; i < value.length; i++) {
    try {
      out += `${i === 0 ? "" : ","}${writeValue(items, value[i], options) ?? "null"}`;
    } catch (error) {
      addStep(error, `[${i}]`);
    }
  }
  return `${out}]`;
}

function writeMap(schema: Schema, value: unknown, options: ValueWriterOptions): string {
  let entries: Iterable<[unknown, unknown]>;
  if (value instanceof Map) entries = value.entries();
  else if (typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Struct))
    entries = Object.entries(value);
  else return invalid(schema, value);
  const keySchema = schema.keySchema as Schema;
  const valueSchema = schema.valueSchema as Schema;
  const objectMode = keySchema.type === "string" && !keySchema.optional;
  const parts: string[] = [];
  for (const [key, item] of entries) {
    try {
      const keyJson = writeValue(keySchema, key, options);
      const itemJson = writeValue(valueSchema, item, options) ?? "null";
      if (objectMode) {
        if (typeof key !== "string") return fail(`Invalid map key: ${typeName(key)}`);
        parts.push(`${jsonString(key)}:${itemJson}`);
      } else parts.push(`{"key":${keyJson ?? "null"},"value":${itemJson}}`);
    } catch (error) {
      addStep(error, `[${JSON.stringify(String(key))}]`);
    }
  }
  return objectMode ? `{${parts.join(",")}}` : `[${parts.join(",")}]`;
}

const quotedNames = new WeakMap<Schema, readonly string[]>();

function namesOf(schema: Schema, fields: readonly Field[]): readonly string[] {
  let names = quotedNames.get(schema);
  if (names === undefined) {
    names = fields.map((field) => `${jsonString(field.name)}:`);
    quotedNames.set(schema, names);
  }
  return names;
}

function writeStruct(schema: Schema, value: unknown, options: ValueWriterOptions): string | undefined {
  if (!(value instanceof Struct)) return invalid(schema, value);
  if (value.schema !== schema && !schemaShapeEquals(value.schema, schema)) return fail("Mismatching schema.");
  const fields = schema.fields ?? [];
  const slots = value.schema === schema ? structSlots(value) : undefined;
  const withDefault = !options.ignoreDefaultForNullables;
  if (isUnionSchema(schema)) {
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i] as Field;
      const item = slots
        ? (slots[i] ?? (withDefault ? field.schema.defaultValue : null))
        : withDefault
          ? value.get(field.name)
          : value.getWithoutDefault(field.name);
      if (item !== null && item !== undefined) {
        try {
          return writeValue(field.schema, item, options);
        } catch (error) {
          addStep(error, fieldStep(field.name));
        }
      }
    }
    return writeValue(schema, null, options);
  }
  const names = namesOf(schema, fields);
  let out = "";
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i] as Field;
    const item = slots
      ? (slots[i] ?? (withDefault ? field.schema.defaultValue : null))
      : withDefault
        ? value.get(field.name)
        : value.getWithoutDefault(field.name);
    let json: string | undefined;
    try {
      json = writeValue(field.schema, item, options);
    } catch (error) {
      addStep(error, fieldStep(field.name));
    }
    if (json !== undefined) out += `${out === "" ? "{" : ","}${names[i] as string}${json}`;
  }
  return out === "" ? "{}" : `${out}}`;
}
