import protobuf from "protobufjs";
import { ConnectDate } from "../../../../api/date.ts";
import { Decimal } from "../../../../api/decimal.ts";
import { DataError } from "../../../../api/errors.ts";
import type { Schema } from "../../../../api/schema.ts";
import { SchemaBuilder } from "../../../../api/schema.ts";
import { Time } from "../../../../api/time.ts";
import { Timestamp } from "../../../../api/timestamp.ts";
import {
  CONNECT_PRECISION_PROP,
  CONNECT_TYPE_PROP,
  DATE_TYPE,
  DECIMAL_TYPE,
  GENERALIZED_TYPE_ENUM,
  GENERALIZED_TYPE_UNION,
  MAP_ENTRY_SUFFIX,
  PROTOBUF_TYPE_ENUM,
  PROTOBUF_TYPE_PROP,
  PROTOBUF_TYPE_TAG,
  PROTOBUF_TYPE_UNION_PREFIX,
  PROTOBUF_TYPE_WRAPPER,
  TIME_TYPE,
  TIMESTAMP_TYPE,
  toMapFieldName,
  WRAPPER_CONNECT_TYPES,
} from "./connect-names.ts";
import { fullNameOf } from "./parsed-protobuf-schema.ts";
import type { ProtobufDataSettings } from "./protobuf-data-config.ts";

/**
 * ProtobufData.toConnectSchema: a message of a registry schema to the Connect schema its values are read with.
 * Every field is tagged with its number (`io.confluent.connect.protobuf.Tag`) so that writing back gives the same
 * numbers; oneofs become optional structs named `io.confluent.connect.protobuf.Union.<name>` (fields named
 * `<oneof>_<index>`), enums strings (or int32s) with their symbols as parameters, wrappers optional primitives.
 */

type Settings = Omit<ProtobufDataSettings, "schemaCacheSize" | "scrubInvalidNames">;

const INT64_TYPES = new Set(["uint32", "fixed32", "int64", "uint64", "sint64", "fixed64", "sfixed64"]);
const INT32_TYPES = new Set(["int32", "sint32", "sfixed32"]);
const PRIMITIVES: Readonly<Record<string, () => SchemaBuilder>> = {
  float: () => new SchemaBuilder("float32"),
  double: () => new SchemaBuilder("float64"),
  bool: () => new SchemaBuilder("boolean"),
  string: () => new SchemaBuilder("string"),
  bytes: () => new SchemaBuilder("bytes"),
};

/** A oneof that protobufjs made for a proto3 `optional` field: not a union. */
export function isSyntheticOneof(oneof: protobuf.OneOf): boolean {
  const only = oneof.fieldsArray[0];
  return oneof.fieldsArray.length === 1 && only !== undefined && only.options?.proto3_optional === true;
}

/** The oneofs Confluent calls real, in declaration order (their position is the union field's index). */
export function realOneofs(type: protobuf.Type): protobuf.OneOf[] {
  return type.oneofsArray.filter((o) => !isSyntheticOneof(o));
}

/** The `(confluent.field_meta)` params of a field, as protobufjs parsed them. */
export function fieldMetaParams(field: protobuf.Field): Record<string, string> {
  const params: Record<string, string> = {};
  for (const option of field.parsedOptions ?? []) {
    const meta = (option as Record<string, unknown>)["(confluent.field_meta)"] as { params?: unknown } | undefined;
    const list = meta?.params === undefined ? [] : Array.isArray(meta.params) ? meta.params : [meta.params];
    for (const entry of list as { key?: unknown; value?: unknown }[])
      if (entry && entry.key !== undefined) params[String(entry.key)] = String(entry.value ?? "");
  }
  return params;
}

export function unionFieldName(type: protobuf.Type, oneof: protobuf.OneOf, settings: Settings): string {
  return settings.generateIndexForUnions ? `${oneof.name}_${realOneofs(type).indexOf(oneof)}` : oneof.name;
}

export class ConnectSchemaDeriver {
  /**
   * Structs made so far in this derivation, by message. A message met again (a diamond, or a recursive message)
   * refers to the same struct, as Confluent's context does: built before its fields are added, since the builder
   * shares its field list with what it builds, so a recursive message gives a struct that contains itself.
   */
  private readonly structs = new Map<protobuf.Type, Schema>();

  constructor(
    private readonly settings: Settings,
    private readonly syntax: "proto2" | "proto3",
  ) {}

