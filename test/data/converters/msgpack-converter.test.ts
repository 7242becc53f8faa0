import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { Packr, pack, unpack } from "msgpackr";
import { ConnectDate } from "../../../src/api/date.ts";
import { Decimal } from "../../../src/api/decimal.ts";
import { ConfigError, DataError } from "../../../src/api/errors.ts";
import { javaDouble, javaFloat } from "../../../src/api/java-numbers.ts";
import { type Schema, SchemaBuilder, Schemas } from "../../../src/api/schema.ts";
import { Struct } from "../../../src/api/struct.ts";
import { Time } from "../../../src/api/time.ts";
import { Timestamp } from "../../../src/api/timestamp.ts";
import { JsonConverter } from "../../../src/data/converters/json-converter.ts";
import { MessagePackConverter } from "../../../src/data/converters/msgpack-converter.ts";
import { schemaShapeEquals } from "../../../src/data/converters/schema-equals.ts";
import { RUNS, sameSchemaless, sameValue, schemaAndValue } from "./connect-arbitraries.ts";

const hex = (bytes: Uint8Array | null) => (bytes === null ? null : Buffer.from(bytes).toString("hex"));
const fromHex = (text: string) => Uint8Array.from(Buffer.from(text.replace(/\s+/g, ""), "hex"));
/** A plain MessagePack reader, as another program would read what the converter writes. */
const plainRead = (bytes: Uint8Array | null) => unpack(bytes as Uint8Array, {} as never);

function converter(configs: Record<string, string> = {}, isKey = false): MessagePackConverter {
  const c = new MessagePackConverter();
  c.configure(configs, isKey);
  return c;
}

const ADDRESS = SchemaBuilder.struct()
  .name("Address")
  .field("street", Schemas.STRING)
  .field("zip", Schemas.OPTIONAL_INT32)
  .build();
const ORDER = SchemaBuilder.struct()
  .name("Order")
  .version(2)
  .field("id", Schemas.INT64)
  .field("total", Decimal.schema(2))
  .field("placed", Timestamp.SCHEMA)
  .field("tags", SchemaBuilder.array(Schemas.STRING).build())
  .field("address", ADDRESS)
  .field("blob", Schemas.OPTIONAL_BYTES)
  .build();

function order(): Struct {
  return new Struct(ORDER)
    .put("id", 2n ** 60n + 1n)
    .put("total", new Decimal(-12345n, 2))
    .put("placed", new Date(1_704_067_200_000))
    .put("tags", ["a", "b"])
    .put("address", new Struct(ADDRESS).put("street", "Main").put("zip", null))
    .put("blob", Uint8Array.of(0, 255));
}

