import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { ConnectDate } from "../../../../../src/api/date.ts";
import { Decimal } from "../../../../../src/api/decimal.ts";
import { Float32, Float64 } from "../../../../../src/api/java-numbers.ts";
import { type Field, type Schema, SchemaBuilder, Schemas } from "../../../../../src/api/schema.ts";
import { Time } from "../../../../../src/api/time.ts";
import { Timestamp } from "../../../../../src/api/timestamp.ts";
import { schemaKey } from "../../../../../src/data/converters/schema-registry/avro/avro-schema-key.ts";
import { RUNS, sameSchemaless, sameValue, valueArbitrary } from "../../connect-arbitraries.ts";
import { format, hex } from "./avro-helpers.ts";

/**
 * Connect -> Avro -> Connect is the identity, for generated schemas (every type, logical types, optional, nested
 * structs, arrays, maps with string and other keys) and values of them: the schema read back equals the one
 * written (AvroData with connect.meta.data), and so does the value.
 */

const leaves: Schema[] = [
  Schemas.BOOLEAN,
  Schemas.INT8,
  Schemas.INT16,
  Schemas.INT32,
  Schemas.INT64,
  Schemas.FLOAT32,
  Schemas.FLOAT64,
  Schemas.STRING,
  Schemas.BYTES,
  ConnectDate.SCHEMA,
  Time.SCHEMA,
  Timestamp.SCHEMA,
  Decimal.schema(0),
  Decimal.schema(3),
  Decimal.schema(-2),
  new SchemaBuilder("string").name("ns.Doc").version(3).doc("doc").parameter("k", "v").build(),
];

const avroName = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,5}$/);
const optionalOf = (schema: Schema): Schema => Object.freeze({ ...schema, optional: true });

const { schema: rawSchema } = fc.letrec<{ schema: Schema }>((tie) => ({
  schema: fc
    .tuple(
      fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        fc.constantFrom(...leaves),
        tie("schema").map((item) => SchemaBuilder.array(item).build()),
        fc
          .tuple(fc.constantFrom(Schemas.STRING, Schemas.INT32, Schemas.INT64), tie("schema"))
          .map(([key, value]) => SchemaBuilder.map(key, value).build()),
        fc.tuple(fc.uniqueArray(avroName, { maxLength: 4 }), fc.boolean()).chain(([names, named]) =>
          fc.tuple(...names.map(() => tie("schema"))).map((schemas) => {
            const builder = SchemaBuilder.struct();
            if (named) builder.name("placeholder").version(1).doc("a struct").parameter("p", "q");
            for (const [i, field] of names.entries()) builder.field(field, schemas[i] as Schema);
            return builder.build();
          }),
        ),
      ),
      fc.boolean(),
    )
    .map(([schema, optional]) => (optional ? optionalOf(schema) : schema)),
}));

/** Gives every named struct its own name (Avro refuses two different types of one name). */
function renamed(schema: Schema, counter = { next: 0 }): Schema {
  switch (schema.type) {
    case "array":
      return Object.freeze({ ...schema, valueSchema: renamed(schema.valueSchema as Schema, counter) });
    case "map":
      return Object.freeze({ ...schema, valueSchema: renamed(schema.valueSchema as Schema, counter) });
    case "struct": {
      const fields: Field[] = (schema.fields ?? []).map((f) => ({ ...f, schema: renamed(f.schema, counter) }));
      const name = schema.name === undefined ? undefined : `com.example.S${counter.next++}`;
      return Object.freeze({ ...schema, ...(name ? { name } : {}), fields: Object.freeze(fields) });
    }
    default:
      return schema;
  }
}

/**
 * Whether at most one kind of map with non-string keys occurs: each is an array of records all named
 * io.confluent.connect.avro.MapEntry, and two different ones cannot live in one Avro schema (Confluent's
 * "Can't redefine: io.confluent.connect.avro.MapEntry", tested on its own).
 */
