import { ConfigDef, oneOf } from "../../api/config-def.ts";
import { ConfigError } from "../../api/errors.ts";
import type { ConnectRecord } from "../../api/record.ts";
import type { Field, Schema } from "../../api/schema.ts";
import { SchemaBuilder } from "../../api/schema.ts";
import type { Struct } from "../../api/struct.ts";
import type { Transformation } from "../../api/transform.ts";
import { setEntry } from "./record-transform-helpers.ts";
import { SimpleDateFormat } from "./simple-date-format.ts";
import type { TimestampType, TranslatorConfig, UnixPrecision } from "./timestamp-translators.ts";
import {
  inferTimestampType,
  TIMESTAMP_TYPES,
  TRANSLATORS,
  timestampTypeFromSchema,
  UNIX_PRECISIONS,
} from "./timestamp-translators.ts";
import { defineReplaceNullWithDefault, REPLACE_NULL_WITH_DEFAULT_CONFIG } from "./util/config-keys.ts";
import type { RecordSide } from "./util/key-or-value.ts";
import { requireMap, requireStructOrNull } from "./util/requirements.ts";
import { SchemaCache } from "./util/schema-cache.ts";
import { copySchemaBasics } from "./util/schema-util.ts";
import { structGet, structOf } from "./util/struct-access.ts";

export const TIMESTAMP_CONVERTER_CONFIG_DEF: ConfigDef = defineReplaceNullWithDefault(
  new ConfigDef()
    .define({
      name: "field",
      type: "string",
      defaultValue: "",
      importance: "high",
      documentation: "The field containing the timestamp, or empty if the entire value is a timestamp",
    })
    .define({
      name: "target.type",
      type: "string",
      validator: oneOf(TIMESTAMP_TYPES),
      importance: "high",
      documentation: "The desired timestamp representation: string, unix, Date, Time, or Timestamp",
    })
    .define({
      name: "format",
      type: "string",
      defaultValue: "",
      importance: "medium",
      documentation:
        "A SimpleDateFormat pattern (in UTC): how the timestamp is written when target.type=string, and how string " +
        "timestamps are read.",
    })
    .define({
      name: "unix.precision",
      type: "string",
      defaultValue: "milliseconds",
      validator: oneOf(UNIX_PRECISIONS),
      importance: "low",
      documentation:
        "The unit of unix times read and written: seconds, milliseconds, microseconds or nanoseconds. Precision " +
        "below a millisecond is lost.",
    }),
);

const PURPOSE = "converting timestamp formats";

/** Java's `Utils.isBlank`: null, empty, or only characters up to U+0020 (what `String.trim` strips). */
function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x20) return false;
  return true;
}

interface FieldPlan {
  readonly schema: Schema;
  /** Index of the converted field, or -1 when the schema has no such field. */
  readonly index: number;
  readonly sourceType: TimestampType | null;
  /** Why the field's schema holds no timestamp; thrown for every non-null struct, as Kafka does. */
  readonly sourceError: Error | null;
}

/**
 * Kafka's TimestampConverter: converts a timestamp between a formatted string, a unix time, and the Date, Time and
 * Timestamp logical types, for the whole key/value or for one field (`field`) of a struct or map. With a schema the
 * source form comes from the schema; without one from the value (a Date is read as a Timestamp). Output schemas are
 * derived once per input schema.
 */
export class TimestampConverter<R extends ConnectRecord = ConnectRecord> implements Transformation<R> {
  private field = "";
  private targetType: TimestampType = "Timestamp";
  private translatorConfig: TranslatorConfig = { format: null, unixPrecision: "milliseconds" };
  private replaceNullWithDefault = true;
  private readonly plans = new SchemaCache<FieldPlan>();

  constructor(private readonly side: RecordSide) {}

