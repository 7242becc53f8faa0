import protobuf from "protobufjs";
import { ConnectDate } from "../../../../api/date.ts";
import { Decimal, isDecimal } from "../../../../api/decimal.ts";
import { DataError } from "../../../../api/errors.ts";
import type { Schema } from "../../../../api/schema.ts";
import { Struct } from "../../../../api/struct.ts";
import { Time } from "../../../../api/time.ts";
import { Timestamp } from "../../../../api/timestamp.ts";
import { GENERALIZED_TYPE_ENUM, PROTOBUF_TYPE_ENUM, scrubName } from "./connect-names.ts";
import { isUnionSchema } from "./from-connect-schema.ts";
import { dateToMessage, decimalToMessage, timestampToMessage, timeToMessage } from "./logical-values.ts";
import { isWrapperType } from "./to-connect-schema.ts";

/**
 * ProtobufData.fromConnectData: Connect values to the plain objects protobufjs encodes, compiled once per Connect
 * schema and message type into a tree of small functions, so a record only walks its values. A field the message
 * does not have, a value of the wrong kind or an unknown enum symbol is a DataError naming the field.
 */

export interface WriterSettings {
  readonly scrubInvalidNames: boolean;
  readonly ignoreDefaultForNullables: boolean;
  readonly generalizedSumTypeSupport: boolean;
}

type Convert = (value: unknown) => unknown;

/** A bigint as the low and high 32 bits protobufjs writes a 64-bit integer from. */
function longOf(value: bigint): protobuf.Long {
  const bits = BigInt.asUintN(64, value);
  return protobuf.util.LongBits.from({
    low: Number(bits & 0xffffffffn) | 0,
    high: Number(bits >> 32n) | 0,
    unsigned: false,
  } as protobuf.Long).toLong(false);
}

function invalid(schema: Schema, value: unknown, path: string): DataError {
  const kind = value === null ? "null" : value instanceof Object ? value.constructor.name : typeof value;
  return new DataError(`Invalid type for ${schema.type.toUpperCase()}: ${kind} for field "${path}"`);
}

function numberOf(schema: Schema, value: unknown, path: string): number {
  if (typeof value === "number") return value;
  if (value instanceof Object && typeof value.valueOf() === "number") return value.valueOf() as number;
  throw invalid(schema, value, path);
}

function int64Of(schema: Schema, value: unknown, path: string): unknown {
  if (typeof value === "number") {
    if (!Number.isInteger(value)) throw invalid(schema, value, path);
    return value;
  }
  // protobufjs writes 64-bit integers from numbers or Longs, not bigints.
  if (typeof value === "bigint") return longOf(value);
  throw invalid(schema, value, path);
}

const ROOT_LOGICAL: Readonly<Record<string, (schema: Schema, value: never) => unknown>> = {
  [Decimal.LOGICAL_NAME]: Decimal.fromLogical,
  [ConnectDate.LOGICAL_NAME]: ConnectDate.fromLogical,
  [Time.LOGICAL_NAME]: Time.fromLogical,
  [Timestamp.LOGICAL_NAME]: Timestamp.fromLogical,
};

function defaultOf(schema: Schema, name: string): unknown {
  return schema.fields?.find((f) => f.name === name)?.schema.defaultValue ?? null;
}

export class ValueWriter {
  private readonly messages = new Map<protobuf.Type, WeakMap<Schema, (struct: Struct) => Record<string, unknown>>>();

  constructor(private readonly settings: WriterSettings) {}

  /** The converter of a root value of `schema` to a message of `type` (a wrapper for a primitive). */
  root(schema: Schema, type: protobuf.Type): Convert {
    if (schema.type === "struct") return this.message(schema, type, schema.name ?? "value");
    const field = type.fields.value as protobuf.Field;
    const logical = ROOT_LOGICAL[schema.name ?? ""];
    if (logical !== undefined) {
      // A logical type at the root travels in its primitive's wrapper as Connect encodes it (days, millis, the
      // unscaled bytes). Confluent writes the logical message there instead, which no reader can make sense of.
      const primitive = this.scalar({ type: schema.type, optional: schema.optional }, field, "value");
      return (value) => {
        if (!(value instanceof Date) && !isDecimal(value)) throw invalid(schema, value, "value");
        return { value: primitive(logical(schema, value as never)) };
      };
    }
    const inner = this.scalar(schema, field, "value");
    return (value) => ({ value: inner(value) });
  }

