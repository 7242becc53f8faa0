/**
 * The type mapping as the change events use it: per column, its field schema, the conversion of a value's text,
 * and the value standing for an unchanged TOASTed one. The snapshot and the stream get converters of their own,
 * because Debezium's snapshot reads BC dates through JDBC and loses their era while its stream keeps it.
 */

import { columnMapping } from "../schema/column-mapping.ts";
import type { PgTypeRegistry } from "../schema/pg-type-registry.ts";
import type { TypeMappingOptions } from "../schema/type-mapping-options.ts";
import { unchangedToastValue } from "../schema/unchanged-toast.ts";
import type { ColumnConverter, ColumnConverterFactory } from "./column-converter.ts";

export function columnConverters(
  types: PgTypeRegistry,
  options: TypeMappingOptions,
  placeholder: Uint8Array,
  source: "stream" | "snapshot",
): ColumnConverterFactory {
  return (table, column): ColumnConverter | null => {
    const mapping = columnMapping(column, types, options, { source, table });
    if (mapping === null) return null;
    let unavailable: unknown = null;
    try {
      unavailable = unchangedToastValue(column, mapping, options, placeholder);
    } catch {
      // Debezium's placeholder does not fit this type; its default failure handling leaves the field null.
    }
    return { schema: mapping.schema, fromText: mapping.fromText, unavailable };
  };
}
