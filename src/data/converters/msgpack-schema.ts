import type { Schema } from "../../api/schema.ts";
import * as envelope from "./envelope-schema.ts";
import type { MessagePackDecoder } from "./msgpack-decode.ts";
import type { MessagePackEncoder } from "./msgpack-encode.ts";

/**
 * Schemas in MessagePackConverter's envelope: JsonConverter's envelope schema (envelope-schema.ts) as a MessagePack
 * map instead of JSON text. A `default` is in the MessagePack form of its schema, as a payload value would be.
 */

/** The schema as a tree for msgpackr to pack. */
export function schemaToNode(schema: Schema, encoder: MessagePackEncoder): Record<string, unknown> {
  return envelope.schemaToNode(schema, (inner, value) => encoder.encode(inner, value));
}

/** The Schema an unpacked envelope `schema` node describes; null for nil. Errors are Kafka's JsonConverter's. */
export function schemaFromNode(node: unknown, decoder: MessagePackDecoder): Schema | null {
  if (node === null || node === undefined) return null;
  return envelope.schemaFromNode(node, (schema, fallback) =>
    fallback === undefined || fallback === null ? undefined : decoder.decode(schema, fallback),
  );
}
