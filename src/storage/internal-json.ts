/**
 * The internal topics' value format: Kafka's JsonConverter with `schemas.enable=false`, which is what Kafka Connect
 * uses for its config, offset and status topics (the Worker's internal converter). Writing through sluice's own
 * JsonConverter gives Jackson's bytes (key order as given, Java's number and escape rules); reading keeps Java's
 * types (integral numbers are Longs: plain numbers, or bigints beyond 2^53).
 */
import { NO_HEADERS } from "../api/headers.ts";
import { JsonConverter } from "../data/converters/json-converter.ts";

const converter = new JsonConverter();
converter.configure({ "schemas.enable": "false" }, false);
const encoder = new TextEncoder();

/** A value's bytes; null stays null (a tombstone). */
export function toInternalJson(value: unknown): Uint8Array | null {
  return converter.fromConnectData("", NO_HEADERS, null, value);
}

/** A value read back; throws a DataError for bytes that are not JSON. A tombstone is null. */
export function fromInternalJson(bytes: Uint8Array | null): unknown {
  return converter.toConnectData("", NO_HEADERS, bytes).value;
}

/** Keys of the config and status topics are plain UTF-8 strings (Kafka's StringSerializer). */
export function stringKey(key: string): Uint8Array {
  return encoder.encode(key);
}