  /** The schema of a message read as a record (the root): a struct, or a primitive for a wrapper. */
  /** The Connect schema of a message at the root; `version` is the registry's, which ProtobufData gives the root. */
  root(type: protobuf.Type, version: number | null = null): Schema {
    this.structs.clear();
    const builder = this.message(type);
    if (version !== null) builder.version(version);
    return builder.build();
  }

  private message(type: protobuf.Type): SchemaBuilder {
    if (this.settings.wrapperForRawPrimitives) {
      const unwrapped = WRAPPER_CONNECT_TYPES[fullNameOf(type)];
      if (unwrapped !== undefined) return new SchemaBuilder(unwrapped);
    }
    const builder = SchemaBuilder.struct().name(this.settings.enhancedSchemaSupport ? fullNameOf(type) : type.name);
    this.structs.set(type, builder.build());
    for (const oneof of realOneofs(type)) {
      if (this.settings.flattenUnions) {
        for (const member of oneof.fieldsArray) builder.field(member.name, this.field(member, true));
      } else {
        builder.field(unionFieldName(type, oneof, this.settings), this.union(type, oneof));
      }
    }
    for (const field of type.fieldsArray) {
      if (field.partOf && !isSyntheticOneof(field.partOf)) continue;
      builder.field(field.name, this.field(field, false));
    }
    return builder;
  }

  private union(type: protobuf.Type, oneof: protobuf.OneOf): Schema {
    const builder = SchemaBuilder.struct();
    if (this.settings.generalizedSumTypeSupport) {
      builder.name(oneof.name).parameter(GENERALIZED_TYPE_UNION, oneof.name);
    } else {
      const name = this.settings.enhancedSchemaSupport ? `${fullNameOf(type)}.${oneof.name}` : oneof.name;
      builder.name(PROTOBUF_TYPE_UNION_PREFIX + name);
    }
    for (const member of oneof.fieldsArray) builder.field(member.name, this.field(member, true));
    return builder.optional().build();
  }

  /** A struct already made, used again by a field: optional (messages always are) and tagged with the field's number. */
  private reference(struct: Schema, field: protobuf.Field): Schema {
    const element = Object.freeze({ ...struct, optional: true });
    const schema = field.repeated ? SchemaBuilder.array(element).optional().build() : element;
    return Object.freeze({ ...schema, parameters: { ...schema.parameters, [PROTOBUF_TYPE_TAG]: String(field.id) } });
  }

  private hasOptionalKeyword(field: protobuf.Field): boolean {
    if (field.options?.proto3_optional === true) return true;
    return (
      this.settings.optionalForProto2 && this.syntax === "proto2" && !field.repeated && !field.required && !field.partOf
    );
  }

  private field(field: protobuf.Field, oneofMember: boolean): Schema {
    const known = field.resolvedType instanceof protobuf.Type ? this.structs.get(field.resolvedType) : undefined;
    if (known !== undefined && !isMapEntry(field.resolvedType as protobuf.Type)) return this.reference(known, field);
    let builder = this.valueBuilder(field);
    const isMap = field instanceof protobuf.MapField || builder.build().type === "map";
    if (field.repeated && !isMap) builder = SchemaBuilder.array(builder.optional().build()).optional();
    if (oneofMember) {
      builder.optional();
      if (this.settings.wrapperForNullables && isWrapperType(field.resolvedType))
        builder.parameter(PROTOBUF_TYPE_WRAPPER, "true");
    } else if (this.settings.optionalForNullables) {
      const proto3Optional = field.options?.proto3_optional === true;
      if (proto3Optional || this.hasOptionalKeyword(field)) builder.optional();
    } else if (!this.settings.wrapperForNullables) {
      builder.optional();
    }
    return builder.parameter(PROTOBUF_TYPE_TAG, String(field.id)).build();
  }

  private valueBuilder(field: protobuf.Field): SchemaBuilder {
    if (field instanceof protobuf.MapField) return this.mapField(field).optional();
    const resolved = field.resolvedType;
    if (resolved instanceof protobuf.Enum) return this.enumType(resolved).optional();
    if (resolved instanceof protobuf.Type) return this.messageField(field, resolved).optional();
    return this.scalar(field.type, field);
  }

