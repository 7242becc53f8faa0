/**
 * Kafka Connect's schema model: a value's type, optionality, default and metadata. Schemas are plain immutable
 * objects, so they can be compared structurally and cached by identity; build them with SchemaBuilder or take the
 * shared constants in `Schemas`.
 */

export type SchemaType =
  | "int8"
  | "int16"
  | "int32"
  | "int64"
  | "float32"
  | "float64"
  | "boolean"
  | "string"
  | "bytes"
  | "array"
  | "map"
  | "struct";

export interface Field {
  readonly name: string;
  readonly index: number;
  readonly schema: Schema;
}

export interface Schema {
  readonly type: SchemaType;
  readonly optional: boolean;
  readonly defaultValue?: unknown;
  /** Fully qualified name; logical types are named `org.apache.kafka.connect.data.<Type>`. */
  readonly name?: string;
  readonly version?: number;
  readonly doc?: string;
  readonly parameters?: Readonly<Record<string, string>>;
  /** Struct fields in declaration order. */
  readonly fields?: readonly Field[];
  /** Map key schema. */
  readonly keySchema?: Schema;
  /** Array element schema, or map value schema. */
  readonly valueSchema?: Schema;
}

/** A schema and a value that conforms to it; `schema` is null for schemaless data. */
export interface SchemaAndValue {
  readonly schema: Schema | null;
  readonly value: unknown;
}

export const PRIMITIVE_TYPES: ReadonlySet<SchemaType> = new Set([
  "int8",
  "int16",
  "int32",
  "int64",
  "float32",
  "float64",
  "boolean",
  "string",
  "bytes",
]);

/** Fluent construction, mirroring Kafka's SchemaBuilder. */
export class SchemaBuilder {
  private readonly schema: {
    type: SchemaType;
    optional: boolean;
    defaultValue?: unknown;
    name?: string;
    version?: number;
    doc?: string;
    parameters?: Record<string, string>;
    fields?: Field[];
    keySchema?: Schema;
    valueSchema?: Schema;
  };

  constructor(type: SchemaType) {
    this.schema = { type, optional: false };
  }

  static struct(): SchemaBuilder {
    return new SchemaBuilder("struct");
  }

  static array(valueSchema: Schema): SchemaBuilder {
    const builder = new SchemaBuilder("array");
    builder.schema.valueSchema = valueSchema;
    return builder;
  }

  static map(keySchema: Schema, valueSchema: Schema): SchemaBuilder {
    const builder = new SchemaBuilder("map");
    builder.schema.keySchema = keySchema;
    builder.schema.valueSchema = valueSchema;
    return builder;
  }

  optional(): this {
    this.schema.optional = true;
    return this;
  }

  defaultValue(value: unknown): this {
    this.schema.defaultValue = value;
    return this;
  }

  name(name: string): this {
    this.schema.name = name;
    return this;
  }

  version(version: number): this {
    this.schema.version = version;
    return this;
  }

  doc(doc: string): this {
    this.schema.doc = doc;
    return this;
  }

  parameter(key: string, value: string): this {
    this.schema.parameters = { ...this.schema.parameters, [key]: value };
    return this;
  }

  field(name: string, schema: Schema): this {
    if (this.schema.type !== "struct")
      throw new TypeError(`Cannot add field '${name}' to a ${this.schema.type} schema`);
    this.schema.fields ??= [];
    const fields = this.schema.fields;
    if (fields.some((f) => f.name === name))
      throw new TypeError(`Cannot create field because of field name duplication ${name}`);
    fields.push({ name, index: fields.length, schema });
    return this;
  }

  build(): Schema {
    if (this.schema.type === "struct") this.schema.fields ??= [];
    return Object.freeze({ ...this.schema });
  }
}

function primitive(type: SchemaType, optional: boolean): Schema {
  return Object.freeze({ type, optional });
}

/** Shared schema constants, as Kafka's `Schema.STRING_SCHEMA`, `Schema.OPTIONAL_STRING_SCHEMA`, ... */
export const Schemas = {
  INT8: primitive("int8", false),
  INT16: primitive("int16", false),
  INT32: primitive("int32", false),
  INT64: primitive("int64", false),
  FLOAT32: primitive("float32", false),
  FLOAT64: primitive("float64", false),
  BOOLEAN: primitive("boolean", false),
  STRING: primitive("string", false),
  BYTES: primitive("bytes", false),
  OPTIONAL_INT8: primitive("int8", true),
  OPTIONAL_INT16: primitive("int16", true),
  OPTIONAL_INT32: primitive("int32", true),
  OPTIONAL_INT64: primitive("int64", true),
  OPTIONAL_FLOAT32: primitive("float32", true),
  OPTIONAL_FLOAT64: primitive("float64", true),
  OPTIONAL_BOOLEAN: primitive("boolean", true),
  OPTIONAL_STRING: primitive("string", true),
  OPTIONAL_BYTES: primitive("bytes", true),
} as const;

/** The field of a struct schema with this name, if any. */
export function fieldOf(schema: Schema, name: string): Field | undefined {
  return schema.fields?.find((f) => f.name === name);
}
