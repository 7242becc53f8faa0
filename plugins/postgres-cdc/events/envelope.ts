/**
 * Debezium's change-event envelope (io.debezium.data.Envelope, version 2): `before` and `after` rows, the `source`
 * block, the `transaction` block, the operation and the times the connector handled the event, in Debezium's field
 * order.
 */
import { type Schema, SchemaBuilder, Schemas, Struct } from "../../../src/index.ts";
import { SOURCE_SCHEMA } from "./source-info.ts";

/** Envelope.Operation's codes. */
export type Operation = "r" | "c" | "u" | "d" | "t" | "m";

/** SchemaFactory.transactionBlockSchema: set only with provide.transaction.metadata, which sluice does not offer. */
const TRANSACTION_BLOCK_SCHEMA: Schema = SchemaBuilder.struct()
  .optional()
  .name("event.block")
  .version(1)
  .field("id", Schemas.STRING)
  .field("total_order", Schemas.INT64)
  .field("data_collection_order", Schemas.INT64)
  .build();

export function envelopeSchema(name: string, valueSchema: Schema): Schema {
  return SchemaBuilder.struct()
    .version(2)
    .name(name)
    .field("before", valueSchema)
    .field("after", valueSchema)
    .field("source", SOURCE_SCHEMA)
    .field("transaction", TRANSACTION_BLOCK_SCHEMA)
    .field("op", Schemas.STRING)
    .field("ts_ms", Schemas.OPTIONAL_INT64)
    .field("ts_us", Schemas.OPTIONAL_INT64)
    .field("ts_ns", Schemas.OPTIONAL_INT64)
    .build();
}

/**
 * One envelope. `processedMicros` is when the connector handled the event (Debezium's clock), not when it happened:
 * that is the source block's time.
 */
export function envelope(
  schema: Schema,
  op: Operation,
  before: Struct | null,
  after: Struct | null,
  source: Struct,
  processedMicros: bigint,
): Struct {
  const value = new Struct(schema).put("op", op).put("source", source);
  if (before !== null) value.put("before", before);
  if (after !== null) value.put("after", after);
  return value
    .put("ts_ms", Number(processedMicros / 1000n))
    .put("ts_us", Number(processedMicros))
    .put("ts_ns", processedMicros * 1000n);
}
