import { decodeBase64 } from "../../api/base64.ts";
import { ConnectDate } from "../../api/date.ts";
import { Decimal } from "../../api/decimal.ts";
import { DataError } from "../../api/errors.ts";
import { Float64 } from "../../api/java-numbers.ts";
import type { Schema } from "../../api/schema.ts";
import { setOwn } from "../../api/schemaless-map.ts";
import { Struct } from "../../api/struct.ts";
import { Time } from "../../api/time.ts";
import { Timestamp } from "../../api/timestamp.ts";
import { RawNumber } from "./json-parser.ts";

/**
 * Parsed JSON to Connect data, as Kafka's JsonConverter.convertToConnect. Numbers arrive as JS numbers, or as
 * RawNumber when the lossless parser kept digits a number cannot hold. Where Jackson silently coerces a mismatched
 * node (a string read as int32 becomes 0), this throws a DataError instead.
 *
 * Values: int64 is a number within ±(2^53-1) and a bigint beyond; string-keyed maps are plain objects, other maps
 * are Maps; Decimal is a Decimal with the scale of its JSON literal (see `exactDecimals`); Date, Time and Timestamp
 * are Dates. Schemaless numbers are what Kafka makes of them: an integer literal is a Long (a number, or a bigint
 * beyond 2^53), any other a Double, which is a Float64 box when its value is integral (`12.0`, `1e3`), so that it is
 * written back as `12.0` and `1000.0`.
 */

export interface JsonDecodeOptions {
  readonly replaceNullWithDefault: boolean;
  /** Whether RawNumbers may be present (the tree came from the lossless parser). */
  readonly lossless: boolean;
  /**
   * False when the tree's numbers may have lost the literal a Decimal needs (it came from `JSON.parse`, which reads
   * `1.50` as 1.5): a Decimal given a number then throws InexactDecimal, and the caller parses again with
   * `exactNumber` (json-decimal-literals.ts). Left out, a number is taken as an integer literal.
   */
  readonly exactDecimals?: boolean;
  /**
   * For a tree from `JSON.parse` whose text has long integer literals: the literal of an integer a number cannot hold
   * exactly (beyond ±2^53), found in the text by the number it parses to, or undefined when the text does not say
   * (then InexactInteger is thrown and the caller parses losslessly).
   */
  readonly integerLiteral?: (value: number) => string | undefined;
}

/** A Decimal met a number whose literal the tree did not keep; thrown only when `exactDecimals` is false. */
export class InexactDecimal extends Error {}

/** An integer field met a number beyond ±2^53 whose literal `integerLiteral` could not tell. */
export class InexactInteger extends Error {}

/** Jackson's JsonNodeType name of a node, for error messages. */
export function nodeType(node: unknown): string {
  if (node === undefined) return "MISSING";
  if (node === null) return "NULL";
  if (node instanceof RawNumber || typeof node === "number") return "NUMBER";
  if (typeof node === "string") return "STRING";
  if (typeof node === "boolean") return "BOOLEAN";
  return Array.isArray(node) ? "ARRAY" : "OBJECT";
}

function isJsonObject(node: unknown): node is Record<string, unknown> {
  return typeof node === "object" && node !== null && !Array.isArray(node) && !(node instanceof RawNumber);
}

function mismatch(schema: Schema, node: unknown): DataError {
  return new DataError(`Invalid JSON for ${schema.type.toUpperCase()}: found ${nodeType(node)}`);
}

const INT64_LIMIT = 2n ** 63n;

/** An integral value (fractions truncated, as Jackson's intValue/longValue): number when safe, else bigint. */
function integerOf(schema: Schema, node: unknown, options: JsonDecodeOptions): number | bigint {
  if (typeof node === "number" && options.integerLiteral !== undefined && Math.abs(node) > Number.MAX_SAFE_INTEGER) {
    const literal = options.integerLiteral(node);
    if (literal === undefined) throw new InexactInteger();
    node = new RawNumber(literal);
  }
  if (typeof node === "number") {
    if (!Number.isFinite(node)) throw mismatch(schema, node);
    // `+ 0` turns -0 into 0: Java integers have no negative zero.
    const whole = Math.trunc(node) + 0;
    return Number.isSafeInteger(whole) ? whole : BigInt(whole);
  }
  if (!(node instanceof RawNumber)) throw mismatch(schema, node);
  let big: bigint;
  if (node.integral) big = BigInt(node.text);
  else {
    const decimal = Decimal.parse(node.text);
    big =
      decimal.scale >= 0
        ? decimal.unscaled / 10n ** BigInt(decimal.scale)
        : decimal.unscaled * 10n ** BigInt(-decimal.scale);
  }
  return big >= -(2n ** 53n) + 1n && big <= 2n ** 53n - 1n ? Number(big) : big;
}

