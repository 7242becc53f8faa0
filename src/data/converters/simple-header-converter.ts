import { type ConfigDef, ConfigDef as ConfigDefClass } from "../../api/config-def.ts";
import type { HeaderConverter } from "../../api/converter.ts";
import type { Schema, SchemaAndValue } from "../../api/schema.ts";
import { convertToString } from "../../api/values-format.ts";
import { parseString } from "../../api/values-parse.ts";

/**
 * Kafka's SimpleHeaderConverter (`org.apache.kafka.connect.storage.SimpleHeaderConverter`), the default
 * `header.converter`: writes a header value as the UTF-8 text of `Values.convertToString` (no schema on the wire)
 * and infers a schema when reading it back (see values-parse.ts for what is inferred).
 */

const NULL_SCHEMA_AND_VALUE: SchemaAndValue = Object.freeze({ schema: null, value: null });
const SIMPLE_HEADER_CONVERTER_CONFIG_DEF: ConfigDef = new ConfigDefClass();

export class SimpleHeaderConverter implements HeaderConverter {
  private readonly encoder = new TextEncoder();
  private readonly decoder = new TextDecoder("utf-8", { ignoreBOM: true });

  config(): ConfigDef {
    return SIMPLE_HEADER_CONVERTER_CONFIG_DEF;
  }

  configure(_configs: Readonly<Record<string, string>>): void {}

  fromConnectHeader(_topic: string, _headerKey: string, schema: Schema | null, value: unknown): Uint8Array | null {
    const text = convertToString(schema, value);
    return text === null ? null : this.encoder.encode(text);
  }

  toConnectHeader(_topic: string, _headerKey: string, bytes: Uint8Array | null): SchemaAndValue {
    if (bytes === null) return NULL_SCHEMA_AND_VALUE;
    // Kafka falls back to the raw bytes when parsing throws; the simple inference here cannot throw.
    return parseString(this.decoder.decode(bytes));
  }

  close(): void {}
}
