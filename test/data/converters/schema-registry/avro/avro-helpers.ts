import type { Schema } from "../../../../../src/api/schema.ts";
import {
  type AvroParsedSchema,
  createAvroFormat,
} from "../../../../../src/data/converters/schema-registry/avro/avro-format.ts";

/** Test helpers: the Avro format with AvroData settings, and schemas as parsed JSON. */

export type AvroFormat = ReturnType<typeof createAvroFormat>;

export function format(configs: Record<string, string> = {}): AvroFormat {
  return createAvroFormat(configs);
}

/** The Avro schema (as JSON) derived from a Connect schema. */
export function avroOf(schema: Schema | null, configs: Record<string, string> = {}): unknown {
  return JSON.parse(format(configs).fromConnectSchema(schema).registry.schema);
}

/** A registry schema parsed from Avro JSON. */
export function parsed(avro: FormatArg, fmt: AvroFormat = format()): AvroParsedSchema {
  return fmt.parse({ schemaType: "AVRO", schema: JSON.stringify(avro), references: [] });
}

type FormatArg = string | object;

/** The Connect schema AvroData derives from Avro JSON. */
export function connectOf(avro: FormatArg, configs: Record<string, string> = {}): Schema | null {
  const fmt = format(configs);
  return fmt.connectSchemaOf(parsed(avro, fmt));
}

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("hex");
}

export function fromHex(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text.replace(/\s+/g, ""), "hex"));
}
