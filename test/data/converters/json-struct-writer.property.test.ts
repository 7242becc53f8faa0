import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { Float32, Float64 } from "../../../src/api/java-numbers.ts";
import type { Schema } from "../../../src/api/schema.ts";
import { SchemaBuilder, Schemas } from "../../../src/api/schema.ts";
import { Struct } from "../../../src/api/struct.ts";
import { JsonConverter } from "../../../src/data/converters/json-converter.ts";
import { parseJsonConverterConfig } from "../../../src/data/converters/json-converter-config.ts";
import { encodeJsonValue } from "../../../src/data/converters/json-encode.ts";
import { RUNS, schemaArbitrary, valueArbitrary } from "./connect-arbitraries.ts";

/**
 * JsonConverter writes Structs with a writer compiled per schema (json-struct-writer.ts); its text encoder
 * (json-encode.ts) is the reference, kept byte-exact to Kafka's by the converter and differential suites. Here the
 * two meet on generated schemas and values, right and wrong: the same bytes, or the same error.
 */

/** Structs of what the writer writes itself, mostly: the primitives, nested structs, arrays; a few others. */
const { struct: plainStructSchema } = fc.letrec<{ struct: Schema; field: Schema }>((tie) => ({
  struct: fc
    .tuple(fc.uniqueArray(fc.string({ maxLength: 4 }), { minLength: 1, maxLength: 5 }), fc.boolean())
    .chain(([names, optional]) =>
      fc.tuple(...names.map(() => tie("field"))).map((schemas) => {
        const builder = SchemaBuilder.struct();
        for (const [i, name] of names.entries()) builder.field(name, schemas[i] as Schema);
        if (optional) builder.optional();
        return builder.build();
      }),
    ),
  field: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    { weight: 8, arbitrary: fc.constantFrom(...Object.values(Schemas)) },
    { weight: 2, arbitrary: tie("struct") },
    { weight: 1, arbitrary: tie("field").map((item) => SchemaBuilder.array(item).build()) },
    { weight: 1, arbitrary: schemaArbitrary },
  ),
}));

const structSchema = fc.oneof(
  plainStructSchema,
  schemaArbitrary
    .map((schema) => (schema.type === "struct" ? schema : SchemaBuilder.struct().field("v", schema).build()))
    .filter((schema) => (schema.fields?.length ?? 0) > 0),
);

/**
 * Values a field should not hold (or holds only sometimes): each writer's way back to the text encoder, and the
 * edges of what it writes itself (integer ranges, ASCII strings with quotes and backslashes).
 */
const junk = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.string({ maxLength: 8 }),
  fc.string({ maxLength: 8, unit: fc.constantFrom("a", '"', "\\", "/", "\u007f", "\t", "\u0000") }),
  fc.integer(),
  fc.constantFrom<unknown>(
    127,
    128,
    -128,
    -129,
    32767,
    32768,
    -32769,
    2 ** 31 - 1,
    2 ** 31,
    -(2 ** 31) - 1,
    2 ** 53,
    null,
    undefined,
    1.5,
    2 ** 40,
    2 ** 60,
    -0,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    "x",
    'quote " and \\ and \u00e9 and \ud83d\ude00',
    true,
    [],
    {},
    new Float64(2),
    new Float32(1.25),
    12n,
    new Uint8Array([1]),
    new Struct(SchemaBuilder.struct().build()),
  ),
);

const LIMITS: Readonly<Record<string, number>> = { int8: 2 ** 7, int16: 2 ** 15, int32: 2 ** 31 };

/**
 * A value of the schema: mostly right (strings of plain ASCII with quotes and backslashes, of control characters,
 * of any code unit; integers up to the edges of their range), now and then null or junk.
 */
function plainValue(schema: Schema): fc.Arbitrary<unknown> {
  let right: fc.Arbitrary<unknown>;
  const limit = LIMITS[schema.type];
  if (schema.name?.startsWith("org.apache.kafka.connect.data.")) return valueArbitrary(schema);
  if (schema.type === "string")
    right = fc.oneof(
      fc.string({ maxLength: 8 }),
      fc.string({ maxLength: 8, unit: fc.constantFrom("a", '"', "\\", "/", "\u007f", "\t", "\u0000", "\u00e9") }),
      fc.string({ maxLength: 4, unit: fc.constantFrom("a", '"') }),
      fc.string({ maxLength: 4, unit: "binary" }),
    );
  else if (limit !== undefined)
    // Just out of range too: the text encoder's error.
    right = fc.oneof(
      fc.integer({ min: -limit, max: limit - 1 }),
      fc.constantFrom(-limit, limit - 1, limit, -limit - 1),
    );
  else if (schema.type === "struct") right = plainStruct(schema);
  else if (schema.type === "array" && schema.valueSchema !== undefined)
    right = fc.array(plainValue(schema.valueSchema), { maxLength: 3 });
  else return valueArbitrary(schema);
  return fc.oneof(
    { weight: 8, arbitrary: right },
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: junk },
  );
}

