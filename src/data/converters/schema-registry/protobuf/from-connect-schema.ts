import { ConnectDate } from "../../../../api/date.ts";
import { Decimal } from "../../../../api/decimal.ts";
import { DataError } from "../../../../api/errors.ts";
import type { Schema } from "../../../../api/schema.ts";
import { Time } from "../../../../api/time.ts";
import { Timestamp } from "../../../../api/timestamp.ts";
import { WRAPPER_TYPES, WRAPPERS_FILE } from "./bundled-protos.ts";
import {
  CONNECT_PRECISION_PROP,
  CONNECT_TYPE_PROP,
  DATE_TYPE,
  DECIMAL_TYPE,
  DEFAULT_SCHEMA_NAME,
  GENERALIZED_TYPE_ENUM,
  GENERALIZED_TYPE_UNION,
  PROTOBUF_TYPE_ENUM,
  PROTOBUF_TYPE_PROP,
  PROTOBUF_TYPE_TAG,
  PROTOBUF_TYPE_UNION,
  PROTOBUF_TYPE_UNION_PREFIX,
  PROTOBUF_TYPE_WRAPPER,
  scrubName,
  TIME_TYPE,
  TIMESTAMP_TYPE,
  TYPE_LOCATIONS,
  toMapEntryName,
} from "./connect-names.ts";
import type { ProtoEnum, ProtoField, ProtoFile, ProtoMessage } from "./proto-file.ts";
import { newMessage } from "./proto-file.ts";
import type { ProtobufDataSettings } from "./protobuf-data-config.ts";

/** The .proto file ProtobufData derives for a Connect schema, and the full name of the message a value is. */
export interface DerivedProto {
  readonly file: ProtoFile;
  readonly messageName: string;
}

type Settings = Pick<
  ProtobufDataSettings,
  "scrubInvalidNames" | "optionalForNullables" | "wrapperForNullables" | "generalizedSumTypeSupport"
>;

export function isUnionSchema(schema: Schema): boolean {
  return (
    (schema.name?.startsWith(PROTOBUF_TYPE_UNION) ?? false) ||
    (schema.type === "struct" && schema.parameters?.[GENERALIZED_TYPE_UNION] !== undefined)
  );
}

/** Confluent's splitName: a dotted name to its (scrubbed) namespace and last part. */
export function splitName(fullName: string, scrub: boolean): [string | null, string] {
  const parts = fullName.split(".").map((part) => (scrub ? scrubName(part) : part));
  if (parts.length <= 1) return [null, parts[0] ?? fullName];
  return [parts.slice(0, -1).join("."), parts[parts.length - 1] as string];
}

/** ProtobufData.fromConnectSchema: the file Confluent generates (proto3, one top-level message). */
export function protoFromConnectSchema(schema: Schema, settings: Settings): DerivedProto {
  if (schema.type !== "struct") return rootWrapper(schema);
  return new Builder(settings).file(schema);
}

function rootWrapper(schema: Schema): DerivedProto {
  const wrapper: Readonly<Record<string, string>> = {
    int8: "Int32Value",
    int16: "Int32Value",
    int32: "Int32Value",
    int64: "Int64Value",
    float32: "FloatValue",
    float64: "DoubleValue",
    boolean: "BoolValue",
    string: "StringValue",
    bytes: "BytesValue",
  };
  const name = wrapper[schema.type];
  if (name === undefined) throw new DataError(`Unsupported root schema of type ${schema.type.toUpperCase()}`);
  if (!WRAPPER_TYPES.some(([n]) => n === name)) throw new DataError(`No wrapper for ${schema.type}`);
  return { file: WRAPPERS_FILE, messageName: `google.protobuf.${name}` };
}

class Builder {
  private nameIndex = 0;
  private readonly children = new Map<ProtoMessage, Set<string>>();
  private readonly imports: string[] = [];

  constructor(private readonly settings: Settings) {}

