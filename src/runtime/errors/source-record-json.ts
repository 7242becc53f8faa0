import { encodeBase64 } from "../../api/base64.ts";
import { Decimal, isDecimal } from "../../api/decimal.ts";
import { Float32, Float64 } from "../../api/java-numbers.ts";
import type { SourceRecord } from "../../api/record.ts";
import { Struct } from "../../api/struct.ts";

/**
 * The value of a dead-letter-queue record for a failed source record (a sluice addition: Kafka's dead-letter queue
 * serves sink connectors only). A source record has no bytes yet (its conversion may be what failed), so the
 * record is described as JSON, in Connect data terms:
 *
 * `{"topic", "kafkaPartition", "timestamp", "key", "value", "headers": [{"key", "value"}], "sourcePartition",
 *   "sourceOffset"}`
 *
 * Values map to JSON losslessly: bytes as base64 text, int64 bigints and decimals as decimal text, dates as ISO-8601
 * text, structs and maps as objects (map keys as text), arrays as arrays.
 */
export function sourceRecordJson(record: SourceRecord): string {
  return JSON.stringify({
    topic: record.topic,
    kafkaPartition: record.kafkaPartition,
    timestamp: record.timestamp,
    key: toJson(record.key),
    value: toJson(record.value),
    headers: record.headers.map((h) => ({ key: h.key, value: toJson(h.value) })),
    sourcePartition: toJson(record.sourcePartition),
    sourceOffset: toJson(record.sourceOffset),
  });
}

function toJson(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case "bigint":
      return value.toString();
    case "number":
      // JSON has no NaN or infinities; their text keeps them recognisable.
      return Number.isFinite(value) ? value : String(value);
    case "string":
    case "boolean":
      return value;
    case "object":
      break;
    default:
      return String(value);
  }
  if (value instanceof Float64 || value instanceof Float32) return toJson(value.toJSON());
  if (value instanceof Uint8Array) return encodeBase64(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (isDecimal(value)) return new Decimal(value.unscaled, value.scale).toString();
  if (value instanceof Struct) {
    const out: Record<string, unknown> = {};
    for (const field of value.schema.fields ?? []) out[field.name] = toJson(value.getWithoutDefault(field.name));
    return out;
  }
  if (Array.isArray(value)) return value.map(toJson);
  const entries = value instanceof Map ? [...value.entries()] : Object.entries(value);
  const out: Record<string, unknown> = {};
  for (const [k, v] of entries) out[String(k)] = toJson(v);
  return out;
}
