import { describe, expect, test } from "bun:test";
import { DataError } from "../../../src/api/errors.ts";
import { SchemaBuilder, Schemas } from "../../../src/api/schema.ts";
import type { Struct } from "../../../src/api/struct.ts";
import { HoistField } from "../../../src/data/transforms/hoist-field.ts";
import { KEY_SIDE, VALUE_SIDE } from "../../../src/data/transforms/util/key-or-value.ts";
import { applied, configured, sinkRecord } from "./util/field-transform-fixtures.ts";

/** Kafka's HoistFieldTest (on the key, as Kafka's), plus nulls, caching and the value side. */

const hoistKey = () => configured(HoistField, KEY_SIDE, { field: "magic" });

describe("HoistField (Kafka's cases)", () => {
  test("schemaless", () => {
    const result = applied(hoistKey(), sinkRecord({ key: 42 }));
    expect(result.keySchema).toBeNull();
    expect(result.key).toEqual({ magic: 42 });
  });

  test("with a schema", () => {
    const result = applied(hoistKey(), sinkRecord({ keySchema: Schemas.INT32, key: 42 }));
    expect(result.keySchema?.type).toBe("struct");
    expect(result.keySchema?.fields?.[0]?.schema).toBe(Schemas.INT32);
    expect((result.key as Struct).get("magic")).toBe(42);
  });

  test("the schemaless map is a fresh, mutable object", () => {
    const key = applied(hoistKey(), sinkRecord({ key: 420 })).key as Record<string, unknown>;
    key.k = "v";
    expect(key).toEqual({ magic: 420, k: "v" });
  });

  test("field is required", () => {
    expect(() => configured(HoistField, KEY_SIDE, {})).toThrow('Missing required configuration "field"');
  });
});

describe("HoistField beyond Kafka's tests", () => {
  test("the wrapping schema is built once per input schema; the value side leaves the key alone", () => {
    const hoist = configured(HoistField, VALUE_SIDE, { field: "v" });
    const a = applied(hoist, sinkRecord({ key: "k", valueSchema: Schemas.STRING, value: "a" }));
    const b = applied(hoist, sinkRecord({ key: "k", valueSchema: Schemas.STRING, value: "b" }));
    expect(b.valueSchema).toBe(a.valueSchema);
    expect(a.valueSchema).toEqual(SchemaBuilder.struct().field("v", Schemas.STRING).build());
    expect(b.key).toBe("k");
  });

  test("null is wrapped too: schemaless, and with an optional schema", () => {
    expect(applied(hoistKey(), sinkRecord({ key: null })).key).toEqual({ magic: null });
    const result = applied(hoistKey(), sinkRecord({ keySchema: Schemas.OPTIONAL_INT32, key: null }));
    expect((result.key as Struct).get("magic")).toBeNull();
  });

  test("null with a required schema fails as Kafka's Struct.put does", () => {
    expect(() => hoistKey().apply(sinkRecord({ keySchema: Schemas.INT32, key: null }))).toThrow(
      new DataError('Invalid value: null used for required field: "magic", schema type: INT32'),
    );
  });
});