  private message(schema: Schema, type: protobuf.Type, path: string): (value: unknown) => Record<string, unknown> {
    let bySchema = this.messages.get(type);
    if (bySchema === undefined) {
      bySchema = new WeakMap();
      this.messages.set(type, bySchema);
    }
    const cached = bySchema.get(schema);
    if (cached) return cached as (value: unknown) => Record<string, unknown>;
    const steps: ((struct: Struct, out: Record<string, unknown>) => void)[] = [];
    const write = (value: unknown) => {
      if (!(value instanceof Struct)) throw invalid(schema, value, path);
      const out: Record<string, unknown> = {};
      for (const step of steps) step(value, out);
      return out;
    };
    bySchema.set(schema, write as (struct: Struct) => Record<string, unknown>);
    // Kafka's Struct.get gives a field's default for a null as well as for an unset value.
    const read = this.settings.ignoreDefaultForNullables
      ? (struct: Struct, name: string) => struct.getWithoutDefault(name)
      : (struct: Struct, name: string) => struct.getWithoutDefault(name) ?? defaultOf(struct.schema, name);
    for (const field of schema.fields ?? []) {
      const fieldPath = `${path}.${field.name}`;
      if (isUnionSchema(field.schema)) {
        const members = (field.schema.fields ?? []).map((member) => {
          const name = this.name(member.name);
          const proto = type.fields[name];
          const convert = proto ? this.field(member.schema, proto, `${fieldPath}.${member.name}`) : undefined;
          return { connectName: member.name, name, convert };
        });
        steps.push((struct, out) => {
          const union = read(struct, field.name);
          if (union === null || union === undefined) return;
          if (!(union instanceof Struct)) throw invalid(field.schema, union, fieldPath);
          for (const member of members) {
            const value = read(union, member.connectName);
            if (value === null || value === undefined) continue;
            if (!member.convert) throw new DataError(`Cannot find field with name ${member.name} in ${type.name}`);
            out[member.name] = member.convert(value);
            return;
          }
          throw new DataError(`Cannot find non-null field in union "${fieldPath}"`);
        });
        continue;
      }
      const name = this.name(field.name);
      const proto = type.fields[name];
      const convert = proto ? this.field(field.schema, proto, fieldPath) : undefined;
      steps.push((struct, out) => {
        const value = read(struct, field.name);
        if (value === null || value === undefined) return;
        if (!convert) throw new DataError(`Cannot find field with name ${name} in ${type.name}`);
        const converted = convert(value);
        if (converted !== undefined) out[name] = converted;
      });
    }
    return write;
  }

  private name(name: string): string {
    return this.settings.scrubInvalidNames ? scrubName(name) : name;
  }

  private field(schema: Schema, proto: protobuf.Field, path: string): Convert {
    if (schema.type === "array") {
      const element = this.scalar(schema.valueSchema as Schema, proto, `${path}[]`);
      return (value) => {
        if (!Array.isArray(value)) throw invalid(schema, value, path);
        // Confluent leaves an empty list out; protobuf cannot tell it from an absent one anyway.
        if (value.length === 0) return undefined;
        return value.map((item) => {
          if (item === null || item === undefined) throw new DataError(`Null element in repeated field "${path}"`);
          return element(item);
        });
      };
    }
    if (schema.type === "map") return this.map(schema, proto, path);
    return this.scalar(schema, proto, path);
  }