describe("MessagePackConverter round trips", () => {
  test("any schema and value with schemas.enable: read back equal, and written back byte-identical", () => {
    const c = converter();
    fc.assert(
      fc.property(schemaAndValue, ([schema, value]) => {
        const bytes = c.fromConnectData("t", [], schema, value) as Uint8Array;
        const back = c.toConnectData("t", [], bytes);
        expect(schemaShapeEquals(back.schema, schema)).toBe(true);
        expect(sameValue(schema, value, back.value)).toBe(true);
        expect(hex(c.fromConnectData("t", [], back.schema, back.value))).toBe(hex(bytes));
      }),
      RUNS,
    );
  });

  test("a fresh converter (an empty schema cache) reads the same", () => {
    fc.assert(
      fc.property(schemaAndValue, ([schema, value]) => {
        const bytes = converter().fromConnectData("t", [], schema, value) as Uint8Array;
        const back = converter().toConnectData("t", [], bytes);
        expect(sameValue(schema, value, back.value)).toBe(true);
      }),
      RUNS,
    );
  });

  const { value: schemalessValue } = fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: "small" },
      fc.constant(null),
      fc.boolean(),
      // Java's Doubles and Floats: boxed when a plain number would not say so (api/java-numbers.ts).
      fc.double().map(javaDouble),
      fc.float().map(javaFloat),
      fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).filter((x) => x < -(2n ** 53n) || x >= 2n ** 53n),
      fc.maxSafeInteger(),
      fc.string({ unit: "binary", maxLength: 8 }),
      fc.uint8Array({ maxLength: 8 }),
      fc.integer({ min: -8.64e15, max: 8.64e15 }).map((ms) => new Date(ms)),
      fc.tuple(fc.bigInt(), fc.integer({ min: -40, max: 40 })).map(([u, s]) => new Decimal(u, s)),
      fc.array(tie("value"), { maxLength: 4 }),
      fc.dictionary(
        fc.string({ maxLength: 5 }).filter((k) => k !== "__proto__"),
        tie("value"),
        { maxKeys: 4 },
      ),
    ),
  }));

  test("any schemaless value, with and without the envelope: plain values, boxes, bigints, bytes, Dates and Decimals", () => {
    for (const c of [converter(), converter({ "schemas.enable": "false" })]) {
      fc.assert(
        fc.property(schemalessValue, (value) => {
          const back = c.toConnectData("t", [], c.fromConnectData("t", [], null, value));
          expect(back.schema).toBeNull();
          expect(sameSchemaless(value, back.value)).toBe(true);
        }),
        RUNS,
      );
    }
  });

  test("schema'd data written without the envelope reads back as its plain form", () => {
    const c = converter({ "schemas.enable": "false" });
    const back = c.toConnectData("t", [], c.fromConnectData("t", [], ORDER, order()));
    expect(back.schema).toBeNull();
    expect(back.value).toEqual({
      id: 2n ** 60n + 1n,
      total: Uint8Array.of(0xcf, 0xc7),
      placed: 1_704_067_200_000,
      tags: ["a", "b"],
      address: { street: "Main", zip: null },
      blob: Uint8Array.of(0, 255),
    });
  });
});

