import { DataError, type Schema, Schemas, type SinkRecord, Struct } from "../../src/index.ts";
import { createFieldFilter, type FieldFilter } from "./field-filter.ts";
import type { JdbcSinkConfig } from "./jdbc-sink-config.ts";
import { columnName, parseTableId, resolveTableName, type TableId } from "./table-naming.ts";

/** One column of a row to write: the field it came from, its column name (folded), schema and value. */
export interface ColumnValue {
  readonly field: string;
  readonly column: string;
  readonly schema: Schema;
  readonly value: unknown;
}

/** What one record asks of the database, as Debezium's JdbcChangeEventSink sorts records. */
export type RecordChange =
  | { readonly op: "skip"; readonly reason: string }
  | { readonly op: "truncate"; readonly table: TableId }
  | { readonly op: "delete"; readonly table: TableId; readonly key: readonly ColumnValue[] }
  | {
      readonly op: "upsert";
      readonly table: TableId;
      readonly key: readonly ColumnValue[];
      readonly values: readonly ColumnValue[];
    };

const KAFKA_COORDINATES: readonly [string, Schema][] = [
  ["__connect_topic", Schemas.STRING],
  ["__connect_partition", Schemas.INT32],
  ["__connect_offset", Schemas.INT64],
];

/** Builds RecordChanges for one task's configuration. */
export class RecordChanges {
  private readonly filter: FieldFilter;
  /** Tables by topic, when the format does not read the event's source block (then the topic alone decides). */
  private readonly tablesByTopic = new Map<string, TableId | null>();

  constructor(private readonly config: JdbcSinkConfig) {
    this.filter = createFieldFilter(config.fieldIncludeList, config.fieldExcludeList);
  }

  /** Throws a DataError naming what is wrong with a record that cannot be written (before any SQL runs). */
  of(record: SinkRecord): RecordChange {
    const { config } = this;
    const tombstone = record.value === null && record.valueSchema === null;
    const valueSchemaName = record.valueSchema?.name ?? "";
    if (valueSchemaName.includes("SchemaChangeValue")) {
      return { op: "skip", reason: "schema change events are not supported by the JDBC sink" };
    }
    if (record.value !== null && !(record.value instanceof Struct)) {
      throw new DataError(
        "The JDBC sink writes records whose value is a struct with a schema (or null); this value is " +
          `${record.valueSchema === null ? "schemaless" : record.valueSchema.type}`,
      );
    }
    const value = record.value as Struct | null;
    const envelope = value !== null && isEnvelope(value.schema);
    const op = envelope ? (value.get("op") as string | null) : null;
    const table = this.tableOf(record, envelope);
    if (table === null) return { op: "skip", reason: "no resolvable table name" };

    if (op === "t") {
      return config.truncateEnabled ? { op: "truncate", table } : { op: "skip", reason: "truncates are not enabled" };
    }
    const isDelete = tombstone || (envelope ? op === "d" : value === null);
    if (isDelete) {
      if (!config.deleteEnabled) return { op: "skip", reason: "deletes are not enabled" };
      return { op: "delete", table, key: this.keyColumns(record, null) };
    }
    const payload = envelope ? (value?.get("after") as Struct | null) : value;
    if (!(payload instanceof Struct)) {
      throw new DataError(`The Debezium change event (op '${op}') has no 'after' struct to write`);
    }
    const key = this.keyColumns(record, payload);
    const values: ColumnValue[] = [];
    for (const field of payload.schema.fields ?? []) {
      if (isKeyField(key, field.name) || !this.filter(record.topic, field.name)) continue;
      values.push(this.column(field.name, field.schema, payload.get(field.name)));
    }
    return { op: "upsert", table, key, values };
  }

