import { expect } from "bun:test";
import fc from "fast-check";
import type { Schema, SchemaType } from "../../../src/api/schema.ts";
import { SchemaBuilder, Schemas } from "../../../src/api/schema.ts";
import { Struct } from "../../../src/api/struct.ts";
import { structSlots } from "../../../src/data/transforms/util/struct-access.ts";

/**
 * Generated Struct schemas (nested and optional structs, defaults, names Flatten joins into clashes, maps it
 * refuses), values (nulls, unset fields, nested Structs of another schema object, values of the wrong kind) and
 * chains of Flatten, Cast, ReplaceField and Drop with their options, for the property tests of the fast paths that
 * compile a chain per Struct schema.
 */

const NAMES = ["a", "b", "c", "a.b", "b_c"];
const name = fc.constantFrom(...NAMES);

const leafSchema: fc.Arbitrary<Schema> = fc
  .tuple(
    fc.constantFrom<SchemaType>("int32", "int64", "float64", "string", "boolean", "bytes"),
    fc.boolean(),
    fc.boolean(),
  )
  .map(([type, optional, withDefault]) => {
    const builder = new SchemaBuilder(type);
    if (optional) builder.optional();
    if (withDefault) builder.defaultValue(sampleOf(type));
    return builder.build();
  });

function sampleOf(type: SchemaType): unknown {
  switch (type) {
    case "int32":
      return 7;
    case "int64":
      return 12;
    case "float64":
      return 2.5;
    case "string":
      return "17";
    case "boolean":
      return true;
    default:
      return new Uint8Array([1, 2]);
  }
}

export const { struct: structSchema } = fc.letrec<{ struct: Schema; field: Schema }>((tie) => ({
  struct: fc
    .tuple(fc.uniqueArray(name, { maxLength: 4 }), fc.boolean(), fc.boolean())
    .chain(([names, optional, withDefault]) =>
      fc.tuple(...names.map(() => tie("field"))).map((schemas) => {
        const builder = SchemaBuilder.struct();
        for (const [i, field] of names.entries()) builder.field(field, schemas[i] as Schema);
        if (optional) builder.optional();
        const schema = builder.build();
        if (!withDefault) return schema;
        // A default Struct: of an equal schema object, as a user would build one.
        return Object.freeze({ ...schema, defaultValue: filled(schema) }) as Schema;
      }),
    ),
  field: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leafSchema,
    leafSchema,
    tie("struct"),
    fc.constant(SchemaBuilder.map(Schemas.STRING, Schemas.INT32).optional().build()),
  ),
}));

/** A Struct of the schema with every leaf set to its sample (for default values). */
function filled(schema: Schema): Struct {
  const struct = new Struct(schema);
  for (const field of schema.fields ?? []) {
    if (field.schema.type === "struct") struct.put(field.name, filled(field.schema));
    else if (field.schema.type !== "map") struct.put(field.name, sampleOf(field.schema.type));
  }
  return struct;
}

/** A value for a field: mostly right, sometimes null, unset, of another schema object or of the wrong kind. */
function fieldValue(schema: Schema): fc.Arbitrary<unknown> {
  const right: fc.Arbitrary<unknown> =
    schema.type === "struct"
      ? structValue(schema)
      : schema.type === "map"
        ? fc.constant({ k: 1 })
        : fc.constantFrom(sampleOf(schema.type), ...(MORE_VALUES[schema.type] ?? []));
  const odd: fc.Arbitrary<unknown>[] = [fc.constant(null), fc.constant(undefined), fc.constant("not a struct")];
  // A null struct: Flatten leaves the fields under it unset.
  if (schema.type === "struct") odd.push(fc.constant(null), fc.constant(null));
  if (schema.type === "struct")
    odd.push(
      structValue(Object.freeze({ ...schema }) as Schema),
      fc.constant(new Struct(SchemaBuilder.struct().build())),
    );
  return fc.oneof({ weight: 6, arbitrary: right }, ...odd.map((arbitrary) => ({ weight: 1, arbitrary })));
}