  configure(configs: Readonly<Record<string, string>>): void {
    const values = TIMESTAMP_CONVERTER_CONFIG_DEF.parse(configs);
    const type = values["target.type"] as TimestampType;
    const pattern = values.format as string;
    if (type === "string" && isBlank(pattern))
      throw new ConfigError("TimestampConverter requires format option to be specified when using string timestamps", {
        key: "format",
      });
    let format: SimpleDateFormat | null = null;
    if (!isBlank(pattern)) {
      try {
        format = new SimpleDateFormat(pattern);
      } catch (error) {
        // Kafka passes the cause as the "value" of a ConfigException, which gives this odd but familiar message.
        const reason = error instanceof Error ? error.message : String(error);
        throw new ConfigError(
          `Invalid value java.lang.IllegalArgumentException: ${reason} for configuration TimestampConverter requires a SimpleDateFormat-compatible pattern for string timestamps: ${pattern}`,
          { key: "format", cause: error },
        );
      }
    }
    this.field = values.field as string;
    this.targetType = type;
    this.translatorConfig = { format, unixPrecision: values["unix.precision"] as UnixPrecision };
    this.replaceNullWithDefault = values[REPLACE_NULL_WITH_DEFAULT_CONFIG] as boolean;
    this.plans.clear();
  }

  apply(record: R): R {
    const schema = this.side.schema(record);
    const value = this.side.value(record);
    if (schema === null) {
      if (value === null || value === undefined || this.field === "")
        return this.side.update(record, null, this.convert(value, null));
      const map = requireMap(value, PURPOSE);
      const updated = { ...map };
      setEntry(updated, this.field, this.convert(Object.hasOwn(map, this.field) ? map[this.field] : null, null));
      return this.side.update(record, null, updated);
    }
    if (this.field === "") {
      const updatedSchema = TRANSLATORS[this.targetType].typeSchema(schema.optional);
      return this.side.update(record, updatedSchema, this.convert(value, timestampTypeFromSchema(schema)));
    }
    const struct = requireStructOrNull(value, PURPOSE);
    const plan = this.plans.getOrCompute(schema, (s) => this.plan(s));
    return this.side.update(record, plan.schema, this.convertStruct(struct, plan));
  }

  private plan(schema: Schema): FieldPlan {
    const builder = copySchemaBasics(schema, SchemaBuilder.struct());
    let index = -1;
    let sourceType: TimestampType | null = null;
    let sourceError: Error | null = null;
    for (const field of schema.fields ?? []) {
      if (field.name === this.field) {
        index = field.index;
        builder.field(field.name, TRANSLATORS[this.targetType].typeSchema(field.schema.optional));
      } else {
        builder.field(field.name, field.schema);
      }
    }
    if (schema.optional) builder.optional();
    let updated = builder.build();
    const field: Field | undefined = index >= 0 ? schema.fields?.[index] : undefined;
    try {
      if (field !== undefined) sourceType = timestampTypeFromSchema(field.schema);
    } catch (error) {
      sourceError = error as Error;
    }
    const plan: FieldPlan = { schema: updated, index, sourceType, sourceError };
    if (schema.defaultValue !== null && schema.defaultValue !== undefined) {
      const defaultValue = this.convertStruct(schema.defaultValue as Struct, plan);
      updated = Object.freeze({ ...updated, defaultValue });
    }
    return { ...plan, schema: updated };
  }

  private convertStruct(struct: Struct | null, plan: FieldPlan): Struct | null {
    if (struct === null) return null;
    if (plan.sourceError !== null) throw plan.sourceError;
    const fields = struct.schema.fields ?? [];
    const values = new Array<unknown>(fields.length);
    for (let i = 0; i < fields.length; i++) {
      const value = structGet(struct, fields[i] as Field, this.replaceNullWithDefault);
      values[i] = i === plan.index ? this.convert(value, plan.sourceType) : value;
    }
    return structOf(plan.schema, values);
  }

  /** Kafka's `convertTimestamp`: null stays null; the source form is given, or inferred from the value. */
  private convert(value: unknown, sourceType: TimestampType | null): unknown {
    if (value === null || value === undefined) return null;
    const raw = TRANSLATORS[sourceType ?? inferTimestampType(value)].toRaw(this.translatorConfig, value);
    return TRANSLATORS[this.targetType].toType(this.translatorConfig, raw);
  }

  config(): ConfigDef {
    return TIMESTAMP_CONVERTER_CONFIG_DEF;
  }

  close(): void {
    this.plans.clear();
  }
}
