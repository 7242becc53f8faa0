import protobuf from "protobufjs";
import { ConnectDate } from "../../../../api/date.ts";
import { Decimal } from "../../../../api/decimal.ts";
import { DataError } from "../../../../api/errors.ts";
import type { Schema } from "../../../../api/schema.ts";
import { Struct } from "../../../../api/struct.ts";
import { Time } from "../../../../api/time.ts";
import { Timestamp } from "../../../../api/timestamp.ts";
import { dateFromMessage, decimalFromMessage, timeFromMessage, timestampFromMessage } from "./logical-values.ts";
import { isSyntheticOneof, realOneofs, unionFieldName } from "./to-connect-schema.ts";

/**
 * ProtobufData.toConnectData: a message protobufjs decoded to a Connect value of the schema derived from its type,
 * compiled once per schema. Presence follows Confluent: a scalar or repeated field is always set (its default when
 * absent), a message or `optional` field only when the body has it (or, with generate.struct.for.nulls, its
 * default message).
 */

export interface ReaderSettings {
  readonly flattenUnions: boolean;
  readonly generateStructForNulls: boolean;
  readonly generateIndexForUnions: boolean;
  readonly optionalForProto2: boolean;
}

type Read = (value: unknown) => unknown;
type Message = Record<string, unknown>;

const SAFE = 2 ** 53 - 1;

/** A 64-bit integer as decoded (a Long, or a number) to Connect's int64: a number when safe, else a bigint. */
export function int64FromWire(value: unknown): number | bigint {
  if (typeof value === "number") return value;
  // A Long (uint64 read as Java's signed long, as Confluent's converter does).
  const { low, high } = value as { low: number; high: number };
  if (high >= -0x200000 && high < 0x200000) {
    const number = (high | 0) * 4294967296 + (low >>> 0);
    if (Math.abs(number) <= SAFE) return number;
  }
  return BigInt.asIntN(64, (BigInt(high >>> 0) << 32n) | BigInt(low >>> 0));
}

function mapKey(keyType: string, key: string): unknown {
  switch (keyType) {
    case "string":
      return key;
    case "bool":
      return key === "true";
    case "int64":
    case "uint64":
    case "sint64":
    case "fixed64":
    case "sfixed64":
      return int64FromWire(protobuf.util.longFromHash(key, keyType === "uint64" || keyType === "fixed64"));
    default:
      return Number(key);
  }
}

export class ValueReader {
  private readonly structs = new WeakMap<Schema, Read>();

  constructor(
    private readonly settings: ReaderSettings,
    private readonly syntax: "proto2" | "proto3",
  ) {}

  root(schema: Schema, type: protobuf.Type): Read {
    if (schema.type === "struct") return this.message(schema, type);
    const field = type.fields.value as protobuf.Field;
    const read = this.value(schema, field);
    return (message) => read((message as Message).value);
  }

  private message(schema: Schema, type: protobuf.Type): Read {
    const cached = this.structs.get(schema);
    if (cached) return cached;
    const steps: ((message: Message, struct: Struct) => void)[] = [];
    const read: Read = (value) => {
      const struct = new Struct(schema);
      for (const step of steps) step(value as Message, struct);
      return struct;
    };
    this.structs.set(schema, read);
    const fieldSchema = (name: string) => {
      const found = schema.fields?.find((f) => f.name === name);
      if (!found) throw new DataError(`Connect schema ${schema.name} has no field ${name}`);
      return found.schema;
    };
    for (const oneof of realOneofs(type)) {
      const members = new Map<string, Read>();
      let unionSchema: Schema | null = null;
      if (!this.settings.flattenUnions) unionSchema = fieldSchema(unionFieldName(type, oneof, this.settings as never));
      for (const member of oneof.fieldsArray) {
        const memberSchema = unionSchema
          ? (unionSchema.fields?.find((f) => f.name === member.name)?.schema as Schema)
          : fieldSchema(member.name);
        members.set(member.name, this.field(memberSchema, member));
      }
      const unionName = unionSchema ? unionFieldName(type, oneof, this.settings as never) : "";
      steps.push((message, struct) => {
        const chosen = message[oneof.name] as string | undefined;
        if (chosen === undefined) return;
        const value = message[chosen];
        if (value === null || value === undefined) return;
        const converted = (members.get(chosen) as Read)(value);
        if (unionSchema === null) {
          struct.put(chosen, converted);
        } else {
          struct.put(unionName, new Struct(unionSchema).put(chosen, converted));
        }
      });
    }
    for (const field of type.fieldsArray) {
      if (field.partOf && !isSyntheticOneof(field.partOf)) continue;
      const read = this.field(fieldSchema(field.name), field);
      const isMessage =
        field.resolvedType instanceof protobuf.Type && !field.repeated && !(field instanceof protobuf.MapField);
      const alwaysSet = !isMessage && !this.isOptional(field);
      const messageType = field.resolvedType instanceof protobuf.Type ? field.resolvedType : null;
      const name = field.name;
      steps.push((message, struct) => {
        if (Object.hasOwn(message, name)) {
          const value = message[name];
          if (value !== null && value !== undefined) struct.put(name, read(value));
        } else if (alwaysSet) {
          struct.put(name, read(message[name]));
        } else if (this.settings.generateStructForNulls && messageType && isMessage) {
          struct.put(name, read(messageType.create()));
        }
      });
    }
    return read;
  }

