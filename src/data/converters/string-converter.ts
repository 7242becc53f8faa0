import { AbstractConfig, type ConfigDef } from "../../api/config-def.ts";
import type { Converter, HeaderConverter } from "../../api/converter.ts";
import { ConfigError } from "../../api/errors.ts";
import type { Headers } from "../../api/headers.ts";
import { type Schema, type SchemaAndValue, Schemas } from "../../api/schema.ts";
import { type Charset, charsetFor, SUPPORTED_CHARSETS } from "./charset.ts";
import { newConverterConfigDef, withConverterType } from "./converter-config.ts";
import { javaToString } from "./java-format.ts";

/**
 * Kafka's StringConverter (`org.apache.kafka.connect.storage.StringConverter`), also a HeaderConverter: writes any
 * value's `toString()` in `converter.encoding`, ignoring the schema, and reads bytes back as an optional string.
 */

export const ENCODING_CONFIG = "converter.encoding";

export const STRING_CONVERTER_CONFIG_DEF: ConfigDef = newConverterConfigDef().define({
  name: ENCODING_CONFIG,
  type: "string",
  defaultValue: "UTF-8",
  importance: "high",
  documentation: "The name of the Java character set to use for encoding strings as byte arrays.",
  orderInGroup: -1,
  width: "medium",
  displayName: "Encoding",
});

export class StringConverter implements Converter, HeaderConverter {
  private charset: Charset = charsetFor("UTF-8") as Charset;

  config(): ConfigDef {
    return STRING_CONVERTER_CONFIG_DEF;
  }

  /** Unlike Kafka (which fails on the first record), an unknown encoding fails here, naming the key. */
  configure(configs: Readonly<Record<string, string>>, isKey?: boolean): void {
    const config = new AbstractConfig(STRING_CONVERTER_CONFIG_DEF, withConverterType(configs, isKey));
    const name = config.getString(ENCODING_CONFIG);
    const charset = charsetFor(name);
    if (!charset) {
      throw new ConfigError(
        `Invalid value ${name} for configuration ${ENCODING_CONFIG}: unsupported encoding (supported: ${SUPPORTED_CHARSETS.join(", ")})`,
        { key: ENCODING_CONFIG },
      );
    }
    this.charset = charset;
  }

  fromConnectData(_topic: string, _headers: Headers, schema: Schema | null, value: unknown): Uint8Array | null {
    if (value === null || value === undefined) return null;
    return this.charset.encode(javaToString(value, schema));
  }

  toConnectData(_topic: string, _headers: Headers, bytes: Uint8Array | null): SchemaAndValue {
    return { schema: Schemas.OPTIONAL_STRING, value: bytes === null ? null : this.charset.decode(bytes) };
  }

  fromConnectHeader(topic: string, _headerKey: string, schema: Schema | null, value: unknown): Uint8Array | null {
    return this.fromConnectData(topic, [], schema, value);
  }

  toConnectHeader(topic: string, _headerKey: string, bytes: Uint8Array | null): SchemaAndValue {
    return this.toConnectData(topic, [], bytes);
  }

  close(): void {}
}
