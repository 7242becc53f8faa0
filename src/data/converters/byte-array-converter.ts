import { AbstractConfig, type ConfigDef } from "../../api/config-def.ts";
import type { Converter, HeaderConverter } from "../../api/converter.ts";
import { DataError } from "../../api/errors.ts";
import type { Headers } from "../../api/headers.ts";
import { type Schema, type SchemaAndValue, Schemas } from "../../api/schema.ts";
import { typeName } from "../../api/type-name.ts";
import { newConverterConfigDef, withConverterType } from "./converter-config.ts";

/**
 * Kafka's ByteArrayConverter (`org.apache.kafka.connect.converters.ByteArrayConverter`), also a HeaderConverter: a
 * pass-through for raw bytes. Writing hands the caller's bytes on without copying; reading copies, because the
 * bytes it is given may be a view into memory the runtime frees after the batch.
 */

export const BYTE_ARRAY_CONVERTER_CONFIG_DEF: ConfigDef = newConverterConfigDef();

export class ByteArrayConverter implements Converter, HeaderConverter {
  config(): ConfigDef {
    return BYTE_ARRAY_CONVERTER_CONFIG_DEF;
  }

  configure(configs: Readonly<Record<string, string>>, isKey?: boolean): void {
    new AbstractConfig(BYTE_ARRAY_CONVERTER_CONFIG_DEF, withConverterType(configs, isKey));
  }

  fromConnectData(_topic: string, _headers: Headers, schema: Schema | null, value: unknown): Uint8Array | null {
    if (schema !== null && schema.type !== "bytes")
      throw new DataError(`Invalid schema type for ByteArrayConverter: ${schema.type.toUpperCase()}`);
    if (value === null || value === undefined) return null;
    if (value instanceof Uint8Array) return value;
    // An ArrayBuffer is the counterpart of the ByteBuffer Kafka also accepts.
    if (value instanceof ArrayBuffer) return new Uint8Array(value);
    throw new DataError(`ByteArrayConverter is not compatible with objects of type ${typeName(value)}`);
  }

  toConnectData(_topic: string, _headers: Headers, bytes: Uint8Array | null): SchemaAndValue {
    return { schema: Schemas.OPTIONAL_BYTES, value: bytes === null ? null : bytes.slice() };
  }

  fromConnectHeader(topic: string, _headerKey: string, schema: Schema | null, value: unknown): Uint8Array | null {
    return this.fromConnectData(topic, [], schema, value);
  }

  toConnectHeader(topic: string, _headerKey: string, bytes: Uint8Array | null): SchemaAndValue {
    return this.toConnectData(topic, [], bytes);
  }

  close(): void {}
}
