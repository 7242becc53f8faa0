import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { unpack } from "msgpackr";
import { Float32, Float64 } from "../../../src/api/java-numbers.ts";
import { type Schema, SchemaBuilder, Schemas } from "../../../src/api/schema.ts";
import { Struct } from "../../../src/api/struct.ts";
import { JsonConverter } from "../../../src/data/converters/json-converter.ts";
import { encodeJsonValue, encodeSchemalessWithoutShortcut } from "../../../src/data/converters/json-encode.ts";
import { MessagePackConverter } from "../../../src/data/converters/msgpack-converter.ts";
import { DoubleConverter, FloatConverter, LongConverter } from "../../../src/data/converters/number-converters.ts";
import { SimpleHeaderConverter } from "../../../src/data/converters/simple-header-converter.ts";
import { StringConverter } from "../../../src/data/converters/string-converter.ts";
import { RUNS } from "./connect-arbitraries.ts";

/** Schemaless numbers keep their Java class through the converters: Long, Double (Float64 when whole), Float. */

const text = new TextEncoder();
const utf8 = new TextDecoder();

function json(configs: Record<string, string> = { "schemas.enable": "false" }): JsonConverter {
  const c = new JsonConverter();
  c.configure(configs, false);
  return c;
}
const read = (c: JsonConverter, input: string) => c.toConnectData("t", [], text.encode(input)).value;
const write = (c: JsonConverter, schema: Schema | null, value: unknown) =>
  utf8.decode(c.fromConnectData("t", [], schema, value) ?? new Uint8Array());
const through = (c: JsonConverter, input: string) => write(c, null, read(c, input));

describe("JsonConverter without a schema: numbers as Kafka reads and writes them", () => {
  const c = json();

  test.each([
    ['{"x":12.0}', '{"x":12.0}'],
    ['{"x":12}', '{"x":12}'],
    ['{"x":1.00}', '{"x":1.0}'],
    ['{"x":-0.0}', '{"x":0.0}'],
    ['{"x":-0}', '{"x":0}'],
    ['{"x":1e3}', '{"x":1000.0}'],
    ['{"x":1.5E2}', '{"x":150.0}'],
    ['{"x":1e10}', '{"x":1.0E10}'],
    ['{"x":1e-3}', '{"x":0.001}'],
    ['{"x":12345678.9}', '{"x":1.23456789E7}'],
    ['{"x":0.5}', '{"x":0.5}'],
    ['{"x":1e400}', '{"x":"Infinity"}'],
    ["[1.0, 2, 3.5]", "[1.0,2,3.5]"],
    ["7.0", "7.0"],
    ['{"id":1234567890123456789,"n":12.0}', '{"id":1234567890123456789,"n":12.0}'],
    ['{"s":"not a number: 1.0","n":1}', '{"s":"not a number: 1.0","n":1}'],
  ])("%s is written back as %s", (input, output) => {
    expect(through(c, input)).toBe(output);
  });

  test("an integral double is read as a Float64, anything else as before", () => {
    expect(read(c, '{"a":12.0,"b":12,"c":12.5,"d":-0.0}')).toStrictEqual({
      a: new Float64(12),
      b: 12,
      c: 12.5,
      d: new Float64(0),
    });
  });

  test("a null schema in the envelope is schemaless data, with the same numbers", () => {
    const enveloped = json({});
    expect(read(enveloped, '{"schema":null,"payload":{"x":12.0,"y":2}}')).toStrictEqual({ x: new Float64(12), y: 2 });
    expect(through(enveloped, '{"schema":null,"payload":[1e3]}')).toBe('{"schema":null,"payload":[1000.0]}');
  });

  test("boxes are written as their Java class prints: a Float32 with the float's shortest digits", () => {
    expect(write(c, null, { x: new Float32(79.92), y: new Float32(14815035), z: new Float32(Number.NaN) })).toBe(
      '{"x":79.92,"y":1.4815035E7,"z":"NaN"}',
    );
    expect(write(c, null, new Map<unknown, unknown>([[1, new Float64(2)]]))).toBe("[[1,2.0]]");
  });

  test("the fast path leaves to the exact encoder what JSON.stringify prints otherwise", () => {
    const value = {
      plain: { a: 1, b: [2.5, "x", true, null], c: { d: -7 } },
      tiny: 0.0001,
      huge: 1e21,
      unsafe: 2 ** 60,
      big: 2n ** 62n,
      emoji: "😀",
      control: "\u0001",
      missing: undefined,
      nested: [{ deep: [new Float64(3)] }],
    };
    expect(write(c, null, value)).toBe(
      '{"plain":{"a":1,"b":[2.5,"x",true,null],"c":{"d":-7}},"tiny":1.0E-4,"huge":1.0E21,"unsafe":1.152921504606847E18,' +
        '"big":4611686018427387904,"emoji":"\\uD83D\\uDE00","control":"\\u0001","missing":null,"nested":[{"deep":[3.0]}]}',
    );
  });
});