function boundedInt(schema: Schema, node: unknown, bits: number, options: JsonDecodeOptions): number {
  const value = integerOf(schema, node, options);
  const limit = 2 ** (bits - 1);
  if (typeof value === "bigint" || value < -limit || value >= limit)
    throw new DataError(`Invalid value for ${schema.type.toUpperCase()}: ${String(value)} is out of range`);
  return value;
}

function floatOf(schema: Schema, node: unknown): number {
  // Jackson reads JSON fractions as BigDecimal, which has no negative zero: `-0.0` reads as 0.
  if (typeof node === "number") return node === 0 ? 0 : node;
  if (node instanceof RawNumber) {
    const value = Number(node.text);
    return value === 0 ? 0 : value;
  }
  // Jackson writes NaN and the infinities as strings; read them back as the numbers they stand for.
  if (node === "NaN" || node === "Infinity" || node === "-Infinity") return Number(node);
  throw mismatch(schema, node);
}

function decodeLogical(schema: Schema, node: unknown, options: JsonDecodeOptions): { value: unknown } | undefined {
  switch (schema.name) {
    case Decimal.LOGICAL_NAME: {
      // Kafka's BigDecimal of the literal, whose scale is the literal's, never the schema's (json-decimal-literals.ts):
      // an integer has scale 0, `1.5` scale 1 under a schema of scale 2. A value of another scale is refused only
      // where it is written as BASE64 (Decimal.fromLogical), as in Kafka.
      if (node instanceof RawNumber) return { value: Decimal.parse(node.text) };
      if (typeof node === "number") {
        if (options.exactDecimals === false) throw new InexactDecimal();
        return { value: Number.isInteger(node) ? new Decimal(BigInt(node), 0) : Decimal.parse(String(node)) };
      }
      if (typeof node === "string") {
        try {
          return { value: Decimal.toLogical(schema, decodeBase64(node)) };
        } catch (cause) {
          throw new DataError("Invalid bytes for Decimal field", { cause });
        }
      }
      throw new DataError(
        `Invalid type for Decimal, underlying representation should be numeric or bytes but was ${nodeType(node)}`,
      );
    }
    case ConnectDate.LOGICAL_NAME:
    case Time.LOGICAL_NAME: {
      const kind = schema.name === ConnectDate.LOGICAL_NAME ? "Date" : "Time";
      const days = typeof node === "number" && Number.isInteger(node) && Math.abs(node) < 2 ** 31 ? node : undefined;
      if (days === undefined)
        throw new DataError(
          `Invalid type for ${kind}, underlying representation should be integer but was ${nodeType(node)}`,
        );
      return { value: kind === "Date" ? ConnectDate.toLogical(schema, days) : Time.toLogical(schema, days) };
    }
    case Timestamp.LOGICAL_NAME: {
      const integral = typeof node === "number" ? Number.isInteger(node) : node instanceof RawNumber && node.integral;
      if (!integral)
        throw new DataError(
          `Invalid type for Timestamp, underlying representation should be integral but was ${nodeType(node)}`,
        );
      return { value: new Date(Number(typeof node === "number" ? node : (node as RawNumber).text)) };
    }
  }
  return undefined;
}

/**
 * A schemaless number literal that the lossless parser kept (Kafka's JsonNode to Long or Double): an integer is a
 * Long, beyond 2^53 a bigint; a fraction or exponent is a Double, boxed when integral. A Double has no negative zero
 * here: Jackson reads `-0.0` as a BigDecimal, whose doubleValue is 0.0.
 */
