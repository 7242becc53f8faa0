import { expect, test } from "bun:test";
import fc from "fast-check";
import { ConnectDate } from "../../../../../src/api/date.ts";
import { Decimal } from "../../../../../src/api/decimal.ts";
import type { Schema, SchemaType } from "../../../../../src/api/schema.ts";
import { SchemaBuilder, Schemas } from "../../../../../src/api/schema.ts";
import { Struct } from "../../../../../src/api/struct.ts";
import { Time } from "../../../../../src/api/time.ts";
import { Timestamp } from "../../../../../src/api/timestamp.ts";
import { createJsonSchemaFormat } from "../../../../../src/data/converters/schema-registry/json-schema/json-schema-format.ts";

/**
 * Connect → JSON Schema → Connect is the identity for the schemas Confluent's JsonSchemaConverter generates (every
 * type, logical types, names, docs, versions, parameters, optionality, field order, nesting), and data written with
 * a schema reads back equal through the registered text.
 */

const ENUM = "io.confluent.connect.json.Enum";
const PRIMITIVES: SchemaType[] = [
  "int8",
  "int16",
  "int32",
  "int64",
  "float32",
  "float64",
  "boolean",
  "string",
  "bytes",
];

const decorate = (builder: SchemaBuilder) =>
  fc
    .record({
      optional: fc.boolean(),
      name: fc.option(fc.constantFrom("com.example.Thing", "Rec", "a.b.C"), { nil: undefined }),
      doc: fc.option(fc.string({ maxLength: 8 }), { nil: undefined }),
      version: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }),
      parameters: fc.option(
        fc.dictionary(fc.constantFrom("p", "q", "connect.x"), fc.string({ maxLength: 4 }), { minKeys: 1 }),
        {
          nil: undefined,
        },
      ),
    })
    .map(({ optional, name, doc, version, parameters }) => {
      if (optional) builder.optional();
      if (name !== undefined && builder.build().name === undefined) builder.name(name);
      if (doc !== undefined) builder.doc(doc);
      if (version !== undefined && builder.build().version === undefined) builder.version(version);
      for (const [key, value] of Object.entries(parameters ?? {})) builder.parameter(key, value);
      return builder.build();
    });

const leaf: fc.Arbitrary<Schema> = fc.oneof(
  fc.constantFrom(...PRIMITIVES).chain((type) => decorate(new SchemaBuilder(type))),
  fc.integer({ min: -3, max: 6 }).chain((scale) => decorate(Decimal.builder(scale))),
  fc.constantFrom(ConnectDate, Time, Timestamp).chain((logical) => decorate(logical.builder())),
  fc
    .tuple(fc.uniqueArray(fc.constantFrom("one", "two", "three"), { minLength: 1 }), fc.boolean())
    .chain(([names, withNull]) => {
      const symbols = withNull ? [...names, "<NULL>"] : names;
      const builder = new SchemaBuilder("string").parameter(ENUM, "");
      for (const symbol of symbols) builder.parameter(`${ENUM}.${symbol}`, symbol);
      return decorate(builder);
    }),
);

const { schema: anySchema } = fc.letrec<{ schema: Schema; struct: Schema }>((tie) => ({
  schema: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leaf,
    leaf,
    tie("schema").chain((items) => decorate(SchemaBuilder.array(items))),
    fc
      .tuple(
        fc.constantFrom(Schemas.STRING, Schemas.OPTIONAL_STRING, Schemas.INT32, Schemas.OPTIONAL_INT64),
        tie("schema"),
      )
      .chain(([key, value]) => decorate(SchemaBuilder.map(key, value))),
    tie("struct"),
  ),
  struct: fc
    .uniqueArray(fc.string({ minLength: 1, maxLength: 6 }), { maxLength: 5 })
    .chain((names) => fc.tuple(fc.constant(names), fc.tuple(...names.map(() => tie("schema")))))
    .chain(([names, schemas]) => {
      const builder = SchemaBuilder.struct();
      names.forEach((name, i) => {
        builder.field(name, schemas[i] as Schema);
      });
      return decorate(builder);
    }),
}));

function nonNegativeZero(value: number): number {
  return value === 0 ? 0 : value;
}

/** Values as the reader gives them back (int64 a bigint only beyond 2^53, floats without -0 or infinities). */
function connectValue(schema: Schema): fc.Arbitrary<unknown> {
  const inner = requiredValueOf(schema);
  return schema.optional ? fc.option(inner, { nil: null }) : inner;
}

