import { type Schema, SchemaBuilder, Schemas, Struct } from "../../../src/index.ts";

/** A Debezium-like table row schema for the tests: id (int32 key), name (optional string). */
export const ROW = SchemaBuilder.struct()
  .name("server.public.items.Value")
  .field("id", Schemas.INT32)
  .field("name", Schemas.OPTIONAL_STRING)
  .optional()
  .build();

export const KEY = SchemaBuilder.struct().name("server.public.items.Key").field("id", Schemas.INT32).build();

const SOURCE = SchemaBuilder.struct()
  .name("io.debezium.connector.postgresql.Source")
  .field("db", Schemas.STRING)
  .field("schema", Schemas.STRING)
  .field("table", Schemas.STRING)
  .build();

/** A Debezium change event envelope for rows of `row`. */
export function envelopeSchema(row: Schema = ROW): Schema {
  return SchemaBuilder.struct()
    .name("server.public.items.Envelope")
    .field("before", row)
    .field("after", row)
    .field("source", SOURCE)
    .field("op", Schemas.STRING)
    .field("ts_ms", Schemas.OPTIONAL_INT64)
    .build();
}

export function row(id: number, name: string | null, schema: Schema = ROW): Struct {
  return new Struct(schema).put("id", id).put("name", name);
}

export function key(id: number): Struct {
  return new Struct(KEY).put("id", id);
}

export function envelope(op: string, before: Struct | null, after: Struct | null, table = "items"): Struct {
  const source = new Struct(SOURCE).put("db", "inventory").put("schema", "public").put("table", table);
  return new Struct(envelopeSchema(after?.schema ?? before?.schema ?? ROW))
    .put("before", before)
    .put("after", after)
    .put("source", source)
    .put("op", op);
}
