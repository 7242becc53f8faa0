import type avsc from "avsc";
import { ConnectDate } from "../../../../api/date.ts";
import { Decimal } from "../../../../api/decimal.ts";
import { DataError } from "../../../../api/errors.ts";
import type { Schema } from "../../../../api/schema.ts";
import { setOwn } from "../../../../api/schemaless-map.ts";
import { Time } from "../../../../api/time.ts";
import { Timestamp } from "../../../../api/timestamp.ts";
import { structOf } from "../../../transforms/util/struct-access.ts";
import type { AvroDataConfig } from "./avro-data-config.ts";
import { KEY_FIELD, VALUE_FIELD } from "./avro-names.ts";
import type { AvroNode } from "./avro-schema-tree.ts";
import { isMapEntry } from "./avro-to-connect-schema.ts";
import { AvroValueError } from "./avro-value-error.ts";
import { isUnionSchema } from "./connect-schema-kinds.ts";
import { unionMemberName } from "./union-member-name.ts";

/** A compiled conversion of a value avsc read to Connect data. */
export type ToConnect = (value: unknown) => unknown;

type Branch = Record<string, unknown>;

interface RecordType extends avsc.Type {
  readonly fields: { readonly name: string; readonly type: avsc.Type }[];
}

const identity: ToConnect = (value) => value;

function bytesOf(value: unknown): Uint8Array {
  const buffer = value as Buffer;
  // A view of avsc's slice of the body, as a plain Uint8Array: no copy.
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length);
}

/**
 * AvroData's toConnectData, compiled once per writer schema: `schema` is the Connect schema derived from `node`
 * (AvroToConnectSchema), `type` the avsc type compiled from the same schema, so the three walk in step.
 */
export function compileToConnect(schema: Schema, node: AvroNode, type: avsc.Type, config: AvroDataConfig): ToConnect {
  if (node.type === "union") {
    const branches = node.branches ?? [];
    const types = (type as avsc.types.WrappedUnionType).types;
    if (schema.type === "struct" && isUnionSchema(schema) && !(branches.length === 1 && config.flattenSingletonUnions))
      return unionStructReader(schema, node, types, config);
    const readers = new Map<string, ToConnect>();
    branches.forEach((branch, i) => {
      const branchType = types[i] as avsc.Type;
      if (branch.type !== "null")
        readers.set(branchType.branchName as string, compileToConnect(schema, branch, branchType, config));
    });
    // [null, T] and singleton unions: one reader, found by the wrapper's only key.
    const only = readers.size === 1 ? [...readers][0] : undefined;
    if (only !== undefined) {
      const [key, read] = only;
      return (value) => (value === null ? null : read((value as Branch)[key]));
    }
    return (value) => {
      if (value === null) return null;
      const [key] = Object.keys(value as Branch);
      const read = readers.get(key as string);
      if (read === undefined) throw new DataError(`Did not find matching union field for data`);
      return read((value as Branch)[key as string]);
    };
  }
  return compileBare(schema, node, type, config);
}

function unionStructReader(schema: Schema, node: AvroNode, types: avsc.Type[], config: AvroDataConfig): ToConnect {
  const members = new Map<string, { index: number; read: ToConnect }>();
  (node.branches ?? []).forEach((branch, i) => {
    if (branch.type === "null") return;
    const field = schema.fields?.find((f) => f.name === unionMemberName(branch, i, config));
    if (!field) throw new DataError("Did not find matching union field for data");
    const branchType = types[i] as avsc.Type;
    members.set(branchType.branchName as string, {
      index: field.index,
      read: compileToConnect(field.schema, branch, branchType, config),
    });
  });
  const size = schema.fields?.length ?? 0;
  return (value) => {
    if (value === null) return null;
    const [key] = Object.keys(value as Branch);
    const member = members.get(key as string);
    if (member === undefined) throw new DataError("Did not find matching union field for data");
    const values = new Array(size).fill(null);
    values[member.index] = member.read((value as Branch)[key as string]);
    return structOf(schema, values);
  };
}

