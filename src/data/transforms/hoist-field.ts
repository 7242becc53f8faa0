import { AbstractConfig, ConfigDef } from "../../api/config-def.ts";
import type { ConnectRecord } from "../../api/record.ts";
import type { Schema } from "../../api/schema.ts";
import { SchemaBuilder } from "../../api/schema.ts";
import type { SchemalessMap } from "../../api/schemaless-map.ts";
import { setOwn } from "../../api/schemaless-map.ts";
import { validateValue } from "../../api/struct.ts";
import type { Transformation } from "../../api/transform.ts";
import type { RecordSide } from "./util/key-or-value.ts";
import { SchemaCache } from "./util/schema-cache.ts";
import { structOf } from "./util/struct-access.ts";

export const HOIST_FIELD_CONFIG = "field";

export const HOIST_FIELD_CONFIG_DEF: ConfigDef = new ConfigDef().define({
  name: HOIST_FIELD_CONFIG,
  type: "string",
  importance: "medium",
  documentation: "Field name for the single field that will be created in the resulting Struct or Map.",
});

/**
 * Kafka's HoistField: wraps the key/value in a Struct (with a schema: one field whose schema is the original one)
 * or a map (schemaless) under `field`. Null is wrapped too, as in Kafka; with a schema that is not optional it
 * fails, as Kafka's `Struct.put` does.
 */
export class HoistField implements Transformation {
  private fieldName = "";
  private schemas = new SchemaCache<Schema>();
  private readonly buildFor = (schema: Schema) => SchemaBuilder.struct().field(this.fieldName, schema).build();

  constructor(private readonly side: RecordSide) {}

  configure(configs: Readonly<Record<string, string>>): void {
    this.fieldName = new AbstractConfig(HOIST_FIELD_CONFIG_DEF, configs).getString(HOIST_FIELD_CONFIG);
    this.schemas = new SchemaCache();
  }

  apply(record: ConnectRecord): ConnectRecord {
    const schema = this.side.schema(record);
    const value = this.side.value(record) ?? null;
    if (schema === null) {
      const map: SchemalessMap = {};
      setOwn(map, this.fieldName, value);
      return this.side.update(record, null, map);
    }
    const updated = this.schemas.getOrCompute(schema, this.buildFor);
    if (value === null) validateValue(schema, null, this.fieldName);
    return this.side.update(record, updated, structOf(updated, [value]));
  }

  config(): ConfigDef {
    return HOIST_FIELD_CONFIG_DEF;
  }

  close(): void {
    this.schemas.clear();
  }
}