export function schemalessNumber(node: RawNumber): number | bigint | Float64 {
  if (!node.integral) {
    const value = Number(node.text);
    return Number.isInteger(value) ? new Float64(value + 0) : value;
  }
  const big = BigInt(node.text);
  return big >= -(2n ** 53n) + 1n && big <= 2n ** 53n - 1n ? Number(big) : big;
}

/** Schemaless data: JSON as plain JS, with RawNumbers resolved (see schemalessNumber). */
function decodeSchemaless(node: unknown): unknown {
  if (node === undefined || node === null) return null;
  if (node instanceof RawNumber) return schemalessNumber(node);
  if (Array.isArray(node)) return node.map(decodeSchemaless);
  if (typeof node === "object") {
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(node)) setOwn(result, key, decodeSchemaless(item));
    return result;
  }
  return node;
}

/** The Connect value of a JSON node; `schema` null means schemaless. `undefined` stands for a missing node. */
export function decodeJsonValue(schema: Schema | null, node: unknown, options: JsonDecodeOptions): unknown {
  if (schema === null) return options.lossless ? decodeSchemaless(node) : (node ?? null);
  if (node === null || node === undefined) {
    const fallback = schema.defaultValue;
    if (fallback !== undefined && fallback !== null && options.replaceNullWithDefault) return fallback;
    if (schema.optional) return null;
    throw new DataError(`Invalid null value for required ${schema.type.toUpperCase()} field`);
  }
  if (schema.name !== undefined) {
    const logical = decodeLogical(schema, node, options);
    if (logical) return logical.value;
  }
  switch (schema.type) {
    case "boolean":
      if (typeof node !== "boolean") throw mismatch(schema, node);
      return node;
    case "int8":
      return boundedInt(schema, node, 8, options);
    case "int16":
      return boundedInt(schema, node, 16, options);
    case "int32":
      return boundedInt(schema, node, 32, options);
    case "int64": {
      const value = integerOf(schema, node, options);
      if (typeof value === "bigint" && (value < -INT64_LIMIT || value >= INT64_LIMIT))
        throw new DataError(`Invalid value for INT64: ${value} is out of range`);
      return value;
    }
    case "float32":
    case "float64":
      return floatOf(schema, node);
    case "string":
      if (typeof node !== "string") throw mismatch(schema, node);
      return node;
    case "bytes":
      if (typeof node !== "string") throw mismatch(schema, node);
      try {
        return decodeBase64(node);
      } catch (cause) {
        throw new DataError("Invalid bytes field", { cause });
      }
    case "array": {
      if (!Array.isArray(node)) throw mismatch(schema, node);
      const itemSchema = schema.valueSchema ?? null;
      return node.map((item) => decodeJsonValue(itemSchema, item, options));
    }
    case "map":
      return decodeMap(schema, node, options);
    case "struct": {
      if (!isJsonObject(node))
        throw new DataError(`Structs should be encoded as JSON objects, but found ${nodeType(node)}`);
      const struct = new Struct(schema);
      for (const field of schema.fields ?? []) {
        const item = Object.hasOwn(node, field.name) ? node[field.name] : undefined;
        struct.put(field.name, decodeJsonValue(field.schema, item, options));
      }
      return struct;
    }
  }
}

function decodeMap(schema: Schema, node: unknown, options: JsonDecodeOptions): unknown {
  const keySchema = schema.keySchema ?? null;
  const valueSchema = schema.valueSchema ?? null;
  if (keySchema === null || keySchema.type === "string") {
    if (!isJsonObject(node))
      throw new DataError(`Maps with string fields should be encoded as JSON objects, but found ${nodeType(node)}`);
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(node)) setOwn(result, key, decodeJsonValue(valueSchema, item, options));
    return result;
  }
  if (!Array.isArray(node))
    throw new DataError(
      `Maps with non-string fields should be encoded as JSON array of tuples, but found ${nodeType(node)}`,
    );
  const result = new Map<unknown, unknown>();
  for (const entry of node) {
    if (!Array.isArray(entry))
      throw new DataError(`Found invalid map entry instead of array tuple: ${nodeType(entry)}`);
    if (entry.length !== 2)
      throw new DataError(`Found invalid map entry, expected length 2 but found :${entry.length}`);
    result.set(decodeJsonValue(keySchema, entry[0], options), decodeJsonValue(valueSchema, entry[1], options));
  }
  return result;
}
