import { ConnectDate } from "../../../../api/date.ts";
import { Decimal } from "../../../../api/decimal.ts";
import { DataError } from "../../../../api/errors.ts";
import type { Schema } from "../../../../api/schema.ts";
import { setOwn } from "../../../../api/schemaless-map.ts";
import { Struct } from "../../../../api/struct.ts";
import { Time } from "../../../../api/time.ts";
import { Timestamp } from "../../../../api/timestamp.ts";
import type { AvroDataConfig } from "./avro-data-config.ts";
import type { AvroNode } from "./avro-schema-tree.ts";
import { unionMemberName } from "./union-member-name.ts";

/** No default at all, as opposed to a default of null. */
export const NO_DEFAULT: unique symbol = Symbol("no default");

function toNumber(value: unknown): number {
  if (typeof value === "number") return value;
  if (typeof value === "bigint") return Number(value);
  throw new DataError(`Invalid default: ${String(value)} is not a number`);
}

function latin1Bytes(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xff;
  return bytes;
}

/**
 * AvroData's defaultValueFromAvro: an Avro default (JSON, as the schema holds it) to the Connect value of `schema`,
 * logical types included. Throws a DataError for JSON of the wrong shape (the caller then drops the default).
 */
export function defaultValueFromAvro(schema: Schema, node: AvroNode, value: unknown, config: AvroDataConfig): unknown {
  const plain = withoutLogical(schema, node, value, config);
  if (plain === null) return null;
  switch (schema.name) {
    case Decimal.LOGICAL_NAME:
      if (!(plain instanceof Uint8Array)) throw new DataError("Invalid type for Decimal default");
      return Decimal.toLogical(schema, plain);
    case ConnectDate.LOGICAL_NAME:
      return ConnectDate.toLogical(schema, plain as number);
    case Time.LOGICAL_NAME:
      return Time.toLogical(schema, plain as number);
    case Timestamp.LOGICAL_NAME:
      return Timestamp.toLogical(schema, toNumber(plain));
  }
  return plain;
}

function withoutLogical(schema: Schema, node: AvroNode, value: unknown, config: AvroDataConfig): unknown {
  if (value === null || value === undefined) return null;
  switch (node.type) {
    case "int":
      return Math.trunc(toNumber(value)) | 0;
    case "long": {
      if (typeof value === "bigint") return value;
      const number = Math.trunc(toNumber(value));
      return Number.isSafeInteger(number) ? number : BigInt(number);
    }
    case "float":
      return Math.fround(toNumber(value));
    case "double":
      return toNumber(value);
    case "boolean":
      return value === true;
    case "null":
      return null;
    case "string":
    case "enum":
      return typeof value === "string" ? value : JSON.stringify(value);
    case "bytes":
    case "fixed":
      if (typeof value !== "string") throw new DataError("Invalid binary data in default value");
      return latin1Bytes(value);
    case "array":
      if (!Array.isArray(value)) throw new DataError("Invalid JSON for array default value");
      return value.map((item) =>
        defaultValueFromAvro(schema.valueSchema as Schema, node.items as AvroNode, item, config),
      );
    case "map": {
      if (typeof value !== "object" || Array.isArray(value)) throw new DataError("Invalid JSON for map default value");
      const result: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value as object))
        setOwn(result, key, defaultValueFromAvro(schema.valueSchema as Schema, node.values as AvroNode, item, config));
      return result;
    }
    case "record": {
      if (typeof value !== "object" || Array.isArray(value) || schema.type !== "struct")
        throw new DataError("Invalid JSON for record default value");
      const struct = new Struct(schema);
      for (const avroField of node.fields ?? []) {
        const field = schema.fields?.find((f) => f.name === avroField.name);
        if (!field) throw new DataError(`${avroField.name} is not a valid field name`);
        const json = Object.hasOwn(value, field.name) ? (value as Record<string, unknown>)[field.name] : null;
        struct.put(field.name, defaultValueFromAvro(field.schema, avroField.type, json, config));
      }
      struct.validate();
      return struct;
    }
    case "union": {
      // Avro: a union's default is of its first branch.
      const first = node.branches?.[0];
      if (first === undefined || first.type === "null") return null;
      const member = schema.fields?.find((f) => f.name === unionMemberName(first, 0, config));
      if (!member) throw new DataError("Invalid default for union");
      return defaultValueFromAvro(member.schema, first, value, config);
    }
  }
}
