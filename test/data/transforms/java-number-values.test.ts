import { describe, expect, test } from "bun:test";
import { Float32, Float64 } from "../../../src/api/java-numbers.ts";
import { JsonConverter } from "../../../src/data/converters/json-converter.ts";
import { Cast } from "../../../src/data/transforms/cast.ts";
import { ExtractField } from "../../../src/data/transforms/extract-field.ts";
import { Flatten } from "../../../src/data/transforms/flatten.ts";
import { HoistField } from "../../../src/data/transforms/hoist-field.ts";
import { MaskField } from "../../../src/data/transforms/mask-field.ts";
import { ReplaceField } from "../../../src/data/transforms/replace-field.ts";
import { TimestampConverter } from "../../../src/data/transforms/timestamp-converter.ts";
import { VALUE_SIDE } from "../../../src/data/transforms/util/key-or-value.ts";
import { javaClassOf } from "../../../src/data/transforms/util/requirements.ts";
import { inferSchemaType } from "../../../src/data/transforms/util/value-types.ts";
import { applied, configured, valueRecord } from "./util/field-transform-fixtures.ts";

/**
 * Schemaless values through the transforms keep Java's number classes (api/java-numbers.ts), so that JsonConverter
 * writes what Kafka writes: each case reads JSON, runs one transform and writes JSON again.
 */

const json = new JsonConverter();
json.configure({ "schemas.enable": "false" }, false);
const read = (text: string) => json.toConnectData("t", [], new TextEncoder().encode(text)).value;
const write = (value: unknown) => new TextDecoder().decode(json.fromConnectData("t", [], null, value) ?? undefined);

type TransformClass = Parameters<typeof configured>[0];
const through = (Transform: TransformClass, config: Record<string, string>, input: string) =>
  write(applied(configured(Transform, VALUE_SIDE, config), valueRecord(null, read(input))).value);

describe("Cast without a schema", () => {
  test.each([
    ['{"x":79.92}', "x:float32", '{"x":79.92}'],
    ['{"x":14815035}', "x:float32", '{"x":1.4815035E7}'],
    ['{"x":12}', "x:float64", '{"x":12.0}'],
    ['{"x":12.0}', "x:float64", '{"x":12.0}'],
    ['{"x":12.0}', "x:int32", '{"x":12}'],
    ['{"x":12.0}', "x:string", '{"x":"12.0"}'],
    ['{"x":1e10}', "x:string", '{"x":"1.0E10"}'],
    ['{"x":1.1}', "x:float32", '{"x":1.1}'],
    ['{"x":"3"}', "x:float32", '{"x":3.0}'],
    ['{"x":true}', "x:float64", '{"x":1.0}'],
  ])("%s with %s gives %s", (input, spec, output) => {
    expect(through(Cast, { spec }, input)).toBe(output);
  });

  test("a Float keeps its float digits when widened or printed, as Java's (double) and Float.toString", () => {
    const cast = (type: string, value: unknown) =>
      applied(configured(Cast, VALUE_SIDE, { spec: type }), valueRecord(null, value)).value;
    expect(cast("float64", new Float32(1.1))).toBe(1.100000023841858);
    expect(cast("string", new Float32(1.1))).toBe("1.1");
    expect(cast("float32", new Float32(1.1))).toStrictEqual(new Float32(1.1));
    expect(cast("int64", new Float64(-3))).toBe(-3);
    expect(cast("boolean", new Float64(0))).toBe(false);
    expect(cast("float64", new Float64(2))).toStrictEqual(new Float64(2));
  });
});

describe("transforms that move values leave boxes as they are", () => {
  const order = '{"id":7,"price":12.0,"items":[{"w":1.0}],"c":{"rate":1e3}}';

  test("Flatten", () => {
    expect(through(Flatten, {}, order)).toBe('{"id":7,"price":12.0,"items":[{"w":1.0}],"c.rate":1000.0}');
    expect(through(Flatten, { "flatten.arrays": "true" }, order)).toBe(
      '{"id":7,"price":12.0,"items.0.w":1.0,"c.rate":1000.0}',
    );
  });

  test("ExtractField, HoistField, ReplaceField, MaskField", () => {
    expect(through(ExtractField, { field: "price" }, order)).toBe("12.0");
    expect(through(HoistField, { field: "h" }, '{"x":1.0}')).toBe('{"h":{"x":1.0}}');
    expect(through(ReplaceField, { exclude: "items,c" }, order)).toBe('{"id":7,"price":12.0}');
    expect(through(MaskField, { fields: "price,id" }, order)).toBe(
      '{"id":0,"price":0.0,"items":[{"w":1.0}],"c":{"rate":1000.0}}',
    );
    expect(through(MaskField, { fields: "price", replacement: "5" }, order)).toContain('"price":5.0');
  });
});

describe("TimestampConverter without a schema", () => {
  test("a Double is not a unix timestamp, as in Kafka (which wants a Long)", () => {
    const transform = configured(TimestampConverter, VALUE_SIDE, { "target.type": "Timestamp", field: "ts" });
    expect(() => transform.apply(valueRecord(null, { ts: new Float64(1000) }))).toThrow(
      "TimestampConverter does not support class java.lang.Double objects as timestamps",
    );
    expect(() => transform.apply(valueRecord(null, { ts: new Float32(1000) }))).toThrow("class java.lang.Float");
  });
});

describe("the Java class of a box", () => {
  test("Float64 is a Double and Float32 a Float", () => {
    expect(javaClassOf(new Float64(1))).toBe("class java.lang.Double");
    expect(javaClassOf(new Float32(1))).toBe("class java.lang.Float");
    expect(inferSchemaType(new Float64(1))).toBe("float64");
    expect(inferSchemaType(new Float32(1))).toBe("float32");
  });
});
