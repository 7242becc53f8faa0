import { describe, expect, test } from "bun:test";
import type { Headers } from "../../../src/api/headers.ts";
import type { SourceRecord } from "../../../src/api/record.ts";
import { sourceRecord } from "../../../src/api/record.ts";
import { Schemas } from "../../../src/api/schema.ts";
import { InsertHeader } from "../../../src/data/transforms/insert-header.ts";

const record = (headers: Headers): SourceRecord =>
  sourceRecord({
    sourcePartition: { foo: "bar" },
    sourceOffset: { baz: "quxx" },
    topic: "topic",
    kafkaPartition: 0,
    key: "key",
    value: "value",
    timestamp: 0,
    headers,
  });
const text = (key: string, value: string) => ({ key, schema: Schemas.STRING, value });
const insert = (header: string, literal: string) => {
  const transform = new InsertHeader();
  transform.configure({ header, "value.literal": literal });
  return transform;
};

describe("InsertHeader", () => {
  test("appends after an existing header with another name", () => {
    const original = record([text("existing", "existing-value")]);
    const transformed = insert("inserted", "inserted-value").apply(original);
    expect(transformed).toEqual({
      ...original,
      headers: [text("existing", "existing-value"), text("inserted", "inserted-value")],
    });
    expect(original.headers).toHaveLength(1);
  });

  test("appends even when a header with the same name exists", () => {
    const original = record([text("existing", "preexisting-value")]);
    expect(insert("existing", "inserted-value").apply(original).headers).toEqual([
      text("existing", "preexisting-value"),
      text("existing", "inserted-value"),
    ]);
  });

  test("the literal is parsed as Kafka's Values.parseString: 1 is an int8", () => {
    const transformed = insert("inserted", "1").apply(record([text("existing", "existing-value")]));
    expect(transformed.headers[1]).toEqual({ key: "inserted", schema: Schemas.INT8, value: 1 });
    expect(insert("b", "true").apply(record([])).headers[0]).toEqual({
      key: "b",
      schema: Schemas.BOOLEAN,
      value: true,
    });
    expect(insert("e", "").apply(record([])).headers[0]).toEqual({ key: "e", schema: Schemas.STRING, value: "" });
    const list = insert("l", "[1,2]").apply(record([])).headers[0];
    expect(list?.schema?.type).toBe("array");
    expect(list?.value).toEqual([1, 2]);
  });

  test("both keys are required", () => {
    expect(() => new InsertHeader().configure({ "value.literal": "1" })).toThrow(
      'Missing required configuration "header"',
    );
    expect(() => new InsertHeader().configure({ header: "inserted" })).toThrow(
      'Missing required configuration "value.literal"',
    );
  });

  test("keeps the non-header fields", () => {
    const original = record([]);
    const { headers: _, ...rest } = insert("h", "v").apply(original);
    const { headers: __, ...expected } = original;
    expect(rest).toEqual(expected);
  });
});