function compileBare(schema: Schema, node: AvroNode, type: avsc.Type, config: AvroDataConfig): ToConnect {
  switch (schema.name) {
    case Decimal.LOGICAL_NAME:
      return (value) => Decimal.toLogical(schema, bytesOf(value));
    case ConnectDate.LOGICAL_NAME:
      return (value) => ConnectDate.toLogical(schema, value as number);
    case Time.LOGICAL_NAME:
      return (value) => Time.toLogical(schema, value as number);
    case Timestamp.LOGICAL_NAME:
      return (value) => Timestamp.toLogical(schema, Number(value));
  }
  switch (schema.type) {
    case "int8":
      return (value) => ((value as number) << 24) >> 24;
    case "int16":
      return (value) => ((value as number) << 16) >> 16;
    case "bytes":
      return bytesOf;
    case "array": {
      const read = compileToConnect(
        schema.valueSchema as Schema,
        node.items as AvroNode,
        (type as avsc.types.ArrayType).itemsType,
        config,
      );
      return read === identity ? identity : (value) => (value as unknown[]).map(read);
    }
    case "map":
      return mapReader(schema, node, type, config);
    case "struct":
      return structReader(schema, node, type as RecordType, config);
    default:
      return identity;
  }
}

function mapReader(schema: Schema, node: AvroNode, type: avsc.Type, config: AvroDataConfig): ToConnect {
  const valueSchema = schema.valueSchema as Schema;
  if (node.type === "map") {
    const read = compileToConnect(
      valueSchema,
      node.values as AvroNode,
      (type as avsc.types.MapType).valuesType,
      config,
    );
    return (value) => {
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(value as object)) setOwn(out, key, read((value as Branch)[key]));
      return out;
    };
  }
  const entry = node.items as AvroNode;
  if (!isMapEntry(entry)) throw new DataError("Invalid Avro map encoding");
  const entryType = (type as avsc.types.ArrayType).itemsType as RecordType;
  const slot = (name: string) => (entry.fields ?? []).findIndex((f) => f.name === name);
  const [k, v] = [slot(KEY_FIELD), slot(VALUE_FIELD)];
  const readKey = compileToConnect(
    schema.keySchema as Schema,
    entry.fields?.[k]?.type as AvroNode,
    entryType.fields[k]?.type as avsc.Type,
    config,
  );
  const readValue = compileToConnect(
    valueSchema,
    entry.fields?.[v]?.type as AvroNode,
    entryType.fields[v]?.type as avsc.Type,
    config,
  );
  return (value) => {
    const out = new Map<unknown, unknown>();
    for (const item of value as Branch[]) out.set(readKey(item[KEY_FIELD]), readValue(item[VALUE_FIELD]));
    return out;
  };
}

function structReader(schema: Schema, node: AvroNode, type: RecordType, config: AvroDataConfig): ToConnect {
  const avroFields = node.fields ?? [];
  const plan = (schema.fields ?? []).map((field) => {
    const at = avroFields.findIndex((f) => f.name === field.name);
    if (at < 0) throw new DataError(`Avro record ${node.fullName} has no field ${field.name}`);
    const read = compileToConnect(
      field.schema,
      avroFields[at]?.type as AvroNode,
      type.fields[at]?.type as avsc.Type,
      config,
    );
    return { name: field.name, read };
  });
  return (value) => {
    const record = value as Branch;
    const values = new Array(plan.length);
    let i = 0;
    try {
      for (; i < plan.length; i++) {
        const step = plan[i] as (typeof plan)[number];
        values[i] = step.read(record[step.name]);
      }
    } catch (error) {
      throw AvroValueError.at(error, `.${plan[i]?.name}`);
    }
    return structOf(schema, values);
  };
}