function plainStruct(schema: Schema): fc.Arbitrary<Struct> {
  const fields = schema.fields ?? [];
  return fc.tuple(...fields.map((field) => plainValue(field.schema))).map((values) => {
    const struct = new Struct(schema);
    for (const [i, field] of fields.entries()) if (values[i] !== undefined) struct.put(field.name, values[i]);
    return struct;
  });
}

const structValue = structSchema.chain((schema) => fc.tuple(fc.constant(schema), plainStruct(schema)));

const settings = fc.record({
  "schemas.enable": fc.constantFrom("true", "false"),
  "decimal.format": fc.constantFrom("BASE64", "NUMERIC"),
  "replace.null.with.default": fc.constantFrom("true", "false"),
});

function outcome(run: () => string): { text?: string; error?: string } {
  try {
    return { text: run() };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

describe("JsonConverter's Struct writer", () => {
  test("writes what the text encoder writes, or fails as it fails", () => {
    const decoder = new TextDecoder();
    fc.assert(
      fc.property(settings, structValue, (props, [schema, value]) => {
        const converter = new JsonConverter();
        converter.configure(props, false);
        const options = parseJsonConverterConfig(props, false);
        const expected = outcome(() => encodeJsonValue(schema, value, options));
        // Twice: the second time with the writer compiled.
        for (let pass = 0; pass < 2; pass++) {
          const actual = outcome(() => decoder.decode(converter.fromConnectData("t", [], schema, value) as Uint8Array));
          if (expected.error !== undefined) {
            expect(actual.error).toBe(expected.error);
            continue;
          }
          if (props["schemas.enable"] === "false") expect(actual.text).toBe(expected.text as string);
          else {
            expect(actual.text?.startsWith('{"schema":')).toBe(true);
            expect(actual.text?.endsWith(`,"payload":${expected.text}}`)).toBe(true);
          }
        }
      }),
      RUNS,
    );
  });

  test("a struct of orders' kind: names, nested structs, arrays of structs, non-ASCII text", () => {
    const item = SchemaBuilder.struct().field("sku", Schemas.STRING).field("price", Schemas.FLOAT64).build();
    const schema = SchemaBuilder.struct()
      .name("Order")
      .field("id", Schemas.INT64)
      .field("name", Schemas.STRING)
      .field("items", SchemaBuilder.array(item).build())
      .field("note", Schemas.OPTIONAL_STRING)
      .field("ok", Schemas.BOOLEAN)
      .build();
    const value = new Struct(schema)
      .put("id", 42)
      .put("name", 'Zoë "Z" \n')
      .put("items", [
        new Struct(item).put("sku", "A").put("price", 5),
        new Struct(item).put("sku", "B").put("price", 0.1),
      ])
      .put("ok", true);
    const converter = new JsonConverter();
    converter.configure({ "schemas.enable": "false" }, false);
    const text = new TextDecoder().decode(converter.fromConnectData("t", [], schema, value) as Uint8Array);
    expect(text).toBe(
      '{"id":42,"name":"Zoë \\"Z\\" \\n","items":[{"sku":"A","price":5.0},{"sku":"B","price":0.1}],"note":null,"ok":true}',
    );
  });

  test("ASCII strings with quotes, backslashes and control characters are escaped as Jackson escapes them", () => {
    const schema = SchemaBuilder.struct().field("s", Schemas.STRING).field("t", Schemas.STRING).build();
    const converter = new JsonConverter();
    converter.configure({ "schemas.enable": "false" }, false);
    const text = (s: string, t: string) =>
      new TextDecoder().decode(
        converter.fromConnectData("t", [], schema, new Struct(schema).put("s", s).put("t", t)) as Uint8Array,
      );
    expect(text('say "hi"', "a\\b")).toBe('{"s":"say \\"hi\\"","t":"a\\\\b"}');
    expect(text("/ \u007f", "tab\there\u0001")).toBe('{"s":"/ \u007f","t":"tab\\there\\u0001"}');
  });

  test("a required field left null fails with the text encoder's message", () => {
    const schema = SchemaBuilder.struct().field("n", Schemas.INT32).build();
    const converter = new JsonConverter();
    converter.configure({ "schemas.enable": "true" }, false);
    expect(() => converter.fromConnectData("t", [], schema, new Struct(schema))).toThrow(
      "Conversion error: null value for field that is required and has no default value",
    );
  });
});
