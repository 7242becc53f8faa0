import { AbstractConfig, ConfigDef } from "../../api/config-def.ts";
import { DataError } from "../../api/errors.ts";
import type { ConnectRecord } from "../../api/record.ts";
import type { Transformation } from "../../api/transform.ts";
import {
  defineFieldSyntaxVersion,
  defineReplaceNullWithDefault,
  fieldSyntaxVersionFrom,
  REPLACE_NULL_WITH_DEFAULT_CONFIG,
} from "./util/config-keys.ts";
import { SingleFieldPath } from "./util/field-path.ts";
import type { RecordSide } from "./util/key-or-value.ts";
import { requireMapOrNull, requireStructOrNull } from "./util/requirements.ts";

export const EXTRACT_FIELD_CONFIG = "field";
const PURPOSE = "field extraction";

export const EXTRACT_FIELD_CONFIG_DEF: ConfigDef = defineFieldSyntaxVersion(
  defineReplaceNullWithDefault(
    new ConfigDef().define({
      name: EXTRACT_FIELD_CONFIG,
      type: "string",
      importance: "medium",
      documentation: "Field name to extract.",
    }),
  ),
);

/**
 * Kafka's ExtractField: replaces the key/value with one of its fields (a nested one with field.syntax.version=V2).
 * Schemaless, a missing field (or a null map) gives null. With a schema, the new schema is the field's and a field
 * the schema lacks fails the record; a null Struct gives null. `replace.null.with.default` decides whether a null
 * field reads as its default.
 */
export class ExtractField implements Transformation {
  private path = new SingleFieldPath("", "V1");
  private originalPath = "";
  private replaceNullWithDefault = true;

  constructor(private readonly side: RecordSide) {}

  configure(configs: Readonly<Record<string, string>>): void {
    const config = new AbstractConfig(EXTRACT_FIELD_CONFIG_DEF, configs);
    this.originalPath = config.getString(EXTRACT_FIELD_CONFIG);
    this.path = new SingleFieldPath(this.originalPath, fieldSyntaxVersionFrom(config), EXTRACT_FIELD_CONFIG);
    this.replaceNullWithDefault = config.getBoolean(REPLACE_NULL_WITH_DEFAULT_CONFIG);
  }

  apply(record: ConnectRecord): ConnectRecord {
    const schema = this.side.schema(record);
    const value = this.side.value(record);
    if (schema === null) {
      const map = requireMapOrNull(value, PURPOSE);
      return this.side.update(record, null, map === null ? null : this.path.valueFromMap(map));
    }
    const struct = requireStructOrNull(value, PURPOSE, schema);
    const field = this.path.fieldFrom(schema);
    // Kafka throws IllegalArgumentException here; as a DataError it is a record failure errors.tolerance can skip.
    if (field === null) throw new DataError(`Unknown field: ${this.originalPath}`);
    const extracted = struct === null ? null : this.path.valueFromStruct(struct, this.replaceNullWithDefault);
    return this.side.update(record, field.schema, extracted);
  }

  config(): ConfigDef {
    return EXTRACT_FIELD_CONFIG_DEF;
  }

  close(): void {}
}
