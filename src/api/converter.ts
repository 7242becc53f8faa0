import type { ConfigDef } from "./config-def.ts";
import type { Headers } from "./headers.ts";
import type { Schema, SchemaAndValue } from "./schema.ts";

/**
 * Turns Connect data into bytes and back, independent of any connector. One instance serves either keys or
 * values (`isKey` in `configure`). Converters are called from one task at a time and may cache per schema.
 */
export interface Converter {
  configure(configs: Readonly<Record<string, string>>, isKey: boolean): void;
  /** Serializes a value; null for a null value (a tombstone when it is the record value). */
  fromConnectData(topic: string, headers: Headers, schema: Schema | null, value: unknown): Uint8Array | null;
  /**
   * Deserializes bytes. The bytes may be a view into memory the runtime frees after the batch: the returned value
   * must not keep a reference to them (decode or copy).
   */
  toConnectData(topic: string, headers: Headers, bytes: Uint8Array | null): SchemaAndValue;
  config(): ConfigDef;
  close?(): void;
}

/** Turns one header value into bytes and back. */
export interface HeaderConverter {
  configure(configs: Readonly<Record<string, string>>): void;
  fromConnectHeader(topic: string, headerKey: string, schema: Schema | null, value: unknown): Uint8Array | null;
  toConnectHeader(topic: string, headerKey: string, bytes: Uint8Array | null): SchemaAndValue;
  config(): ConfigDef;
  close?(): void;
}
