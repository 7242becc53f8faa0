/**
 * The datagen `orders` shape (plugins/datagen/shapes/orders-shape.ts) as a schema, field for field, and the same
 * as the Java connector's (bench/connect/java): both sources build their Structs against it in workload 3.
 */
import { type Schema, SchemaBuilder, Schemas, Struct } from "../../../src/index.ts";

const ADDRESS = SchemaBuilder.struct()
  .name("io.sluice.connect.datagen.Address")
  .field("street", Schemas.STRING)
  .field("city", Schemas.STRING)
  .field("zip", Schemas.STRING)
  .field("country", Schemas.STRING)
  .build();

const CUSTOMER = SchemaBuilder.struct()
  .name("io.sluice.connect.datagen.Customer")
  .field("id", Schemas.INT64)
  .field("name", Schemas.STRING)
  .field("email", Schemas.STRING)
  .field("address", ADDRESS)
  .build();

const ITEM = SchemaBuilder.struct()
  .name("io.sluice.connect.datagen.OrderItem")
  .field("sku", Schemas.STRING)
  .field("qty", Schemas.INT32)
  .field("price", Schemas.FLOAT64)
  .build();

export const ORDER_SCHEMA: Schema = SchemaBuilder.struct()
  .name("io.sluice.connect.datagen.Order")
  .field("order_id", Schemas.STRING)
  .field("customer", CUSTOMER)
  .field("items", SchemaBuilder.array(ITEM).build())
  .field("total", Schemas.FLOAT64)
  .field("currency", Schemas.STRING)
  .field("created_at", Schemas.INT64)
  .field("status", Schemas.STRING)
  .build();

/**
 * A parsed order as a Struct, walking the schema as the Java twin's toStruct does. Every number in the file is a
 * JS number already, and every field is required, so values go in as they are.
 */
export function toStruct(schema: Schema, object: Record<string, unknown>): Struct {
  const struct = new Struct(schema);
  for (const field of schema.fields ?? []) {
    const value = object[field.name];
    if (field.schema.type === "struct") {
      struct.put(field.name, toStruct(field.schema, value as Record<string, unknown>));
    } else if (field.schema.type === "array") {
      const items = field.schema.valueSchema as Schema;
      struct.put(
        field.name,
        (value as Record<string, unknown>[]).map((item) => toStruct(items, item)),
      );
    } else {
      struct.put(field.name, value);
    }
  }
  return struct;
}