describe("JsonConverter's JSON.stringify shortcut for schemaless values", () => {
  const anyUnit = fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code));
  const { value: schemaless } = fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      fc.double(),
      fc.maxSafeInteger(),
      fc.integer(),
      fc.double({ min: -1e8, max: 1e8 }),
      fc.double().map((x) => new Float64(x)),
      fc.float().map((x) => new Float32(x)),
      fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
      fc.string({ unit: anyUnit }),
      fc.string({ unit: "binary" }),
      fc.boolean(),
      fc.constant(null),
      fc.constant(undefined),
      fc.array(tie("value"), { maxLength: 4 }),
      fc.dictionary(fc.oneof(fc.string({ unit: anyUnit }), fc.constant("__proto__")), tie("value"), { maxKeys: 4 }),
    ),
  }));
  const options = { decimalFormat: "BASE64", replaceNullWithDefault: true } as const;

  test("writes exactly what the encoder writes without it", () => {
    fc.assert(
      fc.property(schemaless, (value) => {
        expect(encodeJsonValue(null, value, options)).toBe(encodeSchemalessWithoutShortcut(value, options));
      }),
      RUNS,
    );
  });
});

describe("JsonConverter with a schema: boxes are accepted, the schema decides", () => {
  const c = json({});
  const schema = SchemaBuilder.struct().field("f", Schemas.FLOAT32).field("d", Schemas.FLOAT64).build();

  test("a box in a float32 or float64 field", () => {
    const struct = new Struct(schema).put("f", new Float64(2)).put("d", new Float32(0.1));
    expect(write(json(), schema, struct)).toBe('{"f":2.0,"d":0.10000000149011612}');
  });

  test("a box where an integer is expected is refused, as Kafka refuses a Double there", () => {
    expect(() => write(c, Schemas.INT64, new Float64(3))).toThrow("Invalid type for INT64");
  });

  test("reading with a schema gives plain numbers", () => {
    expect(read(c, '{"schema":{"type":"double"},"payload":12.0}')).toBe(12);
  });
});

describe("other converters print and take boxes as Java's Double and Float", () => {
  test("StringConverter writes Java's toString", () => {
    const c = new StringConverter();
    c.configure({}, false);
    const string = (value: unknown) => utf8.decode(c.fromConnectData("t", [], null, value) ?? new Uint8Array());
    expect(string(new Float64(12))).toBe("12.0");
    expect(string(new Float32(79.92))).toBe("79.92");
    expect(string({ price: new Float64(1e10), qty: 2 })).toBe("{price=1.0E10, qty=2}");
  });

  test("SimpleHeaderConverter writes Values.convertToString's text", () => {
    const c = new SimpleHeaderConverter();
    const header = (value: unknown) => utf8.decode(c.fromConnectHeader("t", "h", null, value) ?? new Uint8Array());
    expect(header(new Float64(12))).toBe("12.0");
    expect(header([new Float32(79.92), 1])).toBe("[79.92,1]");
    // Values.parseString reads a whole decimal back as the smallest integer type, in Kafka too.
    expect(c.toConnectHeader("t", "h", text.encode("12.0")).schema).toEqual(Schemas.INT8);
  });

  test("FloatConverter and DoubleConverter take boxes; LongConverter refuses a Double", () => {
    const float = new FloatConverter();
    const double = new DoubleConverter();
    const long = new LongConverter();
    expect(float.toConnectData("t", [], float.fromConnectData("t", [], null, new Float32(79.92))).value).toBe(
      Math.fround(79.92),
    );
    expect(double.toConnectData("t", [], double.fromConnectData("t", [], null, new Float64(12))).value).toBe(12);
    expect(() => long.fromConnectData("t", [], null, new Float64(12))).toThrow("Failed to serialize to long");
  });
});

