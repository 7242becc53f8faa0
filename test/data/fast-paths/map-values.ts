/** Helpers for the compiled chain's tests: a record around a value, and a value described exactly. */

import { Float32, Float64 } from "../../../src/api/java-numbers.ts";
import type { SinkRecord } from "../../../src/api/record.ts";

export function sinkRecord(value: unknown): SinkRecord {
  return {
    topic: "t",
    kafkaPartition: 0,
    kafkaOffset: 0,
    keySchema: null,
    key: null,
    valueSchema: null,
    value,
    timestamp: null,
    timestampType: "NoTimestampType",
    headers: [],
  };
}

/**
 * A value as text that tells apart what toEqual does not: key order, number types (`1` vs `1n` vs a Float64 box),
 * prototypes of maps, and -0.
 */
export function describeValue(value: unknown): string {
  if (value === undefined) return "undefined";
  if (value === null) return "null";
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "number") return Object.is(value, -0) ? "-0" : String(value);
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "boolean") return String(value);
  if (value instanceof Float64) return `Float64(${describeValue(value.value)})`;
  if (value instanceof Float32) return `Float32(${describeValue(value.value)})`;
  if (Array.isArray(value)) return `[${value.map(describeValue).join(",")}]`;
  const proto = Object.getPrototypeOf(value) === null ? "null-proto" : "";
  const entries = Object.keys(value as object).map(
    (key) => `${JSON.stringify(key)}:${describeValue((value as Record<string, unknown>)[key])}`,
  );
  return `${proto}{${entries.join(",")}}`;
}