describe("MessagePackConverter wire format", () => {
  test("the envelope is a map of schema and payload; the schema has JsonConverter's envelope schema shape", () => {
    const bytes = converter().fromConnectData("t", [], ORDER, order());
    const envelope = plainRead(bytes);
    expect(Object.keys(envelope)).toEqual(["schema", "payload"]);
    const json = new JsonConverter();
    json.configure({}, false);
    const jsonEnvelope = JSON.parse(
      new TextDecoder().decode(json.fromConnectData("t", [], ORDER, order()) ?? undefined),
    );
    expect(envelope.schema).toEqual(jsonEnvelope.schema);
    // Same key order as Kafka's, too.
    expect(JSON.stringify(envelope.schema)).toBe(JSON.stringify(jsonEnvelope.schema));
  });

  test("payload: struct as a map in field order, int64 as int64, Decimal as two's complement bin, Timestamp as ms", () => {
    const payload = converter({ "schemas.enable": "false" }).fromConnectData("t", [], ORDER, order());
    expect(hex(payload)).toBe(
      hex(
        fromHex(`86
          a2 6964       d3 1000000000000001
          a5 746f74616c c4 02 cfc7
          a6 706c61636564 d3 0000018cc251f400
          a4 74616773   92 a1 61 a1 62
          a7 61646472657373 82 a6 737472656574 a4 4d61696e a3 7a6970 c0
          a4 626c6f62   c4 02 00ff`),
      ),
    );
  });

  test("Date and Time as their int32 days and ms; floats as float 64, float32 rounded; maps by key type", () => {
    const c = converter({ "schemas.enable": "false" });
    expect(hex(c.fromConnectData("t", [], ConnectDate.SCHEMA, new Date(86_400_000 * 3)))).toBe("03");
    expect(hex(c.fromConnectData("t", [], Time.SCHEMA, new Date(1000)))).toBe("cd03e8");
    expect(hex(c.fromConnectData("t", [], Schemas.FLOAT64, 1.5))).toBe("cb3ff8000000000000");
    expect(hex(c.fromConnectData("t", [], Schemas.FLOAT32, 0.1))).toBe(hex(pack(Math.fround(0.1))));
    expect(hex(c.fromConnectData("t", [], Schemas.INT64, 5))).toBe("05");
    expect(hex(c.fromConnectData("t", [], Schemas.INT64, -(2 ** 40)))).toBe("d3ffffff0000000000");
    const intKeys = SchemaBuilder.map(Schemas.INT32, Schemas.STRING).build();
    expect(plainRead(c.fromConnectData("t", [], intKeys, new Map([[7, "x"]])))).toEqual([[7, "x"]]);
    const stringKeys = SchemaBuilder.map(Schemas.STRING, Schemas.INT8).build();
    expect(plainRead(c.fromConnectData("t", [], stringKeys, { a: 1 }))).toEqual({ a: 1 });
  });

  test("schemaless: whole numbers beyond 32 bits as int64, Dates as the timestamp extension, Decimals as 0x44", () => {
    const c = converter({ "schemas.enable": "false" });
    expect(hex(c.fromConnectData("t", [], null, 1_704_067_200_000))).toBe("d30000018cc251f400");
    expect(hex(c.fromConnectData("t", [], null, 2n ** 63n - 1n))).toBe("d37fffffffffffffff");
    expect(hex(c.fromConnectData("t", [], null, new Date(1000)))).toBe("d6ff00000001");
    // ext 8 of 5 bytes, type 0x44: scale 3 as int32, then -1 in one byte of two's complement.
    expect(hex(c.fromConnectData("t", [], null, new Decimal(-1n, 3)))).toBe("c7054400000003ff");
    expect(plainRead(c.fromConnectData("t", [], null, new Map<unknown, unknown>([[1, "x"]])))).toEqual([[1, "x"]]);
  });

  test("reads envelopes that other writers lay out differently", () => {
    const c = converter();
    const schemaNode = { type: "int64", optional: false };
    // Keys in the other order, a map16 header, and str8-encoded keys: all read.
    expect(c.toConnectData("t", [], pack({ payload: 7, schema: schemaNode })).value).toBe(7);
    const map16 = fromHex(`de0002 a6736368656d61 ${hex(pack(schemaNode))} a77061796c6f6164 d3 0000000000000007`);
    expect(c.toConnectData("t", [], map16).value).toBe(7);
    const str8 = fromHex(`82 d906736368656d61 ${hex(pack(schemaNode))} d9077061796c6f6164 07`);
    expect(c.toConnectData("t", [], str8)).toEqual({ schema: expect.anything(), value: 7 });
    // Integers of any width and bigints within the safe range read as numbers.
    const wide = { schema: { type: "int8", optional: false }, payload: 2n ** 3n };
    expect(c.toConnectData("t", [], pack(wide)).value).toBe(8);
  });

  test("records alternating between schemas, and with schemas.cache.size=0, read right", () => {
    const writer = converter();
    const records = [
      writer.fromConnectData("t", [], ORDER, order()),
      writer.fromConnectData("t", [], ADDRESS, new Struct(ADDRESS).put("street", "x")),
      writer.fromConnectData("t", [], Schemas.INT64, 5),
    ];
    for (const reader of [converter(), converter({ "schemas.cache.size": "0" })]) {
      for (const bytes of [...records, ...records.reverse(), ...records]) {
        const back = reader.toConnectData("t", [], bytes);
        expect(hex(writer.fromConnectData("t", [], back.schema, back.value))).toBe(hex(bytes));
      }
    }
  });

  test("a known schema followed by more than one payload value is a DataError", () => {
    const c = converter();
    const bytes = c.fromConnectData("t", [], Schemas.INT64, 5) as Uint8Array;
    c.toConnectData("t", [], bytes);
    const extra = Uint8Array.from([...bytes, 0x01]);
    expect(() => c.toConnectData("t", [], extra)).toThrow(DataError);
  });

  test("a schema read twice is built once", () => {
    const c = converter();
    const bytes = converter().fromConnectData("t", [], ORDER, order());
    expect(c.toConnectData("t", [], bytes).schema).toBe(c.toConnectData("t", [], bytes).schema);
  });
});