function oneKindOfMapEntry(schema: Schema): boolean {
  const kinds = new Set<string>();
  const walk = (s: Schema): void => {
    if (s.type === "map" && s.keySchema?.type !== "string") kinds.add(schemaKey({ ...s, optional: false }));
    if (s.keySchema) walk(s.keySchema);
    if (s.valueSchema) walk(s.valueSchema);
    for (const f of s.fields ?? []) walk(f.schema);
  };
  walk(schema);
  return kinds.size <= 1;
}

const avroSchema = rawSchema.map((schema) => renamed(schema)).filter(oneKindOfMapEntry);

const schemaAndValue = avroSchema.chain((schema) => fc.tuple(fc.constant(schema), valueArbitrary(schema)));

describe("Avro round trips (property)", () => {
  test("Connect -> Avro -> Connect keeps schema and value", () => {
    const fmt = format();
    fc.assert(
      fc.property(schemaAndValue, ([schema, value]) => {
        const writer = fmt.fromConnectSchema(schema);
        const bytes = fmt.serialize(writer, schema, value);
        const back = fmt.deserialize(writer, bytes);
        expect(schemaKey(back.schema as Schema)).toBe(schemaKey(schema));
        expect(sameValue(schema, value, back.value)).toBe(true);
        // Written again with the schema read back, the bytes are the same.
        expect(hex(fmt.serialize(writer, back.schema, back.value))).toBe(hex(bytes));
      }),
      RUNS,
    );
  });

  test("the Avro schema text derived from a Connect schema reads back as that schema", () => {
    fc.assert(
      fc.property(avroSchema, (schema) => {
        const fmt = format();
        const text = fmt.fromConnectSchema(schema).registry.schema;
        const registry = format().parse({ schemaType: "AVRO", schema: text, references: [] });
        expect(schemaKey(format().connectSchemaOf(registry) as Schema)).toBe(schemaKey(schema));
      }),
      RUNS,
    );
  });

  test("two different maps with non-string keys in one schema are refused, as Avro Java refuses them", () => {
    const schema = SchemaBuilder.struct()
      .field("a", SchemaBuilder.map(Schemas.INT32, Schemas.STRING).build())
      .field("b", SchemaBuilder.map(Schemas.INT64, Schemas.STRING).build())
      .field("c", SchemaBuilder.map(Schemas.INT32, Schemas.STRING).optional().build())
      .build();
    expect(() => format().fromConnectSchema(schema)).toThrow("Can't redefine: io.confluent.connect.avro.MapEntry");
    const same = SchemaBuilder.struct()
      .field("a", SchemaBuilder.map(Schemas.INT32, Schemas.STRING).build())
      .field("c", SchemaBuilder.map(Schemas.INT32, Schemas.STRING).optional().build())
      .build();
    expect(format().fromConnectSchema(same).registry.schema).toContain(
      '"type":["null",{"type":"array","items":"MapEntry"}]',
    );
  });

  test("schemaless values (null schema) survive the Anything record", () => {
    const { value: schemaless } = fc.letrec<{ value: unknown }>((tie) => ({
      value: fc.oneof(
        { depthSize: "small" },
        fc.constant(null),
        fc.boolean(),
        fc.string({ maxLength: 6 }),
        fc.maxSafeInteger(),
        fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).filter((b) => b > 2n ** 53n || b < -(2n ** 53n)),
        fc.double({ noDefaultInfinity: true, noNaN: true }).filter((d) => !Number.isInteger(d)),
        fc.integer({ min: -1000, max: 1000 }).map((i) => new Float64(i)),
        fc.float({ noNaN: true }).map((f) => new Float32(f)),
        fc.uint8Array({ maxLength: 4 }),
        fc.array(tie("value"), { maxLength: 3 }),
        fc.dictionary(fc.string({ maxLength: 4 }), tie("value"), { maxKeys: 3 }),
      ),
    }));
    const fmt = format();
    const writer = fmt.fromConnectSchema(null);
    fc.assert(
      fc.property(schemaless, (value) => {
        const back = fmt.deserialize(writer, fmt.serialize(writer, null, value));
        expect(back.schema).toBeNull();
        expect(sameSchemaless(value, back.value)).toBe(true);
      }),
      RUNS,
    );
  });
});
