import { describe, expect, test } from "bun:test";
import { sourceRecord } from "../../../src/api/record.ts";
import { Schemas } from "../../../src/api/schema.ts";
import { RecordIsTombstone } from "../../../src/data/predicates/record-is-tombstone.ts";

describe("RecordIsTombstone", () => {
  const predicate = new RecordIsTombstone();
  predicate.configure({});

  test("true for a null value, whatever the key or value schema", () => {
    expect(predicate.test(sourceRecord({ topic: "t", value: null }))).toBe(true);
    expect(predicate.test(sourceRecord({ topic: "t", key: "k", keySchema: Schemas.STRING, value: null }))).toBe(true);
    expect(predicate.test(sourceRecord({ topic: "t", valueSchema: Schemas.OPTIONAL_STRING, value: null }))).toBe(true);
  });

  test("false for any other value, even empty or falsy ones", () => {
    for (const value of ["", 0, false, {}, [], new Uint8Array(0)])
      expect(predicate.test(sourceRecord({ topic: "t", value }))).toBe(false);
  });

  test("has no configuration", () => {
    expect(predicate.config().names()).toEqual([]);
    expect(predicate.toString()).toBe("RecordIsTombstone{}");
  });
});
