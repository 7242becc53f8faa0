import { decodeBase64 } from "../../../../api/base64.ts";
import { ConnectDate } from "../../../../api/date.ts";
import { Decimal } from "../../../../api/decimal.ts";
import type { Field, Schema } from "../../../../api/schema.ts";
import { setOwn } from "../../../../api/schemaless-map.ts";
import { Time } from "../../../../api/time.ts";
import { Timestamp } from "../../../../api/timestamp.ts";
import { structOf } from "../../../transforms/util/struct-access.ts";
import { nodeType } from "../../json-decode.ts";
import { RawNumber } from "../../json-parser.ts";
import {
  GENERALIZED_TYPE_UNION,
  GENERALIZED_TYPE_UNION_FIELD_PREFIX,
  isUnionSchema,
  JSON_TYPE_ONE_OF,
} from "./connect-names.ts";
import { addStep, fail, fieldStep } from "./path-failure.ts";

/**
 * Parsed JSON to Connect data, as Confluent's JsonSchemaData.toConnectData. The tree is JSON.parse's, or the lossless
 * parser's where numbers must keep their literal (RawNumber: an int64 beyond 2^53, a Decimal's digits, a fraction
 * that a union must tell from an integer). A missing field reads as null (or its default) even when required, as in
 * Confluent; an explicit null for a required field without default is an error. Where Jackson would silently coerce
 * a mismatched node (a string read as int32 becomes 0, 300 read as int8 wraps to 44), this names the path and the
 * mismatch instead. Values: int64 a number within ±(2^53-1) and a bigint beyond, float32 rounded to float32, maps with
 * required string keys plain objects and other maps Maps, Decimal with its literal's scale (NUMERIC) or the schema's
 * (BASE64), Date/Time/Timestamp Dates.
 */

function isJsonObject(node: unknown): node is Record<string, unknown> {
  return typeof node === "object" && node !== null && !Array.isArray(node) && !(node instanceof RawNumber);
}

function isNumber(node: unknown): boolean {
  return typeof node === "number" || node instanceof RawNumber;
}

/** Jackson's isIntegralNumber: an integer literal (a fraction or exponent, `1.0`, makes a BigDecimal). */
function isIntegral(node: unknown): boolean {
  return typeof node === "number" ? Number.isInteger(node) : node instanceof RawNumber && /^-?\d+$/.test(node.text);
}

function mismatch(schema: Schema, node: unknown): never {
  return fail(`expected ${schema.type.toUpperCase()} but found ${nodeType(node)}`);
}

/** Jackson's intValue/longValue: the integral part (truncated), here refused when out of the type's range. */
function integerOf(schema: Schema, node: unknown, bits: number): number | bigint {
  let big: bigint;
  if (typeof node === "number") {
    if (!Number.isFinite(node)) return mismatch(schema, node);
    const whole = Math.trunc(node) + 0;
    if (Number.isSafeInteger(whole) && bits < 64) {
      const limit = 2 ** (bits - 1);
      if (whole < -limit || whole >= limit) return fail(`${whole} is out of range for ${schema.type.toUpperCase()}`);
      return whole;
    }
    big = BigInt(whole);
  } else if (node instanceof RawNumber) {
    const decimal = Decimal.parse(node.text);
    big =
      decimal.scale >= 0
        ? decimal.unscaled / 10n ** BigInt(decimal.scale)
        : decimal.unscaled * 10n ** BigInt(-decimal.scale);
  } else return mismatch(schema, node);
  const limit = 1n << BigInt(bits - 1);
  if (big < -limit || big >= limit) return fail(`${big} is out of range for ${schema.type.toUpperCase()}`);
  return big >= -(2n ** 53n) + 1n && big <= 2n ** 53n - 1n ? Number(big) : big;
}

function floatOf(schema: Schema, node: unknown): number {
  let value: number;
  if (typeof node === "number") value = node;
  else if (node instanceof RawNumber) value = Number(node.text);
  // The writer (as Jackson) puts NaN and the infinities in strings; read them back as what they stand for.
  else if (node === "NaN" || node === "Infinity" || node === "-Infinity") value = Number(node);
  else return mismatch(schema, node);
  return schema.type === "float32" ? Math.fround(value) : value;
}

