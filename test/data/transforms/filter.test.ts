import { describe, expect, test } from "bun:test";
import { sourceRecord } from "../../../src/api/record.ts";
import { Schemas } from "../../../src/api/schema.ts";
import { Filter } from "../../../src/data/transforms/filter.ts";

describe("Filter", () => {
  test("drops every record, whatever it holds", () => {
    const filter = new Filter();
    filter.configure({});
    expect(filter.apply(sourceRecord({ topic: "t", value: "v", valueSchema: Schemas.STRING }))).toBeNull();
    expect(filter.apply(sourceRecord({ topic: "t", value: null }))).toBeNull();
  });

  test("has no configuration and ignores unknown keys", () => {
    const filter = new Filter();
    filter.configure({ anything: "x" });
    expect(filter.config().names()).toEqual([]);
  });
});
