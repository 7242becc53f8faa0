/** The schema languages a Schema Registry holds, as its `schemaType` names them (absent means AVRO). */
export type RegistrySchemaType = "AVRO" | "PROTOBUF" | "JSON";

/** A reference from one registry schema to another (Protobuf imports, JSON Schema `$ref`s, Avro named types). */
export interface SchemaReference {
  readonly name: string;
  readonly subject: string;
  readonly version: number;
}

/** A schema as the registry stores and serves it. */
export interface RegistrySchema {
  readonly schemaType: RegistrySchemaType;
  /** The schema's text: Avro JSON, a `.proto` file, or a JSON Schema document. */
  readonly schema: string;
  readonly references: readonly SchemaReference[];
}

/** A schema registered under a subject: its global id and its version in that subject. */
export interface SubjectVersion {
  readonly subject: string;
  readonly id: number;
  readonly version: number;
  readonly schema: RegistrySchema;
}
