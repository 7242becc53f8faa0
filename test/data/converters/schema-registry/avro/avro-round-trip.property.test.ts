import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { Float32, Float64 } from "../../../../../src/api/java-numbers.ts";
import { type Schema, SchemaBuilder, Schemas } from "../../../../../src/api/schema.ts";
import { schemaKey } from "../../../../../src/data/converters/schema-registry/avro/avro-schema-key.ts";
import { RUNS, sameSchemaless, sameValue, valueArbitrary } from "../../connect-arbitraries.ts";
import { avroSchema } from "./avro-arbitraries.ts";
import { format, hex } from "./avro-helpers.ts";

/**
 * Connect -> Avro -> Connect is the identity, for generated schemas (every type, logical types, optional, nested
 * structs, arrays, maps with string and other keys) and values of them: the schema read back equals the one
 * written (AvroData with connect.meta.data), and so does the value.
 */

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
