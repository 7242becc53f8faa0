/**
 * A captured table's Connect schemas and the builders of its keys and values, as Debezium's TableSchemaBuilder makes
 * them: the key holds the primary key's columns (no key when the table has none), the value every column the
 * column filters keep, in the table's order; both named after the table's topic.
 */
import { DataError, type Schema, SchemaBuilder, Struct } from "../../../src/index.ts";
import type { TupleValue } from "../replication/pgoutput-messages.ts";
import type { ColumnInfo, TableInfo } from "../schema/table-info.ts";
import type { ColumnConverter, ColumnConverterFactory, ConversionFailureMode } from "./column-converter.ts";
import { envelopeSchema } from "./envelope.ts";
import { nullFallback } from "./null-fallback.ts";

/** Which columns a table's change events carry: Debezium's `column.include.list` / `column.exclude.list`. */
export type ColumnFilter = (table: TableInfo, column: ColumnInfo) => boolean;

interface FieldSlot {
  readonly name: string;
  /** The column's position in a row as the snapshot reads it (the table's column order). */
  readonly rowIndex: number;
  readonly converter: ColumnConverter;
  readonly fallback: unknown;
  /** For an unchanged TOASTed value the server left out: Debezium's placeholder where the type can hold it. */
  readonly unavailable: unknown;
}

/** Debezium's `unavailable.value.placeholder` default. */
const UNAVAILABLE_VALUE = "__debezium_unavailable_value";

export class TableSchema {
  readonly table: TableInfo;
  readonly topic: string;
  readonly keySchema: Schema | null;
  readonly valueSchema: Schema;
  readonly envelopeSchema: Schema;
  readonly #keySlots: readonly FieldSlot[];
  readonly #valueSlots: readonly FieldSlot[];

  readonly #onFailure: ConversionFailureMode;

  constructor(
    table: TableInfo,
    topic: string,
    converters: ColumnConverterFactory,
    filter: ColumnFilter,
    onFailure: ConversionFailureMode = "warn",
  ) {
    this.table = table;
    this.#onFailure = onFailure;
    this.topic = topic;
    const slot = (column: ColumnInfo): FieldSlot[] => {
      const converter = converters(table, column);
      if (converter === null) return [];
      return [
        {
          name: column.name,
          rowIndex: table.columns.indexOf(column),
          converter,
          fallback: nullFallback(converter.schema),
          unavailable: converter.unavailable !== undefined ? converter.unavailable : unavailableValue(converter.schema),
        },
      ];
    };
    const keyColumns = table.primaryKey.map((name) => {
      const column = table.columns.find((c) => c.name === name);
      if (column === undefined)
        throw new Error(`Primary key column '${name}' is not a column of ${table.schema}.${table.table}`);
      return column;
    });
    this.#keySlots = keyColumns.flatMap(slot);
    this.#valueSlots = table.columns.filter((column) => filter(table, column)).flatMap(slot);
    this.keySchema = this.#keySlots.length === 0 ? null : structSchema(`${topic}.Key`, this.#keySlots, false);
    this.valueSchema = structSchema(`${topic}.Value`, this.#valueSlots, true);
    this.envelopeSchema = envelopeSchema(`${topic}.Envelope`, this.valueSchema);
  }

  /** The key of a row given in the table's column order; null when the table has no primary key. */
  key(row: readonly TupleValue[]): Struct | null {
    return this.keySchema === null ? null : fill(new Struct(this.keySchema), this.#keySlots, row, this.table, "fail");
  }

  value(row: readonly TupleValue[]): Struct {
    return fill(new Struct(this.valueSchema), this.#valueSlots, row, this.table, this.#onFailure);
  }

  /**
   * Whether a row carries a value for every key column: the old row of an update or a delete has the key only when
   * the replica identity sends it (DEFAULT with a primary key, FULL, or an index).
   */
  hasKey(row: readonly TupleValue[]): boolean {
    return this.#keySlots.every((slot) => row[slot.rowIndex] !== null && row[slot.rowIndex] !== undefined);
  }
}

function structSchema(name: string, slots: readonly FieldSlot[], optional: boolean): Schema {
  const builder = SchemaBuilder.struct().name(name);
  for (const slot of slots) builder.field(slot.name, slot.converter.schema);
  if (optional) builder.optional();
  return builder.build();
}

function fill(
  struct: Struct,
  slots: readonly FieldSlot[],
  row: readonly TupleValue[],
  table: TableInfo,
  onFailure: ConversionFailureMode,
): Struct {
  for (const slot of slots) {
    const text = row[slot.rowIndex];
    if (text === null || text === undefined) {
      struct.put(slot.name, text === null ? slot.fallback : slot.unavailable);
      continue;
    }
    try {
      struct.put(slot.name, slot.converter.fromText(text));
    } catch (error) {
      const message = `Failed to convert the value of column '${slot.name}' of ${table.schema}.${table.table} from '${text}': ${(error as Error).message}`;
      // A key must identify its row: a key column that cannot be converted always fails.
      if (onFailure === "fail") throw new DataError(message, { cause: error });
      if (onFailure === "warn")
        console.warn(`${message}; the field is left null (event.converting.failure.handling.mode=warn)`);
      struct.put(slot.name, slot.converter.schema.optional ? null : slot.fallback);
    }
  }
  return struct;
}

function unavailableValue(schema: Schema): unknown {
  if (schema.type === "string" && schema.name === undefined) return UNAVAILABLE_VALUE;
  if (schema.type === "bytes" && schema.name === undefined) return new TextEncoder().encode(UNAVAILABLE_VALUE);
  if (schema.type === "array" && schema.valueSchema?.type === "string") return [UNAVAILABLE_VALUE];
  return nullFallback(schema);
}
