import { ConnectDate } from "../../api/date.ts";
import { Decimal } from "../../api/decimal.ts";
import { DataError } from "../../api/errors.ts";
import { Float32, Float64 } from "../../api/java-numbers.ts";
import type { Schema } from "../../api/schema.ts";
import { setOwn } from "../../api/schemaless-map.ts";
import { Struct } from "../../api/struct.ts";
import { Time } from "../../api/time.ts";
import { Timestamp } from "../../api/timestamp.ts";

/**
 * What msgpackr unpacked to Connect data. With a schema, the node is checked against it and converted by a
 * function compiled once per Schema object; integers are accepted in any MessagePack integer width (another writer
 * may use int64 for everything). Without a schema, the tree is fixed up in place: int64 values within ±(2^53-1)
 * become numbers, and values that have no Connect type (msgpackr's Set, RegExp, Error, ... extensions) are errors.
 */

export type Decode = (node: unknown) => unknown;

export interface MessagePackDecodeOptions {
  readonly replaceNullWithDefault: boolean;
}

const SAFE_MIN = -(2n ** 53n) + 1n;
const SAFE_MAX = 2n ** 53n - 1n;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** The MessagePack kind of a node, for error messages. */
export function nodeKind(node: unknown): string {
  if (node === null || node === undefined) return "nil";
  if (typeof node === "number") return Number.isInteger(node) ? "integer" : "float";
  if (typeof node === "bigint") return "integer";
  if (typeof node === "string" || typeof node === "boolean") return typeof node;
  if (node instanceof Uint8Array) return "binary";
  if (Array.isArray(node)) return "array";
  if (node instanceof Date) return "timestamp";
  if (node instanceof Decimal) return "decimal";
  return isMapNode(node) ? "map" : "extension";
}

/** A MessagePack map as msgpackr gives it (mapsAsObjects): a plain object. */
function isMapNode(node: unknown): node is Record<string, unknown> {
  if (typeof node !== "object" || node === null) return false;
  const proto = Object.getPrototypeOf(node);
  return proto === Object.prototype || proto === null;
}

function mismatch(schema: Schema, node: unknown): DataError {
  return new DataError(`Invalid MessagePack for ${schema.type.toUpperCase()}: found ${nodeKind(node)}`);
}

/** An integer node as a number when safe, else a bigint; undefined when the node is not an integer. */
function integerOf(node: unknown): number | bigint | undefined {
  if (typeof node === "number") {
    if (!Number.isInteger(node)) return undefined;
    // `+ 0` turns -0 into 0: Java integers have no negative zero.
    return Number.isSafeInteger(node) ? node + 0 : BigInt(node);
  }
  if (typeof node === "bigint") return node >= SAFE_MIN && node <= SAFE_MAX ? Number(node) : node;
  return undefined;
}

function int(schema: Schema, bits: number): Decode {
  const limit = 2 ** (bits - 1);
  return (node) => {
    const value = integerOf(node);
    if (value === undefined) throw mismatch(schema, node);
    if (typeof value === "bigint" || value < -limit || value >= limit)
      throw new DataError(`Invalid value for ${schema.type.toUpperCase()}: ${String(value)} is out of range`);
    return value;
  };
}

function int64(schema: Schema): Decode {
  return (node) => {
    const value = integerOf(node);
    if (value === undefined) throw mismatch(schema, node);
    if (typeof value === "bigint" && (value < INT64_MIN || value > INT64_MAX))
      throw new DataError(`Invalid value for INT64: ${value} is out of range`);
    return value;
  };
}

function logical(schema: Schema): Decode | undefined {
  switch (schema.name) {
    case Decimal.LOGICAL_NAME:
      return (node) => {
        if (node instanceof Uint8Array) {
          try {
            return Decimal.toLogical(schema, node);
          } catch (cause) {
            throw new DataError("Invalid bytes for Decimal field", { cause });
          }
        }
        // Another writer may send a decimal as a number; keep its digits and take the schema's scale when exact.
        let parsed: Decimal | undefined;
        if (typeof node === "bigint") parsed = new Decimal(node, 0);
        else if (typeof node === "number") parsed = Decimal.fromNumber(node);
        else if (node instanceof Decimal) parsed = node;
        if (parsed === undefined)
          throw new DataError(
            `Invalid type for Decimal, underlying representation should be numeric or bytes but was ${nodeKind(node)}`,
          );
        if (schema.parameters?.[Decimal.SCALE_FIELD] === undefined) return parsed;
        return parsed.withScale(Decimal.scaleOf(schema)) ?? parsed;
      };
    case ConnectDate.LOGICAL_NAME:
    case Time.LOGICAL_NAME:
      return (node) => {
        const value = integerOf(node);
        if (typeof value !== "number" || Math.abs(value) >= 2 ** 31) {
          const kind = schema.name === ConnectDate.LOGICAL_NAME ? "Date" : "Time";
          throw new DataError(
            `Invalid type for ${kind}, underlying representation should be integer but was ${nodeKind(node)}`,
          );
        }
        return schema.name === ConnectDate.LOGICAL_NAME
          ? ConnectDate.toLogical(schema, value)
          : Time.toLogical(schema, value);
      };
    case Timestamp.LOGICAL_NAME:
      return (node) => {
        const value = integerOf(node);
        if (value === undefined)
          throw new DataError(
            `Invalid type for Timestamp, underlying representation should be integral but was ${nodeKind(node)}`,
          );
        return new Date(Number(value));
      };
  }
  return undefined;
}

export class MessagePackDecoder {
  private readonly compiled = new WeakMap<Schema, Decode>();

  constructor(private readonly options: MessagePackDecodeOptions) {}

