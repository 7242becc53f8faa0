import { AbstractConfig, ConfigDef } from "../../api/config-def.ts";
import { ConfigError } from "../../api/errors.ts";
import type { ConnectRecord } from "../../api/record.ts";
import type { Field, Schema } from "../../api/schema.ts";
import { SchemaBuilder, Schemas } from "../../api/schema.ts";
import type { SchemalessMap } from "../../api/schemaless-map.ts";
import { setOwn } from "../../api/schemaless-map.ts";
import type { Struct } from "../../api/struct.ts";
import { Timestamp } from "../../api/timestamp.ts";
import type { Transformation } from "../../api/transform.ts";
import { dataErrorFromBuilder } from "./flatten-common.ts";
import { defineReplaceNullWithDefault, REPLACE_NULL_WITH_DEFAULT_CONFIG } from "./util/config-keys.ts";
import type { RecordSide } from "./util/key-or-value.ts";
import { requireMap, requireSinkRecord, requireStruct } from "./util/requirements.ts";
import { SchemaCache } from "./util/schema-cache.ts";
import { asOptional, copySchemaBasics } from "./util/schema-util.ts";
import { structGet, structOf, structSlots } from "./util/struct-access.ts";

export const TOPIC_FIELD_CONFIG = "topic.field";
export const PARTITION_FIELD_CONFIG = "partition.field";
export const OFFSET_FIELD_CONFIG = "offset.field";
export const TIMESTAMP_FIELD_CONFIG = "timestamp.field";
export const STATIC_FIELD_CONFIG = "static.field";
export const STATIC_VALUE_CONFIG = "static.value";
const PURPOSE = "field insertion";
const OPTIONALITY_DOC =
  "Suffix with <code>!</code> to make this a required field, or <code>?</code> to keep it optional (the default).";

function fieldKey(name: string, documentation: string) {
  return { name, type: "string", defaultValue: null, importance: "medium", documentation } as const;
}

export const INSERT_FIELD_CONFIG_DEF: ConfigDef = defineReplaceNullWithDefault(
  new ConfigDef()
    .define(fieldKey(TOPIC_FIELD_CONFIG, `Field name for Kafka topic. ${OPTIONALITY_DOC}`))
    .define(fieldKey(PARTITION_FIELD_CONFIG, `Field name for Kafka partition. ${OPTIONALITY_DOC}`))
    .define(
      fieldKey(
        OFFSET_FIELD_CONFIG,
        `Field name for Kafka offset - only applicable to sink connectors.<br/>${OPTIONALITY_DOC}`,
      ),
    )
    .define(fieldKey(TIMESTAMP_FIELD_CONFIG, `Field name for record timestamp. ${OPTIONALITY_DOC}`))
    .define(fieldKey(STATIC_FIELD_CONFIG, `Field name for static data field. ${OPTIONALITY_DOC}`))
    .define(fieldKey(STATIC_VALUE_CONFIG, "Static field value, if field name configured.")),
);

/** A configured field name: `name!` is required, `name?` or plain `name` optional. */
interface InsertionSpec {
  readonly name: string;
  readonly optional: boolean;
}

function parseSpec(spec: string | null): InsertionSpec | null {
  if (spec === null) return null;
  if (spec.endsWith("?")) return { name: spec.slice(0, -1), optional: true };
  if (spec.endsWith("!")) return { name: spec.slice(0, -1), optional: false };
  return { name: spec, optional: true };
}

const OPTIONAL_TIMESTAMP_SCHEMA = asOptional(Timestamp.SCHEMA);

/**
 * Kafka's InsertField: adds the record's topic, partition, offset (sink records only), timestamp and/or a static
 * string to a Struct (with a schema: the input schema's fields plus the new ones, copied once per schema) or a map.
 * A null partition or timestamp leaves its field out (schemaless) or null; null keys/values pass through.
 */
export class InsertField implements Transformation {
  private topicField: InsertionSpec | null = null;
  private partitionField: InsertionSpec | null = null;
  private offsetField: InsertionSpec | null = null;
  private timestampField: InsertionSpec | null = null;
  private staticField: InsertionSpec | null = null;
  private staticValue: string | null = null;
  private replaceNullWithDefault = true;
  private schemas = new SchemaCache<Schema>();
  private readonly buildFor = (schema: Schema) => this.updatedSchema(schema);

  constructor(private readonly side: RecordSide) {}

