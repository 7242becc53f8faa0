import { describe, expect, test } from "bun:test";
import type { Headers } from "../../../src/api/headers.ts";
import { sourceRecord } from "../../../src/api/record.ts";
import { Schemas } from "../../../src/api/schema.ts";
import { DropHeaders } from "../../../src/data/transforms/drop-headers.ts";

const record = (headers: Headers) =>
  sourceRecord({ sourcePartition: { foo: "bar" }, topic: "topic", key: "key", value: "value", timestamp: 0, headers });
const text = (key: string, value: string) => ({ key, schema: Schemas.STRING, value });
const dropping = (headers: string) => {
  const transform = new DropHeaders();
  transform.configure({ headers });
  return transform;
};

describe("DropHeaders", () => {
  test("drops an existing header", () => {
    const original = record([text("existing", "existing-value"), text("to-drop", "existing-value")]);
    expect(dropping("to-drop").apply(original)).toEqual({ ...original, headers: [text("existing", "existing-value")] });
    expect(original.headers).toHaveLength(2);
  });

  test("drops every header with the name", () => {
    const original = record([
      text("existing", "existing-value"),
      text("to-drop", "existing-value"),
      text("to-drop", "existing-other-value"),
    ]);
    expect(dropping("to-drop").apply(original).headers).toEqual([text("existing", "existing-value")]);
  });

  test("a header that is not there changes nothing", () => {
    const original = record([text("existing", "existing-value")]);
    expect(dropping("to-drop").apply(original)).toEqual(original);
  });

  test("several names, order of the rest kept", () => {
    const original = record([text("a", "1"), text("b", "2"), text("c", "3"), text("b", "4"), text("d", "5")]);
    expect(dropping("b, d").apply(original).headers).toEqual([text("a", "1"), text("c", "3")]);
  });

  test("the list must not be empty, and is required", () => {
    expect(() => dropping("")).toThrow("Invalid value [] for configuration headers: Empty list");
    expect(() => new DropHeaders().configure({})).toThrow('Missing required configuration "headers"');
  });
});
