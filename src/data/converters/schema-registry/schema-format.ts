import type { Schema, SchemaAndValue } from "../../../api/schema.ts";
import type { RegistrySchema, RegistrySchemaType } from "../../../schema-registry/registry-schema.ts";

export type { RegistrySchema, RegistrySchemaType, SchemaReference } from "../../../schema-registry/registry-schema.ts";

/**
 * A registry schema parsed once and kept (per schema id, per Connect schema): whatever the format needs to read
 * and write with it quickly.
 */
export interface ParsedSchema {
  readonly registry: RegistrySchema;
  /**
   * The fully qualified name of the record (Avro record, Protobuf message, JSON Schema `title`) that
   * RecordNameStrategy and TopicRecordNameStrategy name subjects after; null when the schema has none (Confluent
   * then refuses those strategies).
   */
  readonly recordName: string | null;
}

/**
 * One schema language's half of a registry converter: Confluent's AvroData, ProtobufData or JsonSchemaData with the
 * matching serializer's body encoding. The converter around it owns the registry and the wire framing (magic byte
 * 0 and the 4-byte big-endian schema id); a format owns every byte after those five (for Protobuf, its message
 * indexes too). Every method is synchronous and free of I/O: the converter resolves schemas before calling them.
 */
export interface SchemaFormat<P extends ParsedSchema = ParsedSchema> {
  readonly schemaType: RegistrySchemaType;
  /**
   * The Connect schema of a value to the registry schema Confluent's converter derives for it (AvroData's
   * fromConnectSchema, ...). `null` is a value without a schema, where the format allows one.
   */
  fromConnectSchema(schema: Schema | null): P;
  /**
   * A schema read from the registry (by id, or the latest version of a subject). `references` holds the text of
   * every schema it refers to, directly or not, by reference name (a Protobuf import's file name).
   */
  parse(schema: RegistrySchema, references?: ReadonlyMap<string, string>): P;
  /** Connect data to the body bytes, written with `writer` (derived from `schema`, or the registry's latest). */
  serialize(writer: P, schema: Schema | null, value: unknown): Uint8Array;
  /**
   * Body bytes (everything after the schema id) written with `writer` to Connect data. `version` is the writer
   * schema's version in the record's subject, which Confluent's converters give the Connect schema (unless the
   * schema names its own, in `connect.version`).
   */
  deserialize(writer: P, body: Uint8Array, version?: number | null): SchemaAndValue;
  /**
   * The record a body holds, when a schema holds several (Protobuf's message indexes choose one): what the record
   * name strategies name the reader's subject after. Without it, the schema's `recordName`.
   */
  recordNameOf?(writer: P, body: Uint8Array): string | null;
  /**
   * Why `reader` cannot read what `writer` writes (empty when it can): the check of `latest.compatibility.strict`
   * (the subject's latest version must be backward compatible with the record's schema). A format without it skips
   * the check.
   */
  compatibilityErrors?(reader: P, writer: P): string[];
}