  private isOptional(field: protobuf.Field): boolean {
    if (field.options?.proto3_optional === true) return true;
    return (
      this.settings.optionalForProto2 && this.syntax === "proto2" && !field.repeated && !field.required && !field.partOf
    );
  }

  private field(schema: Schema, field: protobuf.Field): Read {
    if (field instanceof protobuf.MapField) {
      const value = this.value(schema.valueSchema as Schema, field);
      const stringKeys = (schema.keySchema as Schema).type === "string";
      const keyType = field.keyType;
      return (raw) => {
        const object = raw as Record<string, unknown>;
        if (stringKeys) {
          const out: Record<string, unknown> = {};
          for (const key of Object.keys(object)) out[key] = value(object[key]);
          return out;
        }
        const out = new Map<unknown, unknown>();
        for (const key of Object.keys(object)) out.set(mapKey(keyType, key), value(object[key]));
        return out;
      };
    }
    if (schema.type === "map" && field.resolvedType instanceof protobuf.Type) {
      const entry = field.resolvedType;
      const key = this.field(schema.keySchema as Schema, entry.fields.key as protobuf.Field);
      const value = this.field(schema.valueSchema as Schema, entry.fields.value as protobuf.Field);
      const stringKeys = (schema.keySchema as Schema).type === "string";
      // An entry without its value holds the value's default, as protobuf-java's getField gives it.
      const valueType = entry.fields.value?.resolvedType;
      const absent = valueType instanceof protobuf.Type ? () => value(valueType.create()) : () => null;
      return (raw) => {
        const out = stringKeys ? ({} as Record<string, unknown>) : new Map<unknown, unknown>();
        for (const item of raw as Message[]) {
          const k = key(item.key);
          const v = item.value === null || item.value === undefined ? absent() : value(item.value);
          if (out instanceof Map) out.set(k, v);
          else out[String(k)] = v;
        }
        return out;
      };
    }
    if (schema.type === "array") {
      const element = this.value(schema.valueSchema as Schema, field);
      return (raw) => (raw as unknown[]).map(element);
    }
    return this.value(schema, field);
  }

  private value(schema: Schema, field: protobuf.Field): Read {
    const resolved = field.resolvedType;
    switch (schema.name) {
      case Decimal.LOGICAL_NAME:
        return (raw) => decimalFromMessage(raw as Message);
      case ConnectDate.LOGICAL_NAME:
        return (raw) => dateFromMessage(raw as Message);
      case Time.LOGICAL_NAME:
        return (raw) => timeFromMessage(raw as Message);
      case Timestamp.LOGICAL_NAME:
        return (raw) => {
          const message = raw as Message;
          return timestampFromMessage(Number(int64FromWire(message.seconds ?? 0)), Number(message.nanos ?? 0));
        };
    }
    if (schema.type === "struct" && resolved instanceof protobuf.Type) return this.message(schema, resolved);
    const scalar = this.scalar(schema, resolved instanceof protobuf.Enum ? resolved : null);
    if (!(resolved instanceof protobuf.Type)) return scalar;
    // A wrapper message read as its primitive.
    return (raw) => scalar((raw as Message).value);
  }

  private scalar(schema: Schema, enumType: protobuf.Enum | null): Read {
    switch (schema.type) {
      case "int8":
      case "int16":
      case "int32":
      case "float32":
      case "float64":
        return (raw) => Number(raw ?? 0);
      case "int64":
        return (raw) => {
          if (raw === undefined || raw === null) return 0;
          // uint32 and fixed32 come as numbers already unsigned.
          return int64FromWire(raw);
        };
      case "boolean":
        return (raw) => raw === true;
      case "string":
        // A number the enum does not declare (proto3 enums are open) is named as protobuf-java names it.
        if (enumType !== null)
          return (raw) => enumType.valuesById[raw as number] ?? `UNKNOWN_ENUM_VALUE_${enumType.name}_${raw}`;
        return (raw) => (raw ?? "") as string;
      case "bytes":
        return (raw) => {
          const bytes = (raw ?? new Uint8Array(0)) as Uint8Array;
          // A view of the record's own bytes (protobufjs gives a Buffer): no copy.
          return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
        };
      default:
        throw new DataError(`Unknown Connect schema type: ${schema.type}`);
    }
  }
}