  file(schema: Schema): DerivedProto {
    const [namespace, name] = splitName(this.nameOrDefault(schema.name), this.settings.scrubInvalidNames);
    const message = this.message(name, schema);
    const file: ProtoFile = { packageName: namespace, imports: this.imports, options: [], messages: [message] };
    return { file, messageName: namespace === null ? name : `${namespace}.${name}` };
  }

  private scrub(name: string): string {
    return this.settings.scrubInvalidNames ? scrubName(name) : name;
  }

  private nameOrDefault(name: string | undefined): string {
    return name !== undefined && name.length > 0 ? name : `${DEFAULT_SCHEMA_NAME}${++this.nameIndex}`;
  }

  private unqualified(name: string | undefined): string {
    const full = this.nameOrDefault(name);
    return this.scrub(full.slice(full.lastIndexOf(".") + 1));
  }

  private message(name: string, schema: Schema): ProtoMessage {
    const message = newMessage(name);
    let index = 1;
    for (const field of schema.fields ?? []) {
      const tagParam = field.schema.parameters?.[PROTOBUF_TYPE_TAG];
      const tag = tagParam !== undefined ? Number.parseInt(tagParam, 10) : index++;
      const definition = this.field(message, field.schema, this.scrub(field.name), tag, false);
      if (definition !== null) message.fields.push(definition);
    }
    return message;
  }

  private label(schema: Schema): ProtoField["label"] {
    if (schema.type === "array" || schema.type === "map") return "repeated";
    return this.settings.optionalForNullables && schema.optional ? "optional" : undefined;
  }

  private field(
    message: ProtoMessage,
    declared: Schema,
    name: string,
    tag: number,
    oneofMember: boolean,
  ): ProtoField | null {
    const label = this.label(declared);
    const schema = declared.type === "array" ? (declared.valueSchema as Schema) : declared;
    const params: [string, string][] = [];
    const type = this.dataType(schema, name, params, oneofMember);
    if (schema.type === "struct") {
      if (isUnionSchema(schema)) {
        const unionName = this.settings.generalizedSumTypeSupport
          ? (schema.parameters?.[GENERALIZED_TYPE_UNION] as string)
          : this.unqualified((schema.name ?? "").slice(PROTOBUF_TYPE_UNION_PREFIX.length));
        this.oneof(message, schema, unionName);
        return null;
      }
      const known = this.children.get(message);
      if (message.name !== type && !known?.has(type)) {
        this.children.set(message, (known ?? new Set()).add(type));
        message.messages.push(this.message(type, schema));
      }
    } else if (schema.type === "map") {
      message.messages.push(this.mapEntry(type, schema));
    } else if (isEnumSchema(schema)) {
      const enumName = this.unqualified(schema.name);
      if (!message.enums.some((e) => e.name === enumName)) message.enums.push(this.enumType(enumName, schema));
    } else {
      const location = TYPE_LOCATIONS[type];
      if (location !== undefined && !this.imports.includes(location)) this.imports.push(location);
    }
    return { ...(label === undefined ? {} : { label }), type, name, tag, params };
  }

  private oneof(message: ProtoMessage, union: Schema, name: string): void {
    const oneof = { name, fields: [] as ProtoField[] };
    message.oneofs.push(oneof);
    for (const member of union.fields ?? []) {
      const tagParam = member.schema.parameters?.[PROTOBUF_TYPE_TAG];
      const tag = tagParam !== undefined ? Number.parseInt(tagParam, 10) : 0;
      if (!(tag > 0))
        throw new DataError(`Union member "${member.name}" of "${name}" has no ${PROTOBUF_TYPE_TAG} parameter`);
      const definition = this.field(message, member.schema, this.scrub(member.name), tag, true);
      if (definition !== null) oneof.fields.push(definition);
    }
  }

