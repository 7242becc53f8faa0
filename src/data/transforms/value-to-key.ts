import { ConfigDef } from "../../api/config-def.ts";
import { DataError } from "../../api/errors.ts";
import type { ConnectRecord } from "../../api/record.ts";
import type { Field, Schema } from "../../api/schema.ts";
import { SchemaBuilder } from "../../api/schema.ts";
import type { Transformation } from "../../api/transform.ts";
import { ownEntry, setEntry } from "./record-transform-helpers.ts";
import { nonEmptyList } from "./record-transform-validators.ts";
import { defineReplaceNullWithDefault, REPLACE_NULL_WITH_DEFAULT_CONFIG } from "./util/config-keys.ts";
import { requireMap, requireStruct } from "./util/requirements.ts";
import { SchemaCache } from "./util/schema-cache.ts";
import { fieldByName, structGet, structOf } from "./util/struct-access.ts";

export const VALUE_TO_KEY_CONFIG_DEF: ConfigDef = defineReplaceNullWithDefault(
  new ConfigDef().define({
    name: "fields",
    type: "list",
    validator: nonEmptyList,
    importance: "high",
    documentation: "Field names on the record value to extract as the record key.",
  }),
);

const PURPOSE = "copying fields from value to key";

interface KeyPlan {
  readonly schema: Schema;
  /** The value fields, in key order. */
  readonly sources: readonly Field[];
}

/**
 * Kafka's ValueToKey: the key becomes a struct (or, schemaless, a map) of the listed value fields, in the listed
 * order. The key schema is derived once per value schema.
 */
export class ValueToKey<R extends ConnectRecord = ConnectRecord> implements Transformation<R> {
  private fields: readonly string[] = [];
  private replaceNullWithDefault = true;
  private readonly plans = new SchemaCache<KeyPlan>();

  configure(configs: Readonly<Record<string, string>>): void {
    const values = VALUE_TO_KEY_CONFIG_DEF.parse(configs);
    this.fields = values.fields as string[];
    this.replaceNullWithDefault = values[REPLACE_NULL_WITH_DEFAULT_CONFIG] as boolean;
    this.plans.clear();
  }

  apply(record: R): R {
    if (record.valueSchema === null) {
      const value = requireMap(record.value, PURPOSE);
      const key: Record<string, unknown> = {};
      for (const field of this.fields) setEntry(key, field, ownEntry(value, field) ?? null);
      return { ...record, keySchema: null, key };
    }
    const value = requireStruct(record.value, PURPOSE);
    const plan = this.plans.getOrCompute(value.schema, (schema) => this.plan(schema));
    const keyValues = plan.sources.map((field) => structGet(value, field, this.replaceNullWithDefault));
    // As Kafka, the value schema of the result is the struct's own schema.
    return { ...record, keySchema: plan.schema, key: structOf(plan.schema, keyValues), valueSchema: value.schema };
  }

  private plan(valueSchema: Schema): KeyPlan {
    const builder = SchemaBuilder.struct();
    const sources: Field[] = [];
    for (const name of this.fields) {
      const field = fieldByName(valueSchema, name);
      if (field === undefined) throw new DataError(`Field does not exist: ${name}`);
      try {
        builder.field(name, field.schema);
      } catch (error) {
        // Kafka's SchemaBuilderException, a DataException, for a field listed twice.
        throw new DataError(error instanceof Error ? error.message : String(error), { cause: error });
      }
      sources.push(field);
    }
    return { schema: builder.build(), sources };
  }

  config(): ConfigDef {
    return VALUE_TO_KEY_CONFIG_DEF;
  }

  close(): void {
    this.plans.clear();
  }
}
