import { describe, expect, test } from "bun:test";
import { ConfigError, DataError } from "../../../src/api/errors.ts";
import { Schemas } from "../../../src/api/schema.ts";
import { ByteArrayConverter } from "../../../src/data/converters/byte-array-converter.ts";

function converter(): ByteArrayConverter {
  const c = new ByteArrayConverter();
  c.configure({}, false);
  return c;
}

describe("ByteArrayConverter", () => {
  test("writes the very same bytes, without copying", () => {
    const bytes = Uint8Array.from([1, 2, 3]);
    expect(converter().fromConnectData("topic", [], Schemas.BYTES, bytes)).toBe(bytes);
    expect(converter().fromConnectData("topic", [], null, bytes)).toBe(bytes);
  });

  test("writes an ArrayBuffer (the counterpart of Kafka's ByteBuffer) as its bytes", () => {
    const buffer = Uint8Array.from([4, 5]).buffer;
    expect([...(converter().fromConnectData("topic", [], null, buffer) as Uint8Array)]).toEqual([4, 5]);
  });

  test("reads a copy, with an optional bytes schema, so the input memory may be freed", () => {
    const input = Uint8Array.from([1, 2, 3]);
    const { schema, value } = converter().toConnectData("topic", [], input);
    expect(schema).toBe(Schemas.OPTIONAL_BYTES);
    expect(value).toEqual(input);
    expect(value).not.toBe(input);
    input[0] = 99;
    expect((value as Uint8Array)[0]).toBe(1);
  });

  test("null in, null out", () => {
    expect(converter().fromConnectData("topic", [], Schemas.OPTIONAL_BYTES, null)).toBeNull();
    expect(converter().toConnectData("topic", [], null)).toEqual({ schema: Schemas.OPTIONAL_BYTES, value: null });
  });

  test("a schema other than bytes is a DataError", () => {
    expect(() => converter().fromConnectData("topic", [], Schemas.STRING, "x")).toThrow(
      new DataError("Invalid schema type for ByteArrayConverter: STRING"),
    );
  });

  test("a value other than bytes is a DataError", () => {
    expect(() => converter().fromConnectData("topic", [], null, "x")).toThrow(
      new DataError("ByteArrayConverter is not compatible with objects of type string"),
    );
    expect(() => converter().fromConnectData("topic", [], null, [1, 2])).toThrow(
      new DataError("ByteArrayConverter is not compatible with objects of type Array"),
    );
  });

  test("a bad converter.type is a ConfigError", () => {
    expect(() => new ByteArrayConverter().configure({ "converter.type": "nope" })).toThrow(ConfigError);
  });

  test("as a header converter", () => {
    const c = new ByteArrayConverter();
    c.configure({});
    const bytes = Uint8Array.from([7]);
    expect(c.fromConnectHeader("topic", "h", Schemas.BYTES, bytes)).toBe(bytes);
    expect(c.toConnectHeader("topic", "h", bytes)).toEqual({ schema: Schemas.OPTIONAL_BYTES, value: bytes });
    expect([...c.config().configKeys().keys()]).toEqual(["converter.type"]);
  });
});