  private mapEntry(name: string, schema: Schema): ProtoMessage {
    const entry = newMessage(name);
    entry.fields.push(this.field(entry, schema.keySchema as Schema, "key", 1, false) as ProtoField);
    entry.fields.push(this.field(entry, schema.valueSchema as Schema, "value", 2, false) as ProtoField);
    return entry;
  }

  private enumType(name: string, schema: Schema): ProtoEnum {
    const prefix = `${this.settings.generalizedSumTypeSupport ? GENERALIZED_TYPE_ENUM : PROTOBUF_TYPE_ENUM}.`;
    const values: (readonly [string, number])[] = [];
    for (const [key, value] of Object.entries(schema.parameters ?? {}))
      if (key.startsWith(prefix)) values.push([key.slice(prefix.length), Number.parseInt(value, 10)]);
    return { name, values };
  }

  private dataType(schema: Schema, fieldName: string, params: [string, string][], oneofMember: boolean): string {
    const parameters = schema.parameters;
    switch (schema.name) {
      case Decimal.LOGICAL_NAME: {
        const precision = parameters?.[CONNECT_PRECISION_PROP];
        if (precision !== undefined) params.push(["precision", precision]);
        const scale = parameters?.[Decimal.SCALE_FIELD];
        if (scale !== undefined) params.push(["scale", scale]);
        return DECIMAL_TYPE;
      }
      case ConnectDate.LOGICAL_NAME:
        return DATE_TYPE;
      case Time.LOGICAL_NAME:
        return TIME_TYPE;
      case Timestamp.LOGICAL_NAME:
        return TIMESTAMP_TYPE;
    }
    const wrap =
      this.settings.wrapperForNullables &&
      schema.optional &&
      (!oneofMember || parameters?.[PROTOBUF_TYPE_WRAPPER] === "true");
    switch (schema.type) {
      case "int8":
      case "int16":
        params.push([CONNECT_TYPE_PROP, schema.type]);
        return wrap ? "google.protobuf.Int32Value" : "int32";
      case "int32": {
        const enumType = parameters?.[PROTOBUF_TYPE_ENUM];
        if (enumType !== undefined) return enumType;
        return wrap ? "google.protobuf.Int32Value" : (parameters?.[PROTOBUF_TYPE_PROP] ?? "int32");
      }
      case "int64": {
        const type = parameters?.[PROTOBUF_TYPE_PROP] ?? "int64";
        if (!wrap) return type;
        if (type === "uint32" || type === "fixed32") return "google.protobuf.UInt32Value";
        if (type === "uint64" || type === "fixed64") return "google.protobuf.UInt64Value";
        return "google.protobuf.Int64Value";
      }
      case "float32":
        return wrap ? "google.protobuf.FloatValue" : "float";
      case "float64":
        return wrap ? "google.protobuf.DoubleValue" : "double";
      case "boolean":
        return wrap ? "google.protobuf.BoolValue" : "bool";
      case "string": {
        const enumType = parameters?.[GENERALIZED_TYPE_ENUM] ?? parameters?.[PROTOBUF_TYPE_ENUM];
        if (enumType !== undefined) return enumType;
        return wrap ? "google.protobuf.StringValue" : "string";
      }
      case "bytes":
        return wrap ? "google.protobuf.BytesValue" : "bytes";
      case "array":
        throw new DataError(`Array cannot be nested: field "${fieldName}"`);
      case "map":
        return toMapEntryName(this.unqualified(schema.name));
      case "struct": {
        const name = this.unqualified(schema.name);
        // A message type may not share its field's name.
        return name === fieldName ? `${name}Message` : name;
      }
    }
  }
}

export function isEnumSchema(schema: Schema): boolean {
  const parameters = schema.parameters;
  return (
    parameters !== undefined &&
    (parameters[GENERALIZED_TYPE_ENUM] !== undefined || parameters[PROTOBUF_TYPE_ENUM] !== undefined)
  );
}
