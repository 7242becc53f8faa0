import { describe, expect, test } from "bun:test";
import { ConfigError, DataError } from "../../../src/api/errors.ts";
import { Schemas } from "../../../src/api/schema.ts";
import { Drop } from "../../../src/data/transforms/drop.ts";
import { KEY_SIDE, VALUE_SIDE } from "../../../src/data/transforms/util/key-or-value.ts";
import { applied, configured, sinkRecord } from "./util/field-transform-fixtures.ts";

/** Confluent's Drop, as its documentation describes it (there is no Kafka test to follow). */

const record = () =>
  sinkRecord({
    keySchema: Schemas.INT32,
    key: 24,
    valueSchema: Schemas.STRING,
    value: "v",
    timestamp: 5,
    kafkaOffset: 9,
  });

describe("Drop", () => {
  test("Drop$Key sets the key and its schema to null by default, and keeps the rest", () => {
    const input = record();
    const result = applied(configured(Drop, KEY_SIDE), input);
    expect(result).toEqual({ ...input, key: null, keySchema: null });
  });

  test("Drop$Value sets the value and its schema to null", () => {
    const result = applied(configured(Drop, VALUE_SIDE), record());
    expect(result.value).toBeNull();
    expect(result.valueSchema).toBeNull();
    expect(result.key).toBe(24);
  });

  test("an already null schemaless value returns the record itself", () => {
    const input = sinkRecord({ key: "k" });
    expect(configured(Drop, VALUE_SIDE).apply(input)).toBe(input);
  });

  test("schema.behavior=retain keeps the schema", () => {
    const result = applied(configured(Drop, KEY_SIDE, { "schema.behavior": "retain" }), record());
    expect(result.key).toBeNull();
    expect(result.keySchema).toBe(Schemas.INT32);
  });

  test("schema.behavior=force_optional makes the schema optional", () => {
    const result = applied(configured(Drop, KEY_SIDE, { "schema.behavior": "force_optional" }), record());
    expect(result.key).toBeNull();
    expect(result.keySchema).toEqual(Schemas.OPTIONAL_INT32);
  });

  test("schema.behavior=validate accepts an optional schema and refuses a required one", () => {
    const validate = configured(Drop, KEY_SIDE, { "schema.behavior": "VALIDATE" });
    const optional = applied(validate, sinkRecord({ keySchema: Schemas.OPTIONAL_INT32, key: 1 }));
    expect(optional.key).toBeNull();
    expect(optional.keySchema).toBe(Schemas.OPTIONAL_INT32);
    expect(() => validate.apply(record())).toThrow(DataError);
  });

  test("an unknown schema.behavior is a ConfigError", () => {
    expect(() => configured(Drop, KEY_SIDE, { "schema.behavior": "drop" })).toThrow(ConfigError);
  });
});
