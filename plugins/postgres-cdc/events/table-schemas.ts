/**
 * The table schemas of one connector: made once per table shape (a table's columns, their types and the key), from
 * the catalog for the snapshot and from the catalog and the stream's relation messages while streaming, so that a
 * column added or dropped while the connector runs changes the schemas from the next change on.
 */
import type { Sql } from "postgres";
import type { RelationMessage } from "../replication/pgoutput-messages.ts";
import { readTableByOid } from "../schema/catalog.ts";
import type { TableFilter } from "../schema/table-filter.ts";
import type { ColumnInfo, TableInfo } from "../schema/table-info.ts";
import type { RelationTables } from "../streaming/change-stream.ts";
import type { ColumnConverterFactory } from "./column-converter.ts";
import { TableSchema } from "./table-schema.ts";
import { dataChangeTopic } from "./topic-names.ts";

export interface TableSchemasOptions {
  readonly topicPrefix: string;
  readonly topicDelimiter: string;
  readonly filter: TableFilter;
  readonly converters: ColumnConverterFactory;
}

export class TableSchemas implements RelationTables {
  readonly #sql: Sql;
  readonly #options: TableSchemasOptions;
  readonly #byShape = new Map<string, TableSchema>();

  constructor(sql: Sql, options: TableSchemasOptions) {
    this.#sql = sql;
    this.#options = options;
  }

  /** The schema of a table as the catalog describes it (the snapshot's rows are read in its column order). */
  forTable(table: TableInfo): TableSchema {
    const shape = shapeOf(table);
    let schema = this.#byShape.get(shape);
    if (schema === undefined) {
      const { topicPrefix, topicDelimiter, filter, converters } = this.#options;
      schema = new TableSchema(
        table,
        dataChangeTopic(topicPrefix, topicDelimiter, table.schema, table.table),
        converters,
        (t, column) => filter.includesColumn(t, column.name),
      );
      this.#byShape.set(shape, schema);
    }
    return schema;
  }

  async forRelation(relation: RelationMessage): Promise<TableSchema | null> {
    const id = { schema: relation.namespace, table: relation.name };
    if (!this.#options.filter.includesTable(id)) return null;
    const catalog = await readTableByOid(this.#sql, relation.relationId);
    return this.forTable(inRelationOrder(relation, catalog));
  }
}

/**
 * The table with the columns the relation message lists, in its order (the order of the values in the stream's
 * rows), with the types it gives; nullability, defaults and the key come from the catalog, as read now.
 */
function inRelationOrder(relation: RelationMessage, catalog: TableInfo | undefined): TableInfo {
  const columns = relation.columns.map((column, index): ColumnInfo => {
    const known = catalog?.columns.find((c) => c.name === column.name);
    return {
      name: column.name,
      position: known?.position ?? index + 1,
      typeOid: column.typeOid,
      typeName: known?.typeOid === column.typeOid ? known.typeName : String(column.typeOid),
      typeModifier: column.typeModifier,
      nullable: known?.nullable ?? true,
      defaultExpression: known?.defaultExpression ?? null,
    };
  });
  const primaryKey = catalog?.primaryKey.filter((name) => columns.some((c) => c.name === name)) ?? [];
  return {
    schema: relation.namespace,
    table: relation.name,
    relationId: relation.relationId,
    columns,
    primaryKey,
    replicaIdentity: relation.replicaIdentity,
  };
}

function shapeOf(table: TableInfo): string {
  const columns = table.columns.map(
    (c) => `${c.name}:${c.typeOid}:${c.typeModifier}:${c.nullable}:${c.defaultExpression}`,
  );
  return JSON.stringify([table.schema, table.table, table.primaryKey, columns]);
}