  /** The Connect value of an unpacked node; `schema` null means schemaless. */
  decode(schema: Schema | null, node: unknown): unknown {
    return schema === null ? decodeSchemaless(node) : this.decoderFor(schema)(node);
  }

  decoderFor(schema: Schema): Decode {
    let decode = this.compiled.get(schema);
    if (decode === undefined) {
      decode = this.withNulls(schema, this.compile(schema));
      this.compiled.set(schema, decode);
    }
    return decode;
  }

  private withNulls(schema: Schema, decode: Decode): Decode {
    const fallback = schema.defaultValue;
    const useDefault = fallback !== undefined && fallback !== null && this.options.replaceNullWithDefault;
    const optional = schema.optional;
    const type = schema.type.toUpperCase();
    return (node) => {
      if (node !== null && node !== undefined) return decode(node);
      if (useDefault) return fallback;
      if (optional) return null;
      throw new DataError(`Invalid null value for required ${type} field`);
    };
  }

  private compile(schema: Schema): Decode {
    const special = schema.name === undefined ? undefined : logical(schema);
    if (special) return special;
    switch (schema.type) {
      case "int8":
        return int(schema, 8);
      case "int16":
        return int(schema, 16);
      case "int32":
        return int(schema, 32);
      case "int64":
        return int64(schema);
      case "float32":
      case "float64": {
        const round = schema.type === "float32" ? Math.fround : (x: number) => x;
        return (node) => {
          if (typeof node === "number") return round(node);
          if (typeof node === "bigint") return round(Number(node));
          throw mismatch(schema, node);
        };
      }
      case "boolean":
        return (node) => {
          if (typeof node !== "boolean") throw mismatch(schema, node);
          return node;
        };
      case "string":
        return (node) => {
          if (typeof node !== "string") throw mismatch(schema, node);
          return node;
        };
      case "bytes":
        return (node) => {
          if (!(node instanceof Uint8Array)) throw mismatch(schema, node);
          return node;
        };
      case "array": {
        const item = this.decoderFor(schema.valueSchema as Schema);
        return (node) => {
          if (!Array.isArray(node)) throw mismatch(schema, node);
          const out = new Array(node.length);
          for (let i = 0; i < node.length; i++) out[i] = item(node[i]);
          return out;
        };
      }
      case "map":
        return this.compileMap(schema);
      case "struct":
        return this.compileStruct(schema);
    }
  }

  private compileMap(schema: Schema): Decode {
    const keySchema = schema.keySchema as Schema;
    const valueDecode = this.decoderFor(schema.valueSchema as Schema);
    if (keySchema.type === "string") {
      return (node) => {
        if (!isMapNode(node))
          throw new DataError(`Maps with string keys should be MessagePack maps, but found ${nodeKind(node)}`);
        const out: Record<string, unknown> = {};
        for (const key in node) if (Object.hasOwn(node, key)) setOwn(out, key, valueDecode(node[key]));
        return out;
      };
    }
    const keyDecode = this.decoderFor(keySchema);
    return (node) => {
      if (!Array.isArray(node))
        throw new DataError(
          `Maps with non-string keys should be MessagePack arrays of [key, value] pairs, but found ${nodeKind(node)}`,
        );
      const out = new Map<unknown, unknown>();
      for (const entry of node) {
        if (!Array.isArray(entry) || entry.length !== 2)
          throw new DataError(`Found invalid map entry instead of a [key, value] pair: ${nodeKind(entry)}`);
        out.set(keyDecode(entry[0]), valueDecode(entry[1]));
      }
      return out;
    };
  }

  private compileStruct(schema: Schema): Decode {
    const fields = (schema.fields ?? []).map((field) => ({
      name: field.name,
      decode: this.decoderFor(field.schema),
      // msgpackr renames a "__proto__" key to "__proto_" to keep it off the prototype chain.
      key: field.name === "__proto__" ? "__proto_" : field.name,
    }));
    return (node) => {
      if (!isMapNode(node))
        throw new DataError(`Structs should be encoded as MessagePack maps, but found ${nodeKind(node)}`);
      const struct = new Struct(schema);
      for (const field of fields) {
        let item = node[field.key];
        // Only own keys count: a missing "toString" must not find Object.prototype's (which is a function).
        if (typeof item === "function") item = undefined;
        struct.put(field.name, field.decode(item));
      }
      return struct;
    };
  }
}

/** Fixes up a schemaless tree from msgpackr in place (it is ours: freshly unpacked) and returns it. */
export function decodeSchemaless(node: unknown): unknown {
  switch (typeof node) {
    case "string":
    case "boolean":
    case "number":
      return node;
    case "bigint":
      return node >= SAFE_MIN && node <= SAFE_MAX ? Number(node) : node;
    case "undefined":
      return null;
    case "object": {
      if (node === null || node instanceof Uint8Array || node instanceof Date || node instanceof Decimal) return node;
      if (node instanceof Float64 || node instanceof Float32) return node;
      if (Array.isArray(node)) {
        for (let i = 0; i < node.length; i++) {
          const item = node[i];
          if (typeof item === "object" || typeof item === "bigint" || item === undefined)
            node[i] = decodeSchemaless(item);
        }
        return node;
      }
      if (isMapNode(node)) {
        for (const key in node) {
          const item = node[key];
          if (typeof item === "object" || typeof item === "bigint" || item === undefined)
            node[key] = decodeSchemaless(item);
        }
        return node;
      }
    }
  }
  throw new DataError(`MessagePack ${nodeKind(node)} of type ${describe(node)} has no Connect type`);
}

function describe(node: unknown): string {
  const name = (node as { constructor?: { name?: string } } | null)?.constructor?.name;
  return name ?? typeof node;
}