function decimalOf(node: unknown): Decimal {
  if (node instanceof RawNumber) return Decimal.parse(node.text);
  const value = node as number;
  return Number.isInteger(value) ? new Decimal(BigInt(value), 0) : Decimal.parse(String(value));
}

function readLogical(schema: Schema, node: unknown): { value: unknown } | undefined {
  switch (schema.name) {
    case Decimal.LOGICAL_NAME:
      if (isNumber(node)) return { value: decimalOf(node) };
      if (typeof node === "string") {
        let bytes: Uint8Array;
        try {
          bytes = decodeBase64(node);
        } catch (cause) {
          return fail("Invalid bytes for Decimal field", cause);
        }
        return { value: Decimal.toLogical(schema, bytes) };
      }
      return fail(
        `Invalid type for Decimal, underlying representation should be numeric or bytes but was ${nodeType(node)}`,
      );
    case ConnectDate.LOGICAL_NAME:
    case Time.LOGICAL_NAME: {
      const kind = schema.name === ConnectDate.LOGICAL_NAME ? "Date" : "Time";
      if (typeof node !== "number" || !Number.isInteger(node) || node < -(2 ** 31) || node >= 2 ** 31)
        return fail(`Invalid type for ${kind}, underlying representation should be integer but was ${nodeType(node)}`);
      return { value: kind === "Date" ? ConnectDate.toLogical(schema, node) : Time.toLogical(schema, node) };
    }
    case Timestamp.LOGICAL_NAME:
      if (!isIntegral(node))
        return fail(
          `Invalid type for Timestamp, underlying representation should be integral but was ${nodeType(node)}`,
        );
      return { value: new Date(Number(node instanceof RawNumber ? node.text : node)) };
  }
  return undefined;
}

/** The Connect value of a JSON node under `schema`; `undefined` stands for a missing node. */
export function readValue(schema: Schema, node: unknown): unknown {
  if (node === undefined || node === null) {
    const fallback = schema.defaultValue;
    if (fallback !== undefined && fallback !== null) return fallback;
    if (node === undefined || schema.optional) return null;
    return fail(`Invalid null value for required ${schema.type.toUpperCase()} field`);
  }
  if (schema.name !== undefined) {
    const logical = readLogical(schema, node);
    if (logical !== undefined) return logical.value;
  }
  switch (schema.type) {
    case "boolean":
      return typeof node === "boolean" ? node : mismatch(schema, node);
    case "int8":
      return integerOf(schema, node, 8);
    case "int16":
      return integerOf(schema, node, 16);
    case "int32":
      return integerOf(schema, node, 32);
    case "int64":
      return integerOf(schema, node, 64);
    case "float32":
    case "float64":
      return floatOf(schema, node);
    case "string":
      return typeof node === "string" ? node : mismatch(schema, node);
    case "bytes":
      if (typeof node === "string") {
        try {
          return decodeBase64(node);
        } catch (cause) {
          return fail("Invalid bytes field", cause);
        }
      }
      // Jackson hands a number under a bytes schema over as its BigDecimal.
      return isNumber(node) ? decimalOf(node) : mismatch(schema, node);
    case "array":
      return readArray(schema, node);
    case "map":
      return readMap(schema, node);
    case "struct":
      return isUnionSchema(schema) ? readUnion(schema, node) : readStruct(schema, node);
  }
}

function readArray(schema: Schema, node: unknown): unknown[] {
  if (!Array.isArray(node)) return mismatch(schema, node);
  const items = schema.valueSchema as Schema;
  const out = new Array<unknown>(node.length);
  for (let i = 0; i < node.length; i++) {
    try {
      out[i] = readValue(items, node[i]);
    } catch (error) {
      addStep(error, `[${i}]`);
    }
  }
  return out;
}

