import { describe, expect, test } from "bun:test";
import { ConfigError } from "../../../src/api/errors.ts";
import { sourceRecord } from "../../../src/api/record.ts";
import { HasHeaderKey } from "../../../src/data/predicates/has-header-key.ts";

const withHeaders = (...keys: string[]) =>
  sourceRecord({ topic: "t", value: null, headers: keys.map((key) => ({ key, schema: null, value: null })) });

describe("HasHeaderKey", () => {
  test("name is required", () => {
    expect(() => new HasHeaderKey().configure({})).toThrow('Missing required configuration "name"');
  });

  test("name may not be empty", () => {
    expect(() => new HasHeaderKey().configure({ name: "" })).toThrow(ConfigError);
    expect(() => new HasHeaderKey().configure({ name: "" })).toThrow("String must be non-empty");
  });

  test("validate reports Kafka's message", () => {
    const def = new HasHeaderKey().config();
    expect(def.validate({ name: "foo" })[0]?.errors).toEqual([]);
    expect(def.validate({ name: "" })[0]?.errors).toEqual([
      "Invalid value  for configuration name: String must be non-empty",
    ]);
  });

  test("true when at least one header has the name", () => {
    const predicate = new HasHeaderKey();
    predicate.configure({ name: "foo" });
    expect(predicate.test(withHeaders("foo"))).toBe(true);
    expect(predicate.test(withHeaders("foo", "bar"))).toBe(true);
    expect(predicate.test(withHeaders("bar", "foo", "bar", "foo"))).toBe(true);
    expect(predicate.test(withHeaders("bar"))).toBe(false);
    expect(predicate.test(withHeaders("bar", "bar"))).toBe(false);
    expect(predicate.test(withHeaders())).toBe(false);
    expect(predicate.test(sourceRecord({ topic: "t", value: null }))).toBe(false);
    expect(predicate.toString()).toBe("HasHeaderKey{name='foo'}");
  });
});
