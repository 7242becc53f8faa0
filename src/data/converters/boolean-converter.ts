import { AbstractConfig, type ConfigDef } from "../../api/config-def.ts";
import type { Converter, HeaderConverter } from "../../api/converter.ts";
import { DataError } from "../../api/errors.ts";
import type { Headers } from "../../api/headers.ts";
import { type Schema, type SchemaAndValue, Schemas } from "../../api/schema.ts";
import { typeName } from "../../api/type-name.ts";
import { newConverterConfigDef, withConverterType } from "./converter-config.ts";

/**
 * Kafka's BooleanConverter (`org.apache.kafka.connect.converters.BooleanConverter`), also a HeaderConverter: one
 * byte, 0x01 for true and 0x00 for false (Kafka's BooleanSerializer), read back with an optional boolean schema.
 * Unlike the numeric converters it checks the schema it is given.
 */

export const BOOLEAN_CONVERTER_CONFIG_DEF: ConfigDef = newConverterConfigDef();

const TRUE = 0x01;
const FALSE = 0x00;

export class BooleanConverter implements Converter, HeaderConverter {
  config(): ConfigDef {
    return BOOLEAN_CONVERTER_CONFIG_DEF;
  }

  configure(configs: Readonly<Record<string, string>>, isKey?: boolean): void {
    new AbstractConfig(BOOLEAN_CONVERTER_CONFIG_DEF, withConverterType(configs, isKey));
  }

  fromConnectData(_topic: string, _headers: Headers, schema: Schema | null, value: unknown): Uint8Array | null {
    if (schema !== null && schema.type !== "boolean")
      throw new DataError(`Invalid schema type for BooleanConverter: ${schema.type.toUpperCase()}`);
    if (value === null || value === undefined) return null;
    if (typeof value !== "boolean")
      throw new DataError(`BooleanConverter is not compatible with objects of type ${typeName(value)}`);
    return Uint8Array.of(value ? TRUE : FALSE);
  }

  toConnectData(_topic: string, _headers: Headers, bytes: Uint8Array | null): SchemaAndValue {
    if (bytes === null) return { schema: Schemas.OPTIONAL_BOOLEAN, value: null };
    if (bytes.length !== 1)
      throw new DataError("Failed to deserialize boolean: Size of data received by BooleanDeserializer is not 1");
    const byte = bytes[0] as number;
    if (byte !== TRUE && byte !== FALSE) {
      // Java prints the byte signed.
      const signed = byte > 127 ? byte - 256 : byte;
      throw new DataError(`Failed to deserialize boolean: Unexpected byte received by BooleanDeserializer: ${signed}`);
    }
    return { schema: Schemas.OPTIONAL_BOOLEAN, value: byte === TRUE };
  }

  fromConnectHeader(topic: string, _headerKey: string, schema: Schema | null, value: unknown): Uint8Array | null {
    return this.fromConnectData(topic, [], schema, value);
  }

  toConnectHeader(topic: string, _headerKey: string, bytes: Uint8Array | null): SchemaAndValue {
    return this.toConnectData(topic, [], bytes);
  }

  close(): void {}
}
