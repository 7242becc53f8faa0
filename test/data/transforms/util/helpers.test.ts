import { describe, expect, test } from "bun:test";
import { Decimal } from "../../../../src/api/decimal.ts";
import { DataError } from "../../../../src/api/errors.ts";
import { sourceRecord } from "../../../../src/api/record.ts";
import type { Schema } from "../../../../src/api/schema.ts";
import { SchemaBuilder, Schemas } from "../../../../src/api/schema.ts";
import { getOwn, isSchemalessMap, setOwn } from "../../../../src/api/schemaless-map.ts";
import { Struct } from "../../../../src/api/struct.ts";
import { Timestamp } from "../../../../src/api/timestamp.ts";
import { KEY_SIDE, recordSide, VALUE_SIDE } from "../../../../src/data/transforms/util/key-or-value.ts";
import { keyAndValueManifests, TRANSFORMS_VERSION } from "../../../../src/data/transforms/util/manifest.ts";
import {
  nullSafeClassName,
  requireMap,
  requireMapOrNull,
  requireSchema,
  requireSinkRecord,
  requireStruct,
  requireStructOrNull,
} from "../../../../src/data/transforms/util/requirements.ts";
import { SchemaCache } from "../../../../src/data/transforms/util/schema-cache.ts";
import { asOptional, copySchemaBasics } from "../../../../src/data/transforms/util/schema-util.ts";
import {
  fieldByName,
  structGet,
  structOf,
  structValuesOf,
} from "../../../../src/data/transforms/util/struct-access.ts";
import { inferSchemaType } from "../../../../src/data/transforms/util/value-types.ts";
import { sinkRecord } from "./field-transform-fixtures.ts";

/** The helpers the transforms share: Kafka's Requirements and SchemaUtil, record sides, caches, Struct access. */

describe("requirements (Kafka's Requirements)", () => {
  test("requireSchema", () => {
    expect(requireSchema(Schemas.INT32, "p")).toBe(Schemas.INT32);
    expect(() => requireSchema(null, "flattening")).toThrow(new DataError("Schema required for [flattening]"));
  });

  test("requireStruct names the class Kafka would hold", () => {
    const struct = new Struct(SchemaBuilder.struct().build());
    expect(requireStruct(struct, "p")).toBe(struct);
    expect(requireStructOrNull(null, "p")).toBeNull();
    expect(() => requireStruct(42, "flattening")).toThrow(
      new DataError("Only Struct objects supported for [flattening], found: java.lang.Long"),
    );
    expect(() => requireStruct(42, "flattening", Schemas.INT16)).toThrow("found: java.lang.Short");
    expect(() => requireStructOrNull("x", "p")).toThrow("found: java.lang.String");
  });

  test("requireMap accepts plain objects, and Maps whose keys are all strings", () => {
    const map = { a: 1 };
    expect(requireMap(map, "p")).toBe(map);
    expect(requireMap(new Map([["a", 1]]), "p")).toEqual({ a: 1 });
    expect(requireMapOrNull(undefined, "p")).toBeNull();
    expect(() => requireMap(new Map([[1, 1]]), "p")).toThrow(
      new DataError("Only Map objects supported in absence of schema for [p], found: java.util.HashMap"),
    );
    expect(() => requireMap(null, "p")).toThrow("found: null");
    expect(() => requireMap([1], "p")).toThrow("found: java.util.ArrayList");
  });

  test("requireSinkRecord", () => {
    const sink = sinkRecord();
    expect(requireSinkRecord(sink, "p")).toBe(sink);
    expect(() => requireSinkRecord(sourceRecord({ topic: "t", value: 1 }), "field insertion")).toThrow(
      new DataError(
        "Only SinkRecord supported for [field insertion], found: org.apache.kafka.connect.source.SourceRecord",
      ),
    );
  });

  test("class names", () => {
    expect(nullSafeClassName(1.5)).toBe("java.lang.Double");
    expect(nullSafeClassName(1e20)).toBe("java.lang.Double");
    expect(nullSafeClassName(2n ** 60n)).toBe("java.lang.Long");
    expect(nullSafeClassName(Uint8Array.of(1))).toBe("[B");
    expect(nullSafeClassName(new Date(0))).toBe("java.util.Date");
    expect(nullSafeClassName(new Decimal(1n, 0))).toBe("java.math.BigDecimal");
    expect(nullSafeClassName(true)).toBe("java.lang.Boolean");
    expect(nullSafeClassName(1, Schemas.FLOAT32)).toBe("java.lang.Float");
  });
});

describe("schema helpers (Kafka's SchemaUtil)", () => {
  test("copySchemaBasics copies name, version, doc and parameters, not optionality, default or fields", () => {
    const source = new SchemaBuilder("int64")
      .name("n")
      .version(2)
      .doc("d")
      .parameter("k", "v")
      .optional()
      .defaultValue(1)
      .build();
    expect(copySchemaBasics(source).build()).toEqual({
      type: "int64",
      optional: false,
      name: "n",
      version: 2,
      doc: "d",
      parameters: { k: "v" },
    });
    const struct = SchemaBuilder.struct().name("s").field("a", Schemas.INT32).build();
    expect(copySchemaBasics(struct, SchemaBuilder.struct()).build()).toEqual({
      type: "struct",
      optional: false,
      name: "s",
      fields: [],
    });
  });

  test("copySchemaBasics keeps array and map element schemas", () => {
    const array = SchemaBuilder.array(Schemas.STRING).doc("d").build();
    expect(copySchemaBasics(array).build()).toEqual(array);
    const map = SchemaBuilder.map(Schemas.STRING, Schemas.INT32).build();
    expect(copySchemaBasics(map).build()).toEqual(map);
  });

  test("asOptional", () => {
    expect(asOptional(Timestamp.SCHEMA)).toEqual({ ...Timestamp.SCHEMA, optional: true });
    expect(asOptional(Schemas.OPTIONAL_INT32)).toBe(Schemas.OPTIONAL_INT32);
  });
});