  private map(schema: Schema, proto: protobuf.Field, path: string): Convert {
    const entries = (value: unknown): Iterable<[unknown, unknown]> => {
      if (value instanceof Map) return value.entries();
      if (typeof value === "object" && value !== null && !Array.isArray(value)) return Object.entries(value);
      throw invalid(schema, value, path);
    };
    const entryType = proto.resolvedType;
    if (proto instanceof protobuf.MapField) {
      const keyField = new protobuf.Field("key", 1, proto.keyType);
      const key = this.scalar(schema.keySchema as Schema, keyField, `${path}.key`);
      const value = this.scalar(schema.valueSchema as Schema, proto, `${path}.value`);
      return (map) => {
        const out: Record<string, unknown> = {};
        for (const [k, v] of entries(map)) {
          if (v === null || v === undefined) throw new DataError(`Null value in map field "${path}"`);
          out[String(key(k))] = value(v);
        }
        return out;
      };
    }
    if (!(entryType instanceof protobuf.Type)) throw new DataError(`Field "${path}" is not a Protobuf map`);
    const keyProto = entryType.fields.key as protobuf.Field;
    const valueProto = entryType.fields.value as protobuf.Field;
    const key = this.field(schema.keySchema as Schema, keyProto, `${path}.key`);
    const value = this.field(schema.valueSchema as Schema, valueProto, `${path}.value`);
    return (map) => {
      const out: Record<string, unknown>[] = [];
      for (const [k, v] of entries(map)) {
        const entry: Record<string, unknown> = {};
        if (k !== null && k !== undefined) entry.key = key(k);
        if (v !== null && v !== undefined) entry.value = value(v);
        out.push(entry);
      }
      return out;
    };
  }

  private scalar(schema: Schema, proto: protobuf.Field, path: string): Convert {
    switch (schema.name) {
      case Decimal.LOGICAL_NAME:
        return (value) => decimalToMessage(value, path);
      case ConnectDate.LOGICAL_NAME:
        return (value) => dateToMessage(value, path);
      case Time.LOGICAL_NAME:
        return (value) => timeToMessage(value, path);
      case Timestamp.LOGICAL_NAME:
        return (value) => timestampToMessage(value, path);
    }
    const resolved = proto.resolvedType;
    if (schema.type === "struct" || schema.type === "map" || schema.type === "array") {
      if (schema.type === "struct" && resolved instanceof protobuf.Type) return this.message(schema, resolved, path);
      if (schema.type === "map") return this.map(schema, proto, path);
      throw new DataError(`Cannot write a ${schema.type} to Protobuf field "${path}" of type ${proto.type}`);
    }
    const convert = this.primitive(schema, resolved, path);
    if (!isWrapperType(resolved)) return convert;
    return (value) => ({ value: convert(value) });
  }

  private primitive(schema: Schema, resolved: protobuf.ReflectionObject | null, path: string): Convert {
    const enumType = resolved instanceof protobuf.Enum ? resolved : null;
    switch (schema.type) {
      case "int8":
      case "int16":
      case "int32":
        return (value) => {
          const number = numberOf(schema, value, path);
          if (!Number.isInteger(number)) throw invalid(schema, value, path);
          return number;
        };
      case "int64":
        return (value) => int64Of(schema, value, path);
      case "float32":
      case "float64":
        return (value) => numberOf(schema, value, path);
      case "boolean":
        return (value) => {
          if (typeof value !== "boolean") throw invalid(schema, value, path);
          return value;
        };
      case "string": {
        const param = this.settings.generalizedSumTypeSupport ? GENERALIZED_TYPE_ENUM : PROTOBUF_TYPE_ENUM;
        const symbols = schema.parameters;
        return (value) => {
          if (typeof value !== "string") throw invalid(schema, value, path);
          if (enumType === null) return value;
          const tag = symbols?.[`${param}.${value}`] ?? enumType.values[value];
          if (tag === undefined)
            throw new DataError(`Unknown symbol "${value}" of enum ${enumType.name} for field "${path}"`);
          return Number(tag);
        };
      }
      case "bytes":
        return (value) => {
          if (!(value instanceof Uint8Array)) throw invalid(schema, value, path);
          return value;
        };
      default:
        throw new DataError(`Unknown schema type: ${schema.type} for field "${path}"`);
    }
  }
}
