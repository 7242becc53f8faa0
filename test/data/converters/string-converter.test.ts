import { describe, expect, test } from "bun:test";
import { Decimal } from "../../../src/api/decimal.ts";
import { ConfigError } from "../../../src/api/errors.ts";
import { SchemaBuilder, Schemas } from "../../../src/api/schema.ts";
import { Struct } from "../../../src/api/struct.ts";
import { Timestamp } from "../../../src/api/timestamp.ts";
import { StringConverter } from "../../../src/data/converters/string-converter.ts";

const decoder = new TextDecoder();

function converter(configs: Record<string, string> = {}): StringConverter {
  const c = new StringConverter();
  c.configure(configs, false);
  return c;
}
const text = (c: StringConverter, schema: Parameters<StringConverter["fromConnectData"]>[2], value: unknown) => {
  const bytes = c.fromConnectData("topic", [], schema, value);
  return bytes === null ? null : decoder.decode(bytes);
};

describe("StringConverter", () => {
  test("strings round trip as UTF-8 by default, with an optional string schema", () => {
    const c = converter();
    const bytes = c.fromConnectData("topic", [], Schemas.STRING, "héllo 😀") as Uint8Array;
    expect([...bytes]).toEqual([...new TextEncoder().encode("héllo 😀")]);
    expect(c.toConnectData("topic", [], bytes)).toEqual({ schema: Schemas.OPTIONAL_STRING, value: "héllo 😀" });
  });

  test("null in, null out", () => {
    const c = converter();
    expect(c.fromConnectData("topic", [], Schemas.OPTIONAL_STRING, null)).toBeNull();
    expect(c.toConnectData("topic", [], null)).toEqual({ schema: Schemas.OPTIONAL_STRING, value: null });
  });

  test("other values are written as Java's toString() prints them, whatever the schema", () => {
    const c = converter();
    expect(text(c, Schemas.INT32, 42)).toBe("42");
    expect(text(c, Schemas.FLOAT64, 12)).toBe("12.0");
    expect(text(c, Schemas.FLOAT32, 0.1)).toBe("0.1");
    expect(text(c, null, 1.5)).toBe("1.5");
    expect(text(c, Schemas.INT64, 2n ** 63n - 1n)).toBe("9223372036854775807");
    expect(text(c, Schemas.BOOLEAN, false)).toBe("false");
    expect(text(c, null, [1, "a", null])).toBe("[1, a, null]");
    expect(
      text(
        c,
        null,
        new Map<unknown, unknown>([
          ["k", 1],
          [2, [true]],
        ]),
      ),
    ).toBe("{k=1, 2=[true]}");
    expect(text(c, null, { a: 1 })).toBe("{a=1}");
    expect(text(c, null, new Date(0))).toBe("Thu Jan 01 00:00:00 UTC 1970");
    expect(text(c, null, new Decimal(156n, 2))).toBe("1.56");
    expect(text(c, null, Uint8Array.from([1, 2, 3]))).toBe("AQID");
    const schema = SchemaBuilder.struct().field("a", Schemas.INT32).field("b", Schemas.STRING).build();
    const struct = new Struct(schema).put("a", 1).put("b", "x");
    expect(text(c, schema, struct)).toBe("Struct{a=1,b=x}");
  });

  test("a Struct as Kafka's Struct.toString: null fields left out, each value as Java prints it", () => {
    // Kafka 4.1.1's StringConverter wrote Struct{a=12.0,t=Thu Jan 01 00:00:00 UTC 1970,l=[1, 2],m={x=1, y=2}} for
    // this value (JDK 17, UTC).
    const schema = SchemaBuilder.struct()
      .field("a", Schemas.FLOAT64)
      .field("b", Schemas.OPTIONAL_STRING)
      .field("t", Timestamp.SCHEMA)
      .field("l", SchemaBuilder.array(Schemas.INT32).build())
      .field("m", SchemaBuilder.map(Schemas.STRING, Schemas.INT32).build())
      .build();
    const struct = new Struct(schema).put("a", 12).put("t", new Date(0)).put("l", [1, 2]).put("m", { x: 1, y: 2 });
    expect(text(converter(), schema, struct)).toBe(
      "Struct{a=12.0,t=Thu Jan 01 00:00:00 UTC 1970,l=[1, 2],m={x=1, y=2}}",
    );
  });

  test("converter.encoding: UTF-16 variants and ISO-8859-1, by Java names and aliases", () => {
    const cases: [string, string, number[]][] = [
      ["UTF-16BE", "Aé", [0x00, 0x41, 0x00, 0xe9]],
      ["utf-16le", "Aé", [0x41, 0x00, 0xe9, 0x00]],
      ["UTF-16", "A", [0xfe, 0xff, 0x00, 0x41]],
      ["ISO-8859-1", "Aé", [0x41, 0xe9]],
      ["latin1", "€", [0x3f]],
      ["US-ASCII", "Aé", [0x41, 0x3f]],
      ["UTF8", "é", [0xc3, 0xa9]],
    ];
    for (const [encoding, value, bytes] of cases) {
      const c = converter({ "converter.encoding": encoding });
      expect([...(c.fromConnectData("topic", [], Schemas.STRING, value) as Uint8Array)]).toEqual(bytes);
    }
  });

  test("decoding per encoding, as Java decodes (byte order marks, malformed input)", () => {
    const decode = (encoding: string, bytes: number[]) =>
      converter({ "converter.encoding": encoding }).toConnectData("topic", [], Uint8Array.from(bytes)).value;
    expect(decode("UTF-16", [0xff, 0xfe, 0x41, 0x00])).toBe("A");
    expect(decode("UTF-16", [0x00, 0x41])).toBe("A");
    expect(decode("UTF-16BE", [0x00, 0x41, 0x00])).toBe("A\uFFFD");
    expect(decode("ISO-8859-1", [0xe9, 0x80])).toBe("é\u0080");
    expect(decode("US-ASCII", [0x41, 0xe9])).toBe("A\uFFFD");
    expect(decode("UTF-8", [0xef, 0xbb, 0xbf, 0x41, 0xff])).toBe("\uFEFFA\uFFFD");
  });

  test("an unknown encoding is a ConfigError naming converter.encoding", () => {
    let error: unknown;
    try {
      converter({ "converter.encoding": "EBCDIC-42" });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).key).toBe("converter.encoding");
    expect((error as ConfigError).message).toBe(
      "Invalid value EBCDIC-42 for configuration converter.encoding: unsupported encoding (supported: UTF-8, UTF-16, UTF-16BE, UTF-16LE, ISO-8859-1, US-ASCII)",
    );
  });

  test("a bad converter.type is a ConfigError naming it", () => {
    const c = new StringConverter();
    expect(() => c.configure({ "converter.type": "nope" })).toThrow(
      new ConfigError("Invalid value nope for configuration converter.type: String must be one of: key, value, header"),
    );
  });

  test("config() has converter.encoding with Kafka's default", () => {
    expect(converter().config().configKeys().get("converter.encoding")?.defaultValue).toBe("UTF-8");
  });

  test("as a header converter", () => {
    const c = new StringConverter();
    c.configure({});
    const bytes = c.fromConnectHeader("topic", "h", Schemas.STRING, "v") as Uint8Array;
    expect(c.toConnectHeader("topic", "h", bytes)).toEqual({ schema: Schemas.OPTIONAL_STRING, value: "v" });
  });
});
