import type { Schema } from "../../../src/index.ts";
import { arrayMapping } from "./array-mapping.ts";
import { unknownMapping } from "./binary-mappings.ts";
import { columnDefault } from "./default-value.ts";
import type { PgTypeRegistry } from "./pg-type-registry.ts";
import { columnShape, scalarMapping } from "./scalar-mapping.ts";
import type { ColumnInfo, TableId, TableInfo } from "./table-info.ts";
import type { TypeMappingOptions } from "./type-mapping-options.ts";
import type { ValueMapping } from "./value-mapping.ts";

/** A column's field in Debezium's value schema, and the conversion of its values' text. */
export interface ColumnMapping {
  /** The field's Connect schema: optional when the column is nullable, with the default Debezium derives. */
  readonly schema: Schema;
  /** The Connect value of a non-null value's text (pgoutput's or a text-format SELECT's); SQL NULL is null. */
  readonly fromText: (text: string) => unknown;
  /** Whether the value is bytes under binary.handling.mode (bytea, unknown types). */
  readonly binary: boolean;
}

export interface ColumnMappingContext {
  /**
   * Where the text comes from: pgoutput (`stream`, the default) or a snapshot's SELECT. Debezium's snapshot reads
   * values through JDBC, which changes BC dates (see ValueSource); the schema is the same either way.
   */
  readonly source?: "stream" | "snapshot";
  /** The column's table, named in error messages (`schema.table.column`). */
  readonly table?: TableId;
}

/**
 * The mapping of one column, built once when the table's schema is (re)built; or null when Debezium leaves the
 * column out of its schemas (a type it cannot map, without include.unknown.datatypes; arrays it does not support).
 * Domains map as their base type, with the domain's type modifier when the column has none. A type oid the
 * registry does not know counts as unknown: resolve new types first (PgTypeRegistry.resolve).
 */
export function columnMapping(
  column: ColumnInfo,
  types: PgTypeRegistry,
  options: TypeMappingOptions,
  context: ColumnMappingContext = {},
): ColumnMapping | null {
  const label = context.table ? `${context.table.schema}.${context.table.table}.${column.name}` : column.name;
  const mapping = valueMapping(column, label, types, options, context.source ?? "stream");
  if (!mapping) return null;
  const builder = () => (column.nullable ? mapping.schema().optional() : mapping.schema());
  const plain = builder().build();
  const defaultValue = columnDefault(
    column.typeName,
    types.get(column.typeOid),
    column.defaultExpression,
    mapping.converter(plain),
  );
  // a default is never a struct, so a converter bound to the schema without the default stays right for it
  const schema = defaultValue === undefined ? plain : builder().defaultValue(defaultValue).build();
  return { schema, fromText: mapping.converter(schema), binary: mapping.binary === true };
}

/** The mappings of a table's columns, in column order (null where Debezium leaves a column out). */
export function columnMappings(
  table: TableInfo,
  types: PgTypeRegistry,
  options: TypeMappingOptions,
  source: "stream" | "snapshot" = "stream",
): (ColumnMapping | null)[] {
  return table.columns.map((column) => columnMapping(column, types, options, { source, table }));
}

function valueMapping(
  column: ColumnInfo,
  label: string,
  types: PgTypeRegistry,
  options: TypeMappingOptions,
  source: "stream" | "snapshot",
): ValueMapping | null {
  const { type, typeModifier } = types.root(column.typeOid, column.typeModifier);
  // a type the registry has not seen (created after it was read): Debezium's PostgresType.UNKNOWN
  if (!type) return options.includeUnknownDatatypes ? unknownMapping(options) : null;
  if (type.elementOid !== 0) {
    const element = types.get(type.elementOid);
    if (!element) return null;
    return arrayMapping(element, columnShape(label, element, typeModifier), options);
  }
  return scalarMapping(type, columnShape(label, type, typeModifier), options, source);
}