/** Values of each type beyond the sample: edges of what the fast paths copy as bytes, and what they leave. */
const MORE_VALUES: Partial<Record<SchemaType, readonly unknown[]>> = {
  int32: [-3, 0, 2147483647],
  int64: [-5, 0, 9007199254740991],
  float64: [5, -0, 0.1, 1e10, 1e-5, 123456.789, 0.001, 1234567.5, 0.30000000000000004],
  string: ["x", 'q"uote', "caf\u00e9", "line\n", "\ud83d\ude00", ""],
  boolean: [false],
};

export function structValue(schema: Schema): fc.Arbitrary<Struct> {
  const fields = schema.fields ?? [];
  return fc.tuple(...fields.map((field) => fieldValue(field.schema))).map((values) => {
    const struct = new Struct(schema);
    fields.forEach((field, i) => {
      if (values[i] !== undefined) struct.put(field.name, values[i]);
    });
    return struct;
  });
}

const castTarget = fc.constantFrom("string", "int32", "int64", "float64", "boolean", "int8");
const nullDefault = fc.boolean().map(String);

const flatten = fc.constantFrom(".", "_").map((delimiter) => ({
  type: "org.apache.kafka.connect.transforms.Flatten$Value",
  delimiter,
}));

/** One stage's settings (without the `transforms.<alias>.` prefix). */
const stage: fc.Arbitrary<Record<string, string>> = fc.oneof(
  flatten,
  fc
    .tuple(
      fc.uniqueArray(fc.tuple(name, castTarget), { minLength: 1, maxLength: 3, selector: ([n]) => n }),
      nullDefault,
    )
    .map(([casts, replace]) => ({
      type: "org.apache.kafka.connect.transforms.Cast$Value",
      spec: casts.map(([field, target]) => `${field}:${target}`).join(","),
      "replace.null.with.default": replace,
    })),
  fc
    .tuple(
      fc.uniqueArray(name, { maxLength: 2 }),
      fc.uniqueArray(name, { maxLength: 3 }),
      fc.uniqueArray(fc.tuple(name, fc.constantFrom("x", "a", "b")), { maxLength: 2, selector: ([n]) => n }),
      nullDefault,
    )
    .map(([exclude, include, renames, replace]) => ({
      type: "org.apache.kafka.connect.transforms.ReplaceField$Value",
      exclude: exclude.join(","),
      include: include.join(","),
      renames: renames.map(([from, to]) => `${from}:${to}`).join(","),
      "replace.null.with.default": replace,
    })),
  fc.constantFrom("nullify", "retain", "validate", "force_optional").map((behavior) => ({
    type: "io.confluent.connect.transforms.Drop$Value",
    "schema.behavior": behavior,
  })),
);

export function chainConfig(stages: readonly Record<string, string>[]): Record<string, string> {
  const config: Record<string, string> = { transforms: stages.map((_, i) => `t${i}`).join(",") };
  stages.forEach((settings, i) => {
    for (const [key, value] of Object.entries(settings)) config[`transforms.t${i}.${key}`] = value;
  });
  return config;
}

/** 1 to 4 stages, often a Flatten last (whose unset fields no later stage reads back as null). */
export const chainStages: fc.Arbitrary<Record<string, string>[]> = fc
  .tuple(fc.array(stage, { maxLength: 3 }), fc.option(flatten, { freq: 2 }))
  .map(([stages, last]) => (last === null ? stages : [...stages, last]))
  .filter((stages) => stages.length > 0);

/** The same Struct, slot for slot: unset and null told apart, leaves equal (kept ones the very same). */
export function expectSameStruct(actual: unknown, expected: unknown): void {
  if (!(expected instanceof Struct)) {
    expect(actual).toBe(expected as null);
    return;
  }
  expect(actual).toBeInstanceOf(Struct);
  const mine = actual as Struct;
  expect(Bun.deepEquals(mine.schema, expected.schema, true)).toBe(true);
  const a = structSlots(mine) as readonly unknown[];
  const b = structSlots(expected) as readonly unknown[];
  expect(a.length).toBe(b.length);
  for (let i = 0; i < b.length; i++) {
    if (b[i] instanceof Struct) expectSameStruct(a[i], b[i]);
    else if (typeof b[i] === "object" && b[i] !== null) expect(Bun.deepEquals(a[i], b[i], true)).toBe(true);
    else expect(Object.is(a[i], b[i])).toBe(true);
  }
}