describe("MessagePackConverter without a schema: Float32 as float 32, Float64 as float 64", () => {
  const c = new MessagePackConverter();
  c.configure({ "schemas.enable": "false" }, false);
  const hex = (bytes: Uint8Array | null) => Buffer.from(bytes ?? new Uint8Array()).toString("hex");

  test("the wire form is a plain MessagePack float that any reader reads as the number", () => {
    expect(hex(c.fromConnectData("t", [], null, new Float32(79.92)))).toBe("ca429fd70a");
    expect(hex(c.fromConnectData("t", [], null, new Float64(12)))).toBe("cb4028000000000000");
    expect(hex(c.fromConnectData("t", [], null, 12))).toBe("0c");
    expect(unpack(c.fromConnectData("t", [], null, { a: new Float64(12) }) as Uint8Array)).toEqual({ a: 12 });
  });

  test("float 32s and whole float 64s read back as boxes, other numbers as before", () => {
    const value = { f: new Float32(79.92), d: new Float64(12), n: 12, x: 0.5, list: [new Float64(-0)] };
    expect(c.toConnectData("t", [], c.fromConnectData("t", [], null, value)).value).toStrictEqual(value);
    const enveloped = new MessagePackConverter();
    enveloped.configure({}, false);
    expect(enveloped.toConnectData("t", [], enveloped.fromConnectData("t", [], null, value)).value).toStrictEqual(
      value,
    );
  });

  test("what other writers send: a float 32 and an integral float 64 are a Float and a Double", () => {
    expect(c.toConnectData("t", [], Buffer.from("92ca3fc00000cb4000000000000000", "hex")).value).toStrictEqual([
      new Float32(1.5),
      new Float64(2),
    ]);
  });

  test("a float map key is text as before; floats in nested lists and maps are found", () => {
    expect(c.toConnectData("t", [], Buffer.from("81ca429fd70a01", "hex")).value).toEqual({ "79.91999816894531": 1 });
    const nested = { a: [[new Float64(1)], { b: new Float32(2), c: [0.5, new Float64(-3)] }] };
    expect(c.toConnectData("t", [], c.fromConnectData("t", [], null, nested)).value).toStrictEqual(nested);
  });

  test("any float 64 is a Float64 exactly when it is integral", () => {
    fc.assert(
      fc.property(fc.oneof(fc.double(), fc.integer(), fc.double({ min: -1e20, max: 1e20 }).map(Math.trunc)), (x) => {
        const bytes = new Uint8Array(9);
        bytes[0] = 0xcb;
        new DataView(bytes.buffer).setFloat64(1, x);
        const value = c.toConnectData("t", [], bytes).value;
        if (Number.isInteger(x)) expect(value).toStrictEqual(new Float64(x));
        else expect(value).toBe(x);
      }),
      RUNS,
    );
  });

  test("the extension types used while reading stay unknown in data", () => {
    expect(() => c.toConnectData("t", [], Buffer.from("d7460000000000000000", "hex"))).toThrow(
      "Unknown extension type",
    );
    expect(() => unpack(Buffer.from("d6660000000000", "hex"))).toThrow("Unknown extension type");
  });

  test("with a schema, floats stay plain numbers", () => {
    const schema = SchemaBuilder.struct().field("d", Schemas.FLOAT64).build();
    const enveloped = new MessagePackConverter();
    enveloped.configure({}, false);
    const back = enveloped.toConnectData(
      "t",
      [],
      enveloped.fromConnectData("t", [], schema, new Struct(schema).put("d", new Float64(2))),
    );
    expect((back.value as Struct).get("d")).toBe(2);
  });
});
