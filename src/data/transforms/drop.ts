import { AbstractConfig, ConfigDef } from "../../api/config-def.ts";
import { DataError } from "../../api/errors.ts";
import type { ConnectRecord } from "../../api/record.ts";
import type { Schema } from "../../api/schema.ts";
import type { Transformation } from "../../api/transform.ts";
import { caseInsensitiveOneOf } from "./util/config-keys.ts";
import type { RecordSide } from "./util/key-or-value.ts";
import { asOptional } from "./util/schema-util.ts";
import type { StructStage } from "./util/struct-stage.ts";

export const SCHEMA_BEHAVIOR_CONFIG = "schema.behavior";
const BEHAVIORS = ["nullify", "retain", "validate", "force_optional"] as const;
type SchemaBehavior = (typeof BEHAVIORS)[number];

export const DROP_CONFIG_DEF: ConfigDef = new ConfigDef().define({
  name: SCHEMA_BEHAVIOR_CONFIG,
  type: "string",
  defaultValue: "nullify",
  validator: caseInsensitiveOneOf(BEHAVIORS),
  importance: "medium",
  documentation:
    "How to handle non-null schemas: nullify (the default) sets the schema to null; retain keeps it as it is; validate checks that it is optional and fails the record otherwise; force_optional makes it optional.",
});

/**
 * Confluent's Drop (`io.confluent.connect.transforms.Drop$Key` / `$Value`): sets the key or the value to null and,
 * by default, its schema too. A record whose key/value is already null and schemaless is returned as it is.
 */
export class Drop implements Transformation {
  private behavior: SchemaBehavior = "nullify";

  constructor(private readonly side: RecordSide) {}

  configure(configs: Readonly<Record<string, string>>): void {
    const config = new AbstractConfig(DROP_CONFIG_DEF, configs);
    this.behavior = config.getString(SCHEMA_BEHAVIOR_CONFIG).toLowerCase() as SchemaBehavior;
  }

  apply(record: ConnectRecord): ConnectRecord {
    const schema = this.side.schema(record);
    const value = this.side.value(record);
    if (schema === null) return value === null ? record : this.side.update(record, null, null);
    switch (this.behavior) {
      case "nullify":
        return this.side.update(record, null, null);
      case "retain":
        return value === null ? record : this.side.update(record, schema, null);
      case "validate":
        if (!schema.optional) {
          throw new DataError(
            `Drop cannot set the ${this.side.name} to null: its schema (${schema.type.toUpperCase()}) is not optional`,
          );
        }
        return value === null ? record : this.side.update(record, schema, null);
      case "force_optional":
        return this.side.update(record, asOptional(schema), null);
    }
  }

  config(): ConfigDef {
    return DROP_CONFIG_DEF;
  }

  /** Per Struct schema: the value becomes null, with the schema `schema.behavior` gives. */
  structStage(schema: Schema): StructStage | null {
    if (this.side.isKey) return null;
    switch (this.behavior) {
      case "nullify":
        return { output: null, slots: null };
      case "retain":
        return { output: schema, slots: null };
      case "validate":
        // Every record of a required schema fails; the transform says how.
        return schema.optional ? { output: schema, slots: null } : null;
      case "force_optional":
        return { output: asOptional(schema), slots: null };
    }
  }

  close(): void {}
}