function readMap(schema: Schema, node: unknown): unknown {
  const keySchema = schema.keySchema as Schema;
  const valueSchema = schema.valueSchema as Schema;
  if (keySchema.type === "string" && !keySchema.optional) {
    if (!isJsonObject(node))
      return fail(`Maps with string fields should be encoded as JSON objects, but found ${nodeType(node)}`);
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(node)) {
      try {
        setOwn(out, key, readValue(valueSchema, node[key]));
      } catch (error) {
        addStep(error, `[${JSON.stringify(key)}]`);
      }
    }
    return out;
  }
  if (!Array.isArray(node))
    return fail(`Maps with non-string fields should be encoded as JSON array of objects, but found ${nodeType(node)}`);
  const out = new Map<unknown, unknown>();
  for (let i = 0; i < node.length; i++) {
    const entry = node[i];
    try {
      if (!isJsonObject(entry)) return fail(`Found invalid map entry instead of object: ${nodeType(entry)}`);
      const size = Object.keys(entry).length;
      if (size !== 2) return fail(`Found invalid map entry, expected length 2 but found :${size}`);
      out.set(readValue(keySchema, entry.key), readValue(valueSchema, entry.value));
    } catch (error) {
      addStep(error, `[${i}]`);
    }
  }
  return out;
}

function readStruct(schema: Schema, node: unknown): unknown {
  if (!isJsonObject(node)) return fail(`Structs should be encoded as JSON objects, but found ${nodeType(node)}`);
  const fields = schema.fields ?? [];
  const values = new Array<unknown>(fields.length);
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i] as Field;
    try {
      const value = readValue(field.schema, Object.hasOwn(node, field.name) ? node[field.name] : undefined);
      if (value !== null) values[i] = value;
    } catch (error) {
      addStep(error, fieldStep(field.name));
    }
  }
  return structOf(schema, values);
}

/** JsonSchemaData's isInstanceOfSchemaTypeForSimpleSchema: whether a union branch of this type takes the node. */
function takesSimple(schema: Schema, node: unknown): boolean {
  switch (schema.type) {
    case "int8":
    case "int16":
    case "int32":
    case "int64":
      return isIntegral(node);
    case "float32":
    case "float64":
      return isNumber(node);
    case "boolean":
      return typeof node === "boolean";
    case "string":
      return typeof node === "string";
    case "bytes":
      // Jackson's isBinary (never, for parsed text) or isBigDecimal (a fraction or exponent literal).
      return isNumber(node) && !isIntegral(node);
    case "array":
      return Array.isArray(node);
    case "map":
      return isJsonObject(node) || Array.isArray(node);
    case "struct":
      return false;
  }
}

/** JsonSchemaData's matchStructSchema: how many of a struct's fields (at any depth) the object has. */
function structMatch(schema: Schema, node: unknown): number {
  if (schema.type !== "struct" || !isJsonObject(node)) return 0;
  let count = 0;
  for (const field of schema.fields ?? [])
    if (Object.hasOwn(node, field.name)) count += 1 + structMatch(field.schema, node[field.name]);
  return count;
}

function readUnion(schema: Schema, node: unknown): unknown {
  const prefix =
    schema.parameters?.[GENERALIZED_TYPE_UNION] !== undefined
      ? GENERALIZED_TYPE_UNION_FIELD_PREFIX
      : `${JSON_TYPE_ONE_OF}.field.`;
  const fields = schema.fields ?? [];
  let best: Field | undefined;
  let bestCount = 0;
  for (const field of fields) {
    if (takesSimple(field.schema, node)) return unionOf(schema, prefix, field, node);
    const count = structMatch(field.schema, node);
    if (count > bestCount) {
      bestCount = count;
      best = field;
    }
  }
  if (best !== undefined) return unionOf(schema, prefix, best, node);
  return fail("Did not find matching oneof field for data");
}

function unionOf(schema: Schema, prefix: string, field: Field, node: unknown): unknown {
  const fields = schema.fields ?? [];
  const target = fields.findIndex((f) => f.name === `${prefix}${field.index}`);
  if (target < 0) return fail(`${prefix}${field.index} is not a valid field name`);
  const values = new Array<unknown>(fields.length);
  try {
    values[target] = readValue(field.schema, node);
  } catch (error) {
    addStep(error, fieldStep((fields[target] as Field).name));
  }
  return structOf(schema, values);
}