describe("record sides", () => {
  test("read and replace the key or the value, sharing the rest of the record", () => {
    const record = sinkRecord({
      keySchema: Schemas.STRING,
      key: "k",
      valueSchema: Schemas.INT32,
      value: 1,
      kafkaOffset: 5,
    });
    expect(KEY_SIDE.schema(record)).toBe(Schemas.STRING);
    expect(VALUE_SIDE.value(record)).toBe(1);
    const updated = KEY_SIDE.update(record, null, "x");
    expect(updated).toEqual({ ...record, keySchema: null, key: "x" });
    expect(updated.headers).toBe(record.headers);
    expect(record.key).toBe("k");
    expect(VALUE_SIDE.update(record, Schemas.STRING, "v")).toEqual({
      ...record,
      valueSchema: Schemas.STRING,
      value: "v",
    });
    expect(recordSide(true)).toBe(KEY_SIDE);
    expect(recordSide(false)).toBe(VALUE_SIDE);
  });

  test("keyAndValueManifests names both variants, with simple-name aliases", () => {
    const [key, value] = keyAndValueManifests("org.example.Thing", (side) => ({ side }) as never, ["Other"]);
    expect(key).toMatchObject({
      type: "transformation",
      className: "org.example.Thing$Key",
      aliases: ["Thing$Key", "Other$Key"],
      version: TRANSFORMS_VERSION,
    });
    expect(value?.className).toBe("org.example.Thing$Value");
    expect((value?.create() as unknown as { side: unknown } | undefined)?.side).toBe(VALUE_SIDE);
  });
});

describe("SchemaCache", () => {
  test("computes once per schema object", () => {
    const cache = new SchemaCache<number>();
    let calls = 0;
    const compute = (_schema: Schema) => ++calls;
    expect(cache.getOrCompute(Schemas.INT32, compute)).toBe(1);
    expect(cache.getOrCompute(Schemas.INT32, compute)).toBe(1);
    expect(cache.getOrCompute(Schemas.INT64, compute)).toBe(2);
    cache.clear();
    expect(cache.get(Schemas.INT32)).toBeUndefined();
  });
});

describe("Struct access by position", () => {
  const FIELDS = Array.from({ length: 12 }, (_, i) => `f${i}`);
  const builder = SchemaBuilder.struct();
  for (const name of FIELDS) builder.field(name, new SchemaBuilder("int32").optional().defaultValue(7).build());
  const WIDE = builder.build();

  test("fieldByName finds fields in small and wide structs", () => {
    expect(fieldByName(WIDE, "f11")?.index).toBe(11);
    expect(fieldByName(WIDE, "nope")).toBeUndefined();
    expect(fieldByName(Schemas.INT32, "a")).toBeUndefined();
  });

  test("structGet reads as Kafka's get (defaults for null) or getWithoutDefault", () => {
    const struct = new Struct(WIDE).put("f1", 1).put("f2", null);
    const field = (name: string) => fieldByName(WIDE, name) as NonNullable<ReturnType<typeof fieldByName>>;
    expect(structGet(struct, field("f1"), true)).toBe(1);
    expect(structGet(struct, field("f2"), true)).toBe(7);
    expect(structGet(struct, field("f2"), false)).toBeNull();
    expect(structGet(struct, field("f3"), false)).toBeNull();
    expect(structValuesOf(struct, true).slice(0, 3)).toEqual([7, 1, 7]);
  });

  test("structOf builds a Struct from values by index", () => {
    const values = FIELDS.map((_, i) => (i % 2 === 0 ? i : undefined));
    const struct = structOf(WIDE, values);
    expect(struct.getWithoutDefault("f2")).toBe(2);
    expect(struct.get("f3")).toBe(7);
    expect(() => struct.validate()).not.toThrow();
  });
});

describe("schemaless maps and value types", () => {
  test("isSchemalessMap and own-entry access", () => {
    expect(isSchemalessMap({})).toBe(true);
    expect(isSchemalessMap(Object.create(null))).toBe(true);
    expect(isSchemalessMap([])).toBe(false);
    expect(isSchemalessMap(new Date())).toBe(false);
    const map: Record<string, unknown> = {};
    setOwn(map, "__proto__", 1);
    expect(Object.getPrototypeOf(map)).toBe(Object.prototype);
    expect(getOwn(map, "__proto__")).toBe(1);
    expect(getOwn(map, "constructor")).toBeUndefined();
  });

  test("inferSchemaType follows the converters' Java classes", () => {
    expect(inferSchemaType(1)).toBe("int64");
    expect(inferSchemaType(1.5)).toBe("float64");
    expect(inferSchemaType(2n ** 63n - 1n)).toBe("int64");
    expect(inferSchemaType("s")).toBe("string");
    expect(inferSchemaType(Uint8Array.of())).toBe("bytes");
    expect(inferSchemaType([])).toBe("array");
    expect(inferSchemaType({})).toBe("map");
    expect(inferSchemaType(new Struct(SchemaBuilder.struct().build()))).toBe("struct");
    expect(inferSchemaType(new Date())).toBeNull();
    expect(inferSchemaType(new Decimal(1n, 0))).toBeNull();
  });
});
