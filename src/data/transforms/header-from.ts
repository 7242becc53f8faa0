import { ConfigDef, oneOf } from "../../api/config-def.ts";
import { ConfigError, DataError } from "../../api/errors.ts";
import type { Header } from "../../api/headers.ts";
import type { ConnectRecord } from "../../api/record.ts";
import type { Field, Schema } from "../../api/schema.ts";
import { SchemaBuilder } from "../../api/schema.ts";
import type { Transformation } from "../../api/transform.ts";
import { ownEntry } from "./record-transform-helpers.ts";
import { nonEmptyList } from "./record-transform-validators.ts";
import { defineReplaceNullWithDefault, REPLACE_NULL_WITH_DEFAULT_CONFIG } from "./util/config-keys.ts";
import type { RecordSide } from "./util/key-or-value.ts";
import { requireMap, requireStruct } from "./util/requirements.ts";
import { SchemaCache } from "./util/schema-cache.ts";
import { copySchemaBasics } from "./util/schema-util.ts";
import { fieldByName, structGet, structOf } from "./util/struct-access.ts";

export const HEADER_FROM_CONFIG_DEF: ConfigDef = defineReplaceNullWithDefault(
  new ConfigDef()
    .define({
      name: "fields",
      type: "list",
      validator: nonEmptyList,
      importance: "high",
      documentation: "Field names in the record whose values are to be copied or moved to headers.",
    })
    .define({
      name: "headers",
      type: "list",
      validator: nonEmptyList,
      importance: "high",
      documentation: "Header names, in the same order as the field names listed in the fields configuration property.",
    })
    .define({
      name: "operation",
      type: "string",
      validator: oneOf(["move", "copy"]),
      importance: "high",
      documentation: "`move` removes the fields from the key/value, `copy` keeps them.",
    }),
);

interface MovePlan {
  readonly schema: Schema;
  /** The fields that stay, in the input struct. */
  readonly kept: readonly Field[];
}

/**
 * Kafka's HeaderFrom: appends a header for each listed field (`fields[i]` → `headers[i]`), with the field's value
 * and, for structs, the field's schema; `move` also removes the fields from the key/value. As in Kafka, the moved
 * struct's schema keeps the name, version, doc and parameters but is required and without a default.
 */
export class HeaderFrom<R extends ConnectRecord = ConnectRecord> implements Transformation<R> {
  private fields: readonly string[] = [];
  private headers: readonly string[] = [];
  private move = false;
  private replaceNullWithDefault = true;
  private readonly movePlans = new SchemaCache<MovePlan>();

  constructor(private readonly side: RecordSide) {}

  configure(configs: Readonly<Record<string, string>>): void {
    const values = HEADER_FROM_CONFIG_DEF.parse(configs);
    this.fields = values.fields as string[];
    this.headers = values.headers as string[];
    if (this.fields.length !== this.headers.length)
      throw new ConfigError("'fields' config must have the same number of elements as 'headers' config.");
    this.move = values.operation === "move";
    this.replaceNullWithDefault = values[REPLACE_NULL_WITH_DEFAULT_CONFIG] as boolean;
    this.movePlans.clear();
  }

  apply(record: R): R {
    const schema = this.side.schema(record);
    return schema === null ? this.applySchemaless(record) : this.applyWithSchema(record, schema);
  }

  private purpose(): string {
    return `header ${this.move ? "move" : "copy"}`;
  }

  private applySchemaless(record: R): R {
    const value = requireMap(this.side.value(record), this.purpose());
    const headers: Header[] = [...record.headers];
    // Kafka always hands a copy of the map on, even for `copy`.
    const updated = { ...value };
    for (let i = 0; i < this.fields.length; i++) {
      const field = this.fields[i] as string;
      if (this.move) delete updated[field];
      headers.push({ key: this.headers[i] as string, schema: null, value: ownEntry(value, field) ?? null });
    }
    return { ...this.side.update(record, null, updated), headers };
  }

  private applyWithSchema(record: R, schema: Schema): R {
    const struct = requireStruct(this.side.value(record), this.purpose());
    const headers: Header[] = [...record.headers];
    for (let i = 0; i < this.fields.length; i++) {
      const name = this.fields[i] as string;
      const field = fieldByName(struct.schema, name);
      const operatingField = fieldByName(schema, name);
      // Kafka fails with a NullPointerException here; say which field is missing instead.
      if (operatingField === undefined) throw new DataError(`Field does not exist: ${name}`);
      const value = field === undefined ? null : structGet(struct, field, this.replaceNullWithDefault);
      headers.push({ key: this.headers[i] as string, schema: operatingField.schema, value });
    }
    if (!this.move) return { ...record, headers };
    const plan = this.movePlans.getOrCompute(schema, (s) => this.movePlan(s));
    const moved = structOf(
      plan.schema,
      plan.kept.map((field) => structGet(struct, field, this.replaceNullWithDefault)),
    );
    return { ...this.side.update(record, plan.schema, moved), headers };
  }

  private movePlan(schema: Schema): MovePlan {
    const builder = copySchemaBasics(schema, SchemaBuilder.struct());
    const moved = new Set(this.fields);
    const kept: Field[] = [];
    for (const field of schema.fields ?? []) {
      if (moved.has(field.name)) continue;
      builder.field(field.name, field.schema);
      kept.push(field);
    }
    return { schema: builder.build(), kept };
  }

  config(): ConfigDef {
    return HEADER_FROM_CONFIG_DEF;
  }

  close(): void {
    this.movePlans.clear();
  }
}