  configure(configs: Readonly<Record<string, string>>): void {
    const config = new AbstractConfig(INSERT_FIELD_CONFIG_DEF, configs);
    const spec = (key: string) => parseSpec(config.values[key] as string | null);
    this.topicField = spec(TOPIC_FIELD_CONFIG);
    this.partitionField = spec(PARTITION_FIELD_CONFIG);
    this.offsetField = spec(OFFSET_FIELD_CONFIG);
    this.timestampField = spec(TIMESTAMP_FIELD_CONFIG);
    this.staticField = spec(STATIC_FIELD_CONFIG);
    this.staticValue = config.values[STATIC_VALUE_CONFIG] as string | null;
    this.replaceNullWithDefault = config.getBoolean(REPLACE_NULL_WITH_DEFAULT_CONFIG);
    if (
      this.topicField === null &&
      this.partitionField === null &&
      this.offsetField === null &&
      this.timestampField === null &&
      this.staticField === null
    ) {
      throw new ConfigError("No field insertion configured");
    }
    if (this.staticField !== null && this.staticValue === null) {
      // Kafka prints the spec object's identity here; the field name says more.
      throw new ConfigError(
        `Invalid value null for configuration ${STATIC_VALUE_CONFIG}: No value specified for static field: ${this.staticField.name}`,
        { key: STATIC_VALUE_CONFIG },
      );
    }
    this.schemas = new SchemaCache();
  }

  apply(record: ConnectRecord): ConnectRecord {
    const value = this.side.value(record);
    if (value === null || value === undefined) return record;
    const inputSchema = this.side.schema(record);
    if (inputSchema === null) {
      return this.side.update(record, null, this.insertSchemaless(record, requireMap(value, PURPOSE)));
    }
    const struct = requireStruct(value, PURPOSE, inputSchema);
    const schema = this.schemas.getOrCompute(struct.schema, this.buildFor);
    return this.side.update(record, schema, this.insertIntoStruct(record, struct, schema));
  }

  config(): ConfigDef {
    return INSERT_FIELD_CONFIG_DEF;
  }

  close(): void {
    this.schemas.clear();
  }

  private insertSchemaless(record: ConnectRecord, map: SchemalessMap): SchemalessMap {
    const out: SchemalessMap = { ...map };
    if (this.topicField !== null) setOwn(out, this.topicField.name, record.topic);
    if (this.partitionField !== null && record.kafkaPartition !== null)
      setOwn(out, this.partitionField.name, record.kafkaPartition);
    if (this.offsetField !== null) setOwn(out, this.offsetField.name, requireSinkRecord(record, PURPOSE).kafkaOffset);
    if (this.timestampField !== null && record.timestamp !== null)
      setOwn(out, this.timestampField.name, record.timestamp);
    if (this.staticField !== null && this.staticValue !== null) setOwn(out, this.staticField.name, this.staticValue);
    return out;
  }

  /** The input fields in order, then topic, partition, offset, timestamp and static, as Kafka appends them. */
  private insertIntoStruct(record: ConnectRecord, struct: Struct, schema: Schema): Struct {
    const inputFields = struct.schema.fields ?? [];
    const values = new Array<unknown>(schema.fields?.length ?? 0);
    const slots = structSlots(struct);
    let i = 0;
    for (; i < inputFields.length; i++)
      values[i] = structGet(struct, inputFields[i] as Field, this.replaceNullWithDefault, slots);
    if (this.topicField !== null) values[i++] = record.topic;
    if (this.partitionField !== null) values[i++] = record.kafkaPartition ?? undefined;
    if (this.offsetField !== null) values[i++] = requireSinkRecord(record, PURPOSE).kafkaOffset;
    if (this.timestampField !== null) values[i++] = record.timestamp === null ? undefined : new Date(record.timestamp);
    if (this.staticField !== null) values[i++] = this.staticValue ?? undefined;
    return structOf(schema, values);
  }

  private updatedSchema(schema: Schema): Schema {
    const builder = copySchemaBasics(schema, SchemaBuilder.struct());
    const add = (spec: InsertionSpec | null, optional: Schema, required: Schema) => {
      if (spec !== null) builder.field(spec.name, spec.optional ? optional : required);
    };
    try {
      for (const field of schema.fields ?? []) builder.field(field.name, field.schema);
      add(this.topicField, Schemas.OPTIONAL_STRING, Schemas.STRING);
      add(this.partitionField, Schemas.OPTIONAL_INT32, Schemas.INT32);
      add(this.offsetField, Schemas.OPTIONAL_INT64, Schemas.INT64);
      add(this.timestampField, OPTIONAL_TIMESTAMP_SCHEMA, Timestamp.SCHEMA);
      add(this.staticField, Schemas.OPTIONAL_STRING, Schemas.STRING);
    } catch (error) {
      throw dataErrorFromBuilder(error);
    }
    return builder.build();
  }
}
