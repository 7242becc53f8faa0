import fc from "fast-check";
import { type Field, type Schema, SchemaBuilder, Schemas } from "../../../../../src/api/schema.ts";
import { schemaKey } from "../../../../../src/data/converters/schema-registry/avro/avro-schema-key.ts";
import { leafSchemas } from "../../connect-arbitraries.ts";

/**
 * Random Connect schemas that Avro can hold: every type and logical type, optional, nested structs (named ones
 * with unique names), arrays, maps with string and other keys; field names valid Avro names.
 */

const leaves: Schema[] = [
  ...leafSchemas,
  new SchemaBuilder("string").name("ns.Doc").version(3).doc("doc").parameter("k", "v").build(),
];

const avroName = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,5}$/);
const optionalOf = (schema: Schema): Schema => Object.freeze({ ...schema, optional: true });

const { schema: rawSchema } = fc.letrec<{ schema: Schema }>((tie) => ({
  schema: fc
    .tuple(
      fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        fc.constantFrom(...leaves),
        tie("schema").map((item) => SchemaBuilder.array(item).build()),
        fc
          .tuple(fc.constantFrom(Schemas.STRING, Schemas.INT32, Schemas.INT64), tie("schema"))
          .map(([key, value]) => SchemaBuilder.map(key, value).build()),
        fc.tuple(fc.uniqueArray(avroName, { maxLength: 4 }), fc.boolean()).chain(([names, named]) =>
          fc.tuple(...names.map(() => tie("schema"))).map((schemas) => {
            const builder = SchemaBuilder.struct();
            if (named) builder.name("placeholder").version(1).doc("a struct").parameter("p", "q");
            for (const [i, field] of names.entries()) builder.field(field, schemas[i] as Schema);
            return builder.build();
          }),
        ),
      ),
      fc.boolean(),
    )
    .map(([schema, optional]) => (optional ? optionalOf(schema) : schema)),
}));

/** Gives every named struct its own name (Avro refuses two different types of one name). */
function renamed(schema: Schema, counter = { next: 0 }): Schema {
  switch (schema.type) {
    case "array":
      return Object.freeze({ ...schema, valueSchema: renamed(schema.valueSchema as Schema, counter) });
    case "map":
      return Object.freeze({ ...schema, valueSchema: renamed(schema.valueSchema as Schema, counter) });
    case "struct": {
      const fields: Field[] = (schema.fields ?? []).map((f) => ({ ...f, schema: renamed(f.schema, counter) }));
      const name = schema.name === undefined ? undefined : `com.example.S${counter.next++}`;
      return Object.freeze({ ...schema, ...(name ? { name } : {}), fields: Object.freeze(fields) });
    }
    default:
      return schema;
  }
}

/**
 * Whether at most one kind of map with non-string keys occurs: each is an array of records all named
 * io.confluent.connect.avro.MapEntry, and two different ones cannot live in one Avro schema (Confluent's
 * "Can't redefine: io.confluent.connect.avro.MapEntry", tested on its own).
 */
function oneKindOfMapEntry(schema: Schema): boolean {
  const kinds = new Set<string>();
  const walk = (s: Schema): void => {
    if (s.type === "map" && s.keySchema?.type !== "string") kinds.add(schemaKey({ ...s, optional: false }));
    if (s.keySchema) walk(s.keySchema);
    if (s.valueSchema) walk(s.valueSchema);
    for (const f of s.fields ?? []) walk(f.schema);
  };
  walk(schema);
  return kinds.size <= 1;
}

export const avroSchema: fc.Arbitrary<Schema> = rawSchema.map((schema) => renamed(schema)).filter(oneKindOfMapEntry);