  private tableOf(record: SinkRecord, envelope: boolean): TableId | null {
    const bySource = this.config.collectionNameFormat.includes("$" + "{source.");
    if (!bySource) {
      const known = this.tablesByTopic.get(record.topic);
      if (known !== undefined) return known;
    }
    const name = resolveTableName(record, this.config.collectionNameFormat, envelope);
    const table = name === null ? null : parseTableId(name, this.config.quoteIdentifiers);
    if (!bySource) this.tablesByTopic.set(record.topic, table);
    return table;
  }

  /** The record's table, for naming it in an error; null when it cannot be told. */
  tableFor(record: SinkRecord): TableId | null {
    try {
      const envelope = record.value instanceof Struct && isEnvelope(record.value.schema);
      const name = resolveTableName(record, this.config.collectionNameFormat, envelope);
      return name === null ? null : parseTableId(name, this.config.quoteIdentifiers);
    } catch {
      return null;
    }
  }

  private column(field: string, schema: Schema, value: unknown): ColumnValue {
    return { field, column: columnName(field, this.config.quoteIdentifiers), schema, value };
  }

  /** The primary key columns of primary.key.mode, as Debezium's getFilteredKey. */
  private keyColumns(record: SinkRecord, payload: Struct | null): ColumnValue[] {
    const { primaryKeyMode, primaryKeyFields } = this.config;
    switch (primaryKeyMode) {
      case "none":
        return [];
      case "kafka": {
        const values = [record.topic, record.kafkaPartition, record.kafkaOffset];
        // Debezium names these columns in lower case whatever quote.identifiers says.
        return KAFKA_COORDINATES.map(([field, schema], i) => ({ field, column: field, schema, value: values[i] }));
      }
      case "record_key": {
        const schema = record.keySchema;
        if (schema === null) throw new DataError("Configured primary key mode 'record_key' cannot have null schema");
        if (schema.type === "struct") {
          const key = record.key as Struct | null;
          if (!(key instanceof Struct)) throw new DataError("The record key is null but its schema is a struct");
          return this.structColumns(key, record.topic, primaryKeyFields);
        }
        if (schema.type === "array" || schema.type === "map") {
          throw new DataError(`An unsupported record key schema type detected: ${schema.type.toUpperCase()}`);
        }
        const [name] = primaryKeyFields;
        if (name === undefined || primaryKeyFields.length !== 1) {
          throw new DataError(
            `The record key is a primitive ${schema.type}: primary.key.fields must name exactly one column for it`,
          );
        }
        return [this.column(name, schema, record.key)];
      }
      case "record_value": {
        if (payload === null) throw new DataError("No struct-based primary key defined for record value");
        return this.structColumns(payload, record.topic, primaryKeyFields);
      }
    }
  }

  /** Debezium's filterFields for keys: the named fields (in the struct's order), or every field passing the filter. */
  private structColumns(struct: Struct, topic: string, names: readonly string[]): ColumnValue[] {
    const fields = struct.schema.fields ?? [];
    const chosen =
      names.length > 0
        ? fields.filter((f) => names.includes(f.name))
        : fields.filter((f) => this.filter(topic, f.name));
    if (chosen.length !== names.length && names.length > 0) {
      const missing = names.filter((n) => !fields.some((f) => f.name === n));
      if (missing.length > 0) {
        throw new DataError(`primary.key.fields names ${missing.join(", ")}, which the record does not have`);
      }
    }
    return chosen.map((f) => this.column(f.name, f.schema, struct.get(f.name)));
  }
}

/** Key columns are few (one to three): a scan beats building a Set per record. */
function isKeyField(key: readonly ColumnValue[], name: string): boolean {
  for (let i = 0; i < key.length; i++) if ((key[i] as ColumnValue).field === name) return true;
  return false;
}

/** Debezium's Envelope check: a schema named `*.Envelope`, or an unnamed one with an `op` field. */
function isEnvelope(schema: Schema): boolean {
  if (schema.name !== undefined) return schema.name.endsWith(".Envelope");
  return (schema.fields ?? []).some((f) => f.name === "op");
}
