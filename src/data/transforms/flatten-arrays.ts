import type { Schema } from "../../api/schema.ts";
import { SchemaBuilder } from "../../api/schema.ts";
import { Struct } from "../../api/struct.ts";
import type { FlattenOptions } from "./flatten-common.ts";
import { dataErrorFromBuilder, defaultOf, fieldOf, joinName, unsupportedWithSchema } from "./flatten-common.ts";
import { requireStruct } from "./util/requirements.ts";
import { copySchemaBasics } from "./util/schema-util.ts";
import { structGet, structOf } from "./util/struct-access.ts";

/**
 * Flatten with `flatten.arrays=true` on data with a schema (beyond Kafka). Structs flatten as in Kafka; an array
 * whose elements are primitives, structs or (recursively) such arrays is expanded, element i becoming the field(s)
 * `<field><delimiter><i>`, optional when the array, its element schema or a struct above is optional, with the
 * element schema's default. A null or empty array adds no field. Arrays of maps stay whole, as Kafka keeps every
 * array. Since the fields depend on the array lengths, the output schema is cached per input schema and per
 * sequence of array lengths, so records with the same shape share one schema object.
 */
export class ArrayFlattener {
  private readonly schemas = new WeakMap<Schema, Map<string, Schema>>();

  constructor(private readonly options: FlattenOptions) {}

  apply(schema: Schema, struct: Struct): { schema: Schema; value: Struct } {
    const walk: Walk = { leaves: [], values: [], shape: "" };
    const defaultValue = schema.defaultValue instanceof Struct ? schema.defaultValue : null;
    this.walkStruct(schema, struct, "", schema.optional, defaultValue, walk);
    let bySchema = this.schemas.get(schema);
    if (bySchema === undefined) {
      bySchema = new Map();
      this.schemas.set(schema, bySchema);
    }
    let output = bySchema.get(walk.shape);
    if (output === undefined) {
      output = buildSchema(schema, walk.leaves);
      bySchema.set(walk.shape, output);
    }
    return { schema: output, value: structOf(output, walk.values) };
  }

  private walkStruct(
    schema: Schema,
    struct: Struct | null,
    prefix: string,
    optional: boolean,
    defaultFromParent: Struct | null,
    walk: Walk,
  ): void {
    for (const field of schema.fields ?? []) {
      const name = joinName(prefix, field.name, this.options.delimiter);
      const fieldDefault = defaultOf(field, defaultFromParent);
      const value = struct === null ? null : structGet(struct, fieldOf(struct, field), true);
      this.walkValue(field.schema, value, name, optional || field.schema.optional, fieldDefault, walk);
    }
  }

  private walkValue(
    schema: Schema,
    value: unknown,
    name: string,
    optional: boolean,
    defaultValue: unknown,
    walk: Walk,
  ): void {
    switch (schema.type) {
      case "struct":
        this.walkStruct(
          schema,
          value === null ? null : requireStruct(value, "flattening"),
          name,
          optional,
          defaultValue instanceof Struct ? defaultValue : null,
          walk,
        );
        return;
      case "map":
        throw unsupportedWithSchema(schema.type, name);
      case "array": {
        const elementSchema = schema.valueSchema as Schema;
        if (expandable(elementSchema)) {
          const items = (value ?? []) as readonly unknown[];
          walk.shape += `${items.length},`;
          const elementOptional = optional || schema.optional || elementSchema.optional;
          for (let i = 0; i < items.length; i++) {
            this.walkValue(
              elementSchema,
              items[i] ?? null,
              `${name}${this.options.delimiter}${i}`,
              elementOptional,
              elementSchema.defaultValue ?? null,
              walk,
            );
          }
          return;
        }
        break;
      }
      default:
        break;
    }
    walk.leaves.push({ name, schema, optional, defaultValue });
    walk.values.push(value);
  }
}

interface Leaf {
  readonly name: string;
  readonly schema: Schema;
  readonly optional: boolean;
  readonly defaultValue: unknown;
}

interface Walk {
  readonly leaves: Leaf[];
  readonly values: unknown[];
  /** The array lengths met, in walk order: with the input schema, it determines the output fields. */
  shape: string;
}

/** Whether an array's elements can become fields: anything but maps, at any depth of nested arrays. */
function expandable(elementSchema: Schema): boolean {
  if (elementSchema.type === "map") return false;
  if (elementSchema.type === "array") return expandable(elementSchema.valueSchema as Schema);
  return true;
}

function buildSchema(input: Schema, leaves: readonly Leaf[]): Schema {
  const builder = copySchemaBasics(input, SchemaBuilder.struct());
  try {
    for (const leaf of leaves) {
      const fieldSchema = copySchemaBasics(leaf.schema);
      if (leaf.optional) fieldSchema.optional();
      if (leaf.defaultValue !== null && leaf.defaultValue !== undefined) fieldSchema.defaultValue(leaf.defaultValue);
      builder.field(leaf.name, fieldSchema.build());
    }
    return builder.build();
  } catch (error) {
    throw dataErrorFromBuilder(error);
  }
}
