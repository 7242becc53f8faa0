import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { ConfigError, DataError } from "../../../src/api/errors.ts";
import { Schemas } from "../../../src/api/schema.ts";
import { BooleanConverter } from "../../../src/data/converters/boolean-converter.ts";

/** Kafka's BooleanConverterTest, plus a round trip and the header side. */

function converter(): BooleanConverter {
  const c = new BooleanConverter();
  c.configure({}, false);
  return c;
}

describe("BooleanConverter", () => {
  test("writes 0x01 for true and 0x00 for false, with or without a schema", () => {
    expect([...(converter().fromConnectData("topic", [], Schemas.BOOLEAN, true) ?? [])]).toEqual([1]);
    expect([...(converter().fromConnectData("topic", [], Schemas.BOOLEAN, false) ?? [])]).toEqual([0]);
    expect([...(converter().fromConnectData("topic", [], null, true) ?? [])]).toEqual([1]);
    expect([...(converter().fromConnectData("topic", [], Schemas.OPTIONAL_BOOLEAN, false) ?? [])]).toEqual([0]);
  });

  test("reads them back with an optional boolean schema", () => {
    expect(converter().toConnectData("topic", [], Uint8Array.of(1))).toEqual({
      schema: Schemas.OPTIONAL_BOOLEAN,
      value: true,
    });
    expect(converter().toConnectData("topic", [], Uint8Array.of(0))).toEqual({
      schema: Schemas.OPTIONAL_BOOLEAN,
      value: false,
    });
  });

  test("round trip, as data and as a header", () => {
    const c = converter();
    fc.assert(
      fc.property(fc.option(fc.boolean(), { nil: null }), (value) => {
        expect(c.toConnectData("t", [], c.fromConnectData("t", [], null, value)).value).toBe(value);
        expect(c.toConnectHeader("t", "h", c.fromConnectHeader("t", "h", null, value)).value).toBe(value);
      }),
    );
  });

  test("a schema other than boolean is a DataError", () => {
    expect(() => converter().fromConnectData("topic", [], Schemas.INT32, false)).toThrow(
      new DataError("Invalid schema type for BooleanConverter: INT32"),
    );
  });

  test("a value other than a boolean is a DataError", () => {
    expect(() => converter().fromConnectData("topic", [], Schemas.BOOLEAN, "true")).toThrow(
      new DataError("BooleanConverter is not compatible with objects of type string"),
    );
    expect(() => converter().fromConnectData("topic", [], null, 1)).toThrow(DataError);
  });

  test("null in, null out", () => {
    expect(converter().fromConnectData("topic", [], Schemas.BOOLEAN, null)).toBeNull();
    expect(converter().toConnectData("topic", [], null)).toEqual({ schema: Schemas.OPTIONAL_BOOLEAN, value: null });
  });

  test("bytes that are not one 0x00 or 0x01 are a DataError", () => {
    expect(() => converter().toConnectData("topic", [], new TextEncoder().encode("42"))).toThrow(
      new DataError("Failed to deserialize boolean: Size of data received by BooleanDeserializer is not 1"),
    );
    expect(() => converter().toConnectData("topic", [], Uint8Array.of(2))).toThrow(
      new DataError("Failed to deserialize boolean: Unexpected byte received by BooleanDeserializer: 2"),
    );
    expect(() => converter().toConnectData("topic", [], Uint8Array.of(0xff))).toThrow(
      new DataError("Failed to deserialize boolean: Unexpected byte received by BooleanDeserializer: -1"),
    );
    expect(() => converter().toConnectHeader("topic", "h", new Uint8Array(0))).toThrow(DataError);
  });

  test("a bad converter.type is a ConfigError", () => {
    expect(() => new BooleanConverter().configure({ "converter.type": "nope" })).toThrow(ConfigError);
    new BooleanConverter().configure({});
  });
});
