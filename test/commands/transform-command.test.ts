import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { tempDir, writeProperties } from "../worker-harness.ts";

const CLI = join(import.meta.dir, "..", "..", "src", "cli.ts");

/** Runs `sluice transform` with these connector properties and stdin lines. */
async function transform(
  props: Record<string, string>,
  lines: unknown[],
): Promise<{ code: number; out: unknown[]; err: string }> {
  const file = writeProperties(join(tempDir(), "connector.properties"), props);
  const proc = Bun.spawn(["bun", CLI, "transform", file], { stdin: "pipe", stdout: "pipe", stderr: "pipe" });
  proc.stdin.write(lines.map((l) => (typeof l === "string" ? l : JSON.stringify(l))).join("\n"));
  await proc.stdin.end();
  const [stdout, err, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  return {
    code,
    out: stdout
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l)),
    err,
  };
}

const record = (offset: number, value: string | null, extra: Record<string, unknown> = {}) => ({
  topic: "orders",
  partition: 0,
  offset,
  timestamp: 1700000000000,
  key: "k",
  value,
  headers: {},
  ...extra,
});

const schemaless = {
  "key.converter": "org.apache.kafka.connect.storage.StringConverter",
  "value.converter.schemas.enable": "false",
};

describe("sluice transform", () => {
  test("without transforms, records come out as they went in (connector-level converter settings apply)", async () => {
    const { code, out } = await transform(schemaless, [
      record(1, '{"a":{"b":1}}', { headers: { h: "x" } }),
      record(2, null),
    ]);
    expect(code).toBe(0);
    expect(out).toEqual([record(1, '{"a":{"b":1}}', { headers: { h: "x" } }), record(2, null)]);
  });

  test("with schemas.enable (the worker default), the envelope is required", async () => {
    const { code, out } = await transform({ "key.converter": "org.apache.kafka.connect.storage.StringConverter" }, [
      record(7, '{"a":1}'),
    ]);
    expect(code).toBe(1);
    expect(out).toEqual([
      { error: expect.stringContaining('requires "schema" and "payload" fields'), stage: "VALUE_CONVERTER", offset: 7 },
    ]);
  });

  test("a failing record stops the run under errors.tolerance=none, and is skipped under all", async () => {
    const lines = [record(1, "{oops"), record(2, '{"ok":true}')];
    const none = await transform(schemaless, lines);
    expect(none.code).toBe(1);
    expect(none.out).toHaveLength(1);
    expect(none.err).toContain("stdin line 1");
    const all = await transform({ ...schemaless, "errors.tolerance": "all" }, lines);
    expect(all.code).toBe(0);
    expect(all.out).toEqual([
      { error: expect.stringContaining("offset 1"), stage: "VALUE_CONVERTER", offset: 1 },
      record(2, '{"ok":true}'),
    ]);
  });

  test("input that is not JSON, or not a record, is refused naming the line and field", async () => {
    const notJson = await transform(schemaless, ["{nope"]);
    expect(notJson.code).toBe(2);
    expect(notJson.err).toContain("stdin line 1: not JSON");
    const badShape = await transform(schemaless, [record(1, "{}"), { ...record(2, "{}"), partition: "zero" }]);
    expect(badShape.code).toBe(2);
    expect(badShape.err).toContain("stdin line 2, field partition");
  });

  test("a bad configuration is refused naming the file and key", async () => {
    const badTolerance = await transform({ ...schemaless, "errors.tolerance": "some" }, []);
    expect(badTolerance.code).toBe(2);
    expect(badTolerance.err).toContain("errors.tolerance");
    const unknownTransform = await transform(
      { ...schemaless, transforms: "x", "transforms.x.type": "com.example.Nope" },
      [],
    );
    expect(unknownTransform.code).toBe(2);
    expect(unknownTransform.err).toContain("transforms.x.type");
    expect(unknownTransform.err).toContain("com.example.Nope");
  });

  test("bytes that are not text go in and come out as base64 (keyBase64, valueBase64)", async () => {
    const bytes = {
      "key.converter": "org.apache.kafka.connect.converters.ByteArrayConverter",
      "value.converter": "org.apache.kafka.connect.converters.ByteArrayConverter",
    };
    const binary = Buffer.from([0, 0, 0, 0, 7, 0xff, 0xfe]).toString("base64");
    const { code, out } = await transform(bytes, [
      record(1, null, { key: null, keyBase64: "AAE=", valueBase64: binary }),
      record(2, "text stays text", { key: "k" }),
    ]);
    expect(code).toBe(0);
    expect(out).toEqual([
      record(1, null, { key: null, keyBase64: "AAE=", valueBase64: binary }),
      record(2, "text stays text"),
    ]);
  });

  test("base64 that is not, or a value given twice, is refused naming the line", async () => {
    const invalid = await transform(schemaless, [record(1, null, { valueBase64: "not base64!" })]);
    expect(invalid.code).toBe(2);
    expect(invalid.err).toContain("stdin line 1, field valueBase64: Invalid base64");
    const twice = await transform(schemaless, [record(1, "{}", { valueBase64: "e30=" })]);
    expect(twice.code).toBe(2);
    expect(twice.err).toContain("stdin line 1: value and valueBase64 cannot both be given");
  });
});
