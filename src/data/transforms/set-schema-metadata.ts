import { ConfigDef } from "../../api/config-def.ts";
import { ConfigError } from "../../api/errors.ts";
import type { ConnectRecord } from "../../api/record.ts";
import type { Schema } from "../../api/schema.ts";
import { Struct } from "../../api/struct.ts";
import type { Transformation } from "../../api/transform.ts";
import { structValues } from "./record-transform-helpers.ts";
import { defineReplaceNullWithDefault, REPLACE_NULL_WITH_DEFAULT_CONFIG } from "./util/config-keys.ts";
import type { RecordSide } from "./util/key-or-value.ts";
import { requireSchema } from "./util/requirements.ts";
import { SchemaCache } from "./util/schema-cache.ts";
import { structOf } from "./util/struct-access.ts";

export const SET_SCHEMA_METADATA_CONFIG_DEF: ConfigDef = defineReplaceNullWithDefault(
  new ConfigDef()
    .define({
      name: "schema.name",
      type: "string",
      defaultValue: null,
      importance: "high",
      documentation: "Schema name to set.",
    })
    .define({
      name: "schema.version",
      type: "int",
      defaultValue: null,
      importance: "high",
      documentation: "Schema version to set.",
    }),
);

/**
 * A Struct's values under another schema with the same fields (Kafka's `SetSchemaMetadata.updateSchemaIn`); any
 * other value is returned as it is, since only Structs refer to their schema.
 */
export function updateSchemaIn(keyOrValue: unknown, updatedSchema: Schema, replaceNullWithDefault = true): unknown {
  if (!(keyOrValue instanceof Struct)) return keyOrValue;
  return structOf(updatedSchema, structValues(keyOrValue, replaceNullWithDefault));
}

/**
 * Kafka's SetSchemaMetadata: gives the key or value schema another name and/or version, keeping everything else
 * (type, optionality, default, doc, parameters, fields). A Struct is rebuilt on the new schema so that it points
 * at it. A null value without a schema passes untouched; any other value needs a schema.
 */
export class SetSchemaMetadata<R extends ConnectRecord = ConnectRecord> implements Transformation<R> {
  private schemaName: string | null = null;
  private schemaVersion: number | null = null;
  private replaceNullWithDefault = true;
  private readonly updated = new SchemaCache<Schema>();

  constructor(private readonly side: RecordSide) {}

  configure(configs: Readonly<Record<string, string>>): void {
    const values = SET_SCHEMA_METADATA_CONFIG_DEF.parse(configs);
    this.schemaName = values["schema.name"] as string | null;
    this.schemaVersion = values["schema.version"] as number | null;
    this.replaceNullWithDefault = values[REPLACE_NULL_WITH_DEFAULT_CONFIG] as boolean;
    if (this.schemaName === null && this.schemaVersion === null)
      throw new ConfigError("Neither schema name nor version configured");
    this.updated.clear();
  }

  apply(record: R): R {
    const value = this.side.value(record);
    const schema = this.side.schema(record);
    if ((value === null || value === undefined) && schema === null) return record;
    const original = requireSchema(schema, "updating schema metadata");
    const updatedSchema = this.updated.getOrCompute(original, (s) => this.withMetadata(s));
    return this.side.update(record, updatedSchema, updateSchemaIn(value, updatedSchema, this.replaceNullWithDefault));
  }

  private withMetadata(schema: Schema): Schema {
    const name = this.schemaName ?? schema.name;
    const version = this.schemaVersion ?? schema.version;
    const { name: _name, version: _version, ...rest } = schema;
    return Object.freeze({
      ...rest,
      ...(name === undefined ? {} : { name }),
      ...(version === undefined ? {} : { version }),
    });
  }

  config(): ConfigDef {
    return SET_SCHEMA_METADATA_CONFIG_DEF;
  }

  close(): void {
    this.updated.clear();
  }
}