describe("MessagePackConverter nulls and defaults", () => {
  test("null without a schema is null; a tombstone reads as null", () => {
    expect(converter().fromConnectData("t", [], null, null)).toBeNull();
    expect(converter().toConnectData("t", [], null)).toEqual({ schema: null, value: null });
  });

  test("null with an optional schema is an envelope with a nil payload", () => {
    const bytes = converter().fromConnectData("t", [], Schemas.OPTIONAL_STRING, null);
    expect(plainRead(bytes)).toEqual({ schema: { type: "string", optional: true }, payload: null });
    expect(converter().toConnectData("t", [], bytes)).toEqual({ schema: Schemas.OPTIONAL_STRING, value: null });
  });

  const withDefault = SchemaBuilder.struct()
    .field("n", new SchemaBuilder("int32").optional().defaultValue(42).build())
    .field("d", decimalSchemaWithDefault())
    .build();

  function decimalSchemaWithDefault(): Schema {
    return new SchemaBuilder("bytes")
      .name("org.apache.kafka.connect.data.Decimal")
      .parameter("scale", "1")
      .version(1)
      .optional()
      .defaultValue(new Decimal(15n, 1))
      .build();
  }

  test("defaults travel in the schema in payload form and replace nulls (replace.null.with.default=true)", () => {
    const bytes = converter().fromConnectData("t", [], withDefault, new Struct(withDefault));
    const envelope = plainRead(bytes);
    expect(envelope.schema.fields[0].default).toBe(42);
    expect(envelope.schema.fields[1].default).toEqual(Uint8Array.of(15));
    expect(envelope.payload).toEqual({ n: 42, d: Uint8Array.of(15) });
    const back = converter().toConnectData("t", [], bytes);
    expect(back.schema?.fields?.[1]?.schema.defaultValue).toEqual(new Decimal(15n, 1));
  });

  test("replace.null.with.default=false keeps nulls, on both sides", () => {
    const c = converter({ "replace.null.with.default": "false" });
    const bytes = c.fromConnectData("t", [], withDefault, new Struct(withDefault));
    expect(plainRead(bytes).payload).toEqual({ n: null, d: null });
    const read = c.toConnectData("t", [], bytes).value as Struct;
    expect(read.getWithoutDefault("n")).toBeNull();
    const withDefaults = converter().toConnectData("t", [], bytes).value as Struct;
    expect(withDefaults.getWithoutDefault("n")).toBe(42);
  });
});