  scalar(type: string, field: protobuf.Field | null): SchemaBuilder {
    if (INT32_TYPES.has(type)) {
      const connectType = field === null ? undefined : fieldMetaParams(field)[CONNECT_TYPE_PROP];
      if (connectType === "int8" || connectType === "int16") return new SchemaBuilder(connectType);
      const builder = new SchemaBuilder("int32");
      return type === "int32" ? builder : builder.parameter(PROTOBUF_TYPE_PROP, type);
    }
    if (INT64_TYPES.has(type)) {
      const builder = new SchemaBuilder("int64");
      return type === "int64" ? builder : builder.parameter(PROTOBUF_TYPE_PROP, type);
    }
    const primitive = PRIMITIVES[type];
    if (primitive === undefined) throw new DataError(`Unknown Protobuf type: ${type}`);
    return primitive();
  }

  private enumType(type: protobuf.Enum): SchemaBuilder {
    const builder = new SchemaBuilder(this.settings.intForEnums ? "int32" : "string");
    builder.name(this.settings.enhancedSchemaSupport ? fullNameOf(type) : type.name);
    const param = this.settings.generalizedSumTypeSupport ? GENERALIZED_TYPE_ENUM : PROTOBUF_TYPE_ENUM;
    builder.parameter(param, type.name);
    for (const [symbol, number] of Object.entries(type.values)) builder.parameter(`${param}.${symbol}`, String(number));
    return builder;
  }

  private messageField(field: protobuf.Field, type: protobuf.Type): SchemaBuilder {
    switch (fullNameOf(type)) {
      case DECIMAL_TYPE: {
        const params = fieldMetaParams(field);
        const scale = Number.parseInt(params.scale ?? "0", 10);
        const precision = params.precision === undefined ? Number.NaN : Number.parseInt(params.precision, 10);
        const builder = Decimal.builder(Number.isNaN(scale) ? 0 : scale);
        return Number.isNaN(precision) ? builder : builder.parameter(CONNECT_PRECISION_PROP, String(precision));
      }
      case DATE_TYPE:
        return ConnectDate.builder();
      case TIME_TYPE:
        return Time.builder();
      case TIMESTAMP_TYPE:
        return Timestamp.builder();
    }
    if (field.repeated && isMapEntry(type)) return this.entryMap(type);
    const unwrapped = this.settings.wrapperForNullables ? WRAPPER_CONNECT_TYPES[fullNameOf(type)] : undefined;
    return unwrapped === undefined ? this.message(type) : new SchemaBuilder(unwrapped);
  }

  private entryMap(type: protobuf.Type): SchemaBuilder {
    const [key, value] = type.fieldsArray as [protobuf.Field, protobuf.Field];
    const name = toMapFieldName(this.settings.enhancedSchemaSupport ? fullNameOf(type) : type.name);
    return SchemaBuilder.map(this.field(key, false), this.field(value, false)).name(name);
  }

  private mapField(field: protobuf.MapField): SchemaBuilder {
    // protoc's synthetic entry type for `map<K, V> my_map`: MyMapEntry, with key = 1 and value = 2.
    const entry = `${field.name.replace(/(?:^|_)([a-z0-9])/g, (_m, c: string) => c.toUpperCase())}${MAP_ENTRY_SUFFIX}`;
    const parent = field.parent ? fullNameOf(field.parent) : "";
    const name = toMapFieldName(this.settings.enhancedSchemaSupport && parent ? `${parent}.${entry}` : entry);
    const key = this.entryField(this.scalar(field.keyType, null), 1);
    const value = new protobuf.Field("value", 2, field.type);
    value.resolvedType = field.resolvedType;
    value.parent = field.parent;
    return SchemaBuilder.map(key, this.field(value, false)).name(name);
  }

  private entryField(builder: SchemaBuilder, tag: number): Schema {
    if (!this.settings.optionalForNullables && !this.settings.wrapperForNullables) builder.optional();
    return builder.parameter(PROTOBUF_TYPE_TAG, String(tag)).build();
  }
}

function isMapEntry(type: protobuf.Type): boolean {
  const fields = type.fieldsArray;
  return (
    type.name.endsWith(MAP_ENTRY_SUFFIX) &&
    fields.length === 2 &&
    fields[0]?.name === "key" &&
    fields[1]?.name === "value" &&
    !fields[0].repeated &&
    !fields[1].repeated
  );
}

export function isWrapperType(type: protobuf.ReflectionObject | null): boolean {
  return type instanceof protobuf.Type && WRAPPER_CONNECT_TYPES[fullNameOf(type)] !== undefined;
}