function requiredValueOf(schema: Schema): fc.Arbitrary<unknown> {
  switch (schema.name) {
    case Decimal.LOGICAL_NAME: {
      const scale = Number(schema.parameters?.scale);
      return fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }).map((unscaled) => new Decimal(unscaled, scale));
    }
    case ConnectDate.LOGICAL_NAME:
      return fc.integer({ min: -100_000, max: 100_000 }).map((days) => new Date(days * 86_400_000));
    case Time.LOGICAL_NAME:
      return fc.integer({ min: 0, max: 86_399_999 }).map((ms) => new Date(ms));
    case Timestamp.LOGICAL_NAME:
      return fc.integer({ min: -(2 ** 45), max: 2 ** 45 }).map((ms) => new Date(ms));
  }
  if (schema.parameters?.[ENUM] !== undefined)
    return fc.constantFrom(
      ...Object.keys(schema.parameters)
        .filter((k) => k.startsWith(`${ENUM}.`) && !k.endsWith("<NULL>"))
        .map((k) => k.slice(ENUM.length + 1)),
    );
  switch (schema.type) {
    case "int8":
      return fc.integer({ min: -128, max: 127 });
    case "int16":
      return fc.integer({ min: -32768, max: 32767 });
    case "int32":
      return fc.integer();
    case "int64":
      return fc
        .bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })
        .map((big) => (big >= -(2n ** 53n) + 1n && big <= 2n ** 53n - 1n ? Number(big) : big));
    case "float32":
      return fc.float({ noNaN: true, noDefaultInfinity: true }).map(nonNegativeZero);
    case "float64":
      return fc.double({ noNaN: true, noDefaultInfinity: true }).map(nonNegativeZero);
    case "boolean":
      return fc.boolean();
    case "string":
      return fc.string({ unit: "binary", maxLength: 6 });
    case "bytes":
      return fc.uint8Array({ maxLength: 6 });
    case "array":
      return fc.array(connectValue(schema.valueSchema as Schema), { maxLength: 3 });
    case "map": {
      const key = schema.keySchema as Schema;
      const value = connectValue(schema.valueSchema as Schema);
      if (key.type === "string" && !key.optional)
        return fc.dictionary(fc.string({ maxLength: 4 }), value, { maxKeys: 3 });
      return fc.array(fc.tuple(connectValue(key), value), { maxLength: 3 }).map((entries) => new Map(entries));
    }
    case "struct": {
      const fields = schema.fields ?? [];
      return fc.tuple(...fields.map((field) => connectValue(field.schema))).map((values) => {
        const struct = new Struct(schema);
        fields.forEach((field, i) => {
          if (values[i] !== null) struct.put(field.name, values[i]);
        });
        return struct;
      });
    }
  }
}

/** Structs as plain field maps, so that values of equal schemas compare equal. */
function plain(value: unknown): unknown {
  if (value instanceof Struct)
    return Object.fromEntries((value.schema.fields ?? []).map((f) => [f.name, plain(value.get(f.name))]));
  if (Array.isArray(value)) return value.map(plain);
  if (value instanceof Map) return new Map([...value].map(([k, v]) => [plain(k), plain(v)]));
  if (value instanceof Date || value instanceof Uint8Array || value instanceof Decimal) return value;
  if (typeof value === "object" && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

test("Connect → JSON Schema → Connect is the identity for generated schemas", () => {
  const format = createJsonSchemaFormat({});
  fc.assert(
    fc.property(anySchema, (schema) => {
      const derived = format.fromConnectSchema(schema);
      expect(format.parse(derived.registry).connectSchema()).toEqual(schema);
    }),
    { numRuns: 300 },
  );
});

function valuesReadBackEqual(configs: Record<string, string>, skip: (document: string) => boolean = () => false): void {
  const format = createJsonSchemaFormat(configs);
  fc.assert(
    fc.property(
      anySchema.chain((schema) => fc.tuple(fc.constant(schema), connectValue(schema))),
      ([schema, value]) => {
        const derived = format.fromConnectSchema(schema);
        fc.pre(!skip(derived.registry.schema));
        const body = format.serializeOrNull(derived, schema, value);
        if (body === null) return;
        const back = format.deserialize(format.parse(derived.registry), body).value;
        expect(plain(back)).toEqual(plain(value));
      },
    ),
    { numRuns: 300 },
  );
}

test("values written with a schema read back equal", () => {
  valuesReadBackEqual({});
});

test("values written with a schema read back equal with decimal.format=NUMERIC", () => {
  valuesReadBackEqual({ "decimal.format": "NUMERIC" });
});

test("the generated documents accept the values written with them (json.fail.invalid.schema)", () => {
  // An optional enum with a null symbol is a oneOf whose two branches both take null: everit refuses that too.
  valuesReadBackEqual({ "json.fail.invalid.schema": "true" }, (document) => document.includes('"enum":[null'));
});