describe("MessagePackConverter errors", () => {
  test("bytes that are not MessagePack are a DataError", () => {
    expect(() => converter().toConnectData("t", [], fromHex("82a6736368656d61"))).toThrow(DataError);
    expect(() => converter({ "schemas.enable": "false" }).toConnectData("t", [], new Uint8Array(0))).toThrow(
      /serialization error/,
    );
    expect(() => converter({ "schemas.enable": "false" }).toConnectData("t", [], fromHex("0102"))).toThrow(DataError);
  });

  test("with schemas.enable, anything but exactly schema and payload is a DataError", () => {
    const message = /requires "schema" and "payload" fields and may not contain additional fields/;
    expect(() => converter().toConnectData("t", [], pack({ payload: 1 }))).toThrow(message);
    expect(() => converter().toConnectData("t", [], pack({ schema: null, payload: 1, x: 2 }))).toThrow(message);
    expect(() => converter().toConnectData("t", [], pack([1, 2]))).toThrow(message);
    expect(() => converter().toConnectData("t", [], pack(5))).toThrow(message);
  });

  test("bad schemas are DataErrors in Kafka's words", () => {
    const read = (schema: unknown) => () => converter().toConnectData("t", [], pack({ schema, payload: 1 }));
    expect(read({ type: "float32" })).toThrow(new DataError("Unknown schema type: float32"));
    expect(read({ optional: true })).toThrow(new DataError("Schema must contain 'type' field"));
    expect(read({ type: "array" })).toThrow(new DataError("Array schema did not specify the element type"));
    expect(read({ type: "struct", fields: 1 })).toThrow(DataError);
  });

  test("a payload that does not fit its schema is a DataError", () => {
    const read = (schema: unknown, payload: unknown) => () =>
      converter().toConnectData("t", [], pack({ schema, payload }));
    expect(read({ type: "int32" }, "x")).toThrow(new DataError("Invalid MessagePack for INT32: found string"));
    expect(read({ type: "int8" }, 300)).toThrow(new DataError("Invalid value for INT8: 300 is out of range"));
    expect(read({ type: "int32", optional: false }, null)).toThrow(
      new DataError("Invalid null value for required INT32 field"),
    );
    expect(read({ type: "struct", fields: [] }, [1])).toThrow(/Structs should be encoded as MessagePack maps/);
    expect(read({ type: "bytes" }, "x")).toThrow(DataError);
  });

  test("values that do not fit their schema are DataErrors when writing", () => {
    expect(() => converter().fromConnectData("t", [], Schemas.INT32, "1")).toThrow(
      new DataError("Invalid type for INT32: string"),
    );
    expect(() => converter().fromConnectData("t", [], Schemas.INT8, 128)).toThrow(DataError);
    expect(() => converter().fromConnectData("t", [], Schemas.STRING, null)).toThrow(
      new DataError("Conversion error: null value for field that is required and has no default value"),
    );
    expect(() => converter().fromConnectData("t", [], ADDRESS, new Struct(ORDER))).toThrow(
      new DataError("Mismatching schema."),
    );
    expect(() => converter().fromConnectData("t", [], Decimal.schema(3), new Decimal(1n, 2))).toThrow(DataError);
    expect(() => converter().fromConnectData("t", [], null, new Set([1]))).toThrow(DataError);
    expect(() => converter().fromConnectData("t", [], null, new Struct(ADDRESS))).toThrow(DataError);
    expect(() => converter().fromConnectData("t", [], null, 2n ** 64n)).toThrow(DataError);
  });

  test("schemaless MessagePack that has no Connect type (msgpackr's Set extension) is a DataError", () => {
    const plainConverter = converter({ "schemas.enable": "false" });
    // fixext 1 of type 0: msgpackr's undefined, which reads as null.
    expect(plainConverter.toConnectData("t", [], fromHex("d40000")).value).toBeNull();
    const set = new Packr({ moreTypes: true }).pack({ s: new Set([1]) });
    expect(() => plainConverter.toConnectData("t", [], set)).toThrow(
      new DataError("MessagePack extension of type Set has no Connect type"),
    );
  });

  test("bad configuration is a ConfigError naming the key", () => {
    expect(() => converter({ "schemas.enable": "maybe" })).toThrow(ConfigError);
    expect(() => converter({ "schemas.cache.size": "x" })).toThrow(ConfigError);
  });
});

describe("MessagePackConverter contract", () => {
  test("values read do not share memory with the input bytes", () => {
    const c = converter();
    const bytes = c.fromConnectData("t", [], ORDER, order()) as Uint8Array;
    const input = bytes.slice();
    const read = c.toConnectData("t", [], input).value as Struct;
    input.fill(0);
    expect((read.get("blob") as Uint8Array)[1]).toBe(255);
    expect(read.get("blob")?.constructor).toBe(Uint8Array);
  });

  test("reads a view into a larger buffer (a Buffer, at an offset)", () => {
    const bytes = converter().fromConnectData("t", [], ORDER, order()) as Uint8Array;
    const larger = Buffer.concat([Buffer.from([1, 2, 3]), bytes, Buffer.from([4])]);
    const read = converter().toConnectData("t", [], larger.subarray(3, 3 + bytes.length));
    expect(sameValue(ORDER, order(), read.value)).toBe(true);
  });

  test("bytes written earlier stay intact while the converter writes more", () => {
    const c = converter({ "schemas.enable": "false" });
    const written = Array.from(
      { length: 5000 },
      (_, i) => [i, c.fromConnectData("t", [], null, { i, s: "x".repeat(i % 50) })] as const,
    );
    for (const [i, bytes] of written) expect((c.toConnectData("t", [], bytes).value as { i: number }).i).toBe(i);
  });

  test("as a header converter", () => {
    const c = new MessagePackConverter();
    c.configure({});
    const bytes = c.fromConnectHeader("t", "h", Schemas.INT64, 2n ** 62n);
    expect(c.toConnectHeader("t", "h", bytes)).toEqual({ schema: Schemas.INT64, value: 2n ** 62n });
  });
});
