/**
 * The table schemas of one connector: made once per table shape (a table's columns, their types and the key), from
 * the catalog for the snapshot and from the catalog and the stream's relation messages while streaming, so that a
 * column added or dropped while the connector runs changes the schemas from the next change on.
 */
import type { Sql } from "postgres";
import { RetriableError } from "../../../src/index.ts";
import type { RelationMessage } from "../replication/pgoutput-messages.ts";
import { readTableByOid } from "../schema/catalog.ts";
import type { PgTypeRegistry } from "../schema/pg-type-registry.ts";
import type { TableFilter } from "../schema/table-filter.ts";
import type { ColumnInfo, TableInfo } from "../schema/table-info.ts";
import type { TypeMappingOptions } from "../schema/type-mapping-options.ts";
import type { ColumnConverterFactory, ConversionFailureMode } from "./column-converter.ts";
import { columnConverters } from "./column-converters.ts";
import type { RelationTables } from "./relation-tables.ts";
import { TableSchema } from "./table-schema.ts";
import { dataChangeTopic } from "./topic-names.ts";

export interface TableSchemasOptions {
  readonly topicPrefix: string;
  readonly topicDelimiter: string;
  readonly filter: TableFilter;
  /** The database's types, read at start; types created later are read when a relation names them. */
  readonly types: PgTypeRegistry;
  readonly typeMapping: TypeMappingOptions;
  readonly unavailablePlaceholder: Uint8Array;
  readonly conversionFailureMode: ConversionFailureMode;
}

type ValueSource = "snapshot" | "stream";

export class TableSchemas implements RelationTables {
  readonly #sql: Sql;
  readonly #options: TableSchemasOptions;
  readonly #byShape = new Map<string, TableSchema>();
  readonly #converters: Record<ValueSource, ColumnConverterFactory>;

  constructor(sql: Sql, options: TableSchemasOptions) {
    this.#sql = sql;
    this.#options = options;
    const { types, typeMapping, unavailablePlaceholder } = options;
    this.#converters = {
      snapshot: columnConverters(types, typeMapping, unavailablePlaceholder, "snapshot"),
      stream: columnConverters(types, typeMapping, unavailablePlaceholder, "stream"),
    };
  }

  /**
   * The schema of a table whose rows come in its column order: as the catalog describes it for the snapshot, as a
   * relation message does while streaming.
   */
  forTable(table: TableInfo, source: ValueSource = "snapshot"): TableSchema {
    const shape = `${source}:${shapeOf(table)}`;
    let schema = this.#byShape.get(shape);
    if (schema === undefined) {
      const { topicPrefix, topicDelimiter, filter, conversionFailureMode } = this.#options;
      schema = new TableSchema(
        table,
        dataChangeTopic(topicPrefix, topicDelimiter, table.schema, table.table),
        this.#converters[source],
        (t, column) => filter.includesColumn(t, column.name),
        conversionFailureMode,
      );
      this.#byShape.set(shape, schema);
    }
    return schema;
  }

  async forRelation(relation: RelationMessage): Promise<TableSchema | null> {
    const id = { schema: relation.namespace, table: relation.name };
    if (!this.#options.filter.includesTable(id)) return null;
    let catalog: TableInfo | undefined;
    try {
      for (const column of relation.columns) {
        if (this.#options.types.get(column.typeOid) === undefined) {
          await this.#options.types.resolve(this.#sql, column.typeOid);
        }
      }
      catalog = await readTableByOid(this.#sql, relation.relationId);
    } catch (error) {
      // The catalog is read over the network: a lost connection is worth another try, as the stream's is.
      throw new RetriableError(
        `Could not read the catalog entry of ${id.schema}.${id.table}: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
    return this.forTable(inRelationOrder(relation, catalog, this.#options.types), "stream");
  }
}

/**
 * The table with the columns the relation message lists, in its order (the order of the values in the stream's
 * rows), with the types it gives; nullability, defaults and the key come from the catalog, as read now.
 */
function inRelationOrder(relation: RelationMessage, catalog: TableInfo | undefined, types: PgTypeRegistry): TableInfo {
  const columns = relation.columns.map((column, index): ColumnInfo => {
    const known = catalog?.columns.find((c) => c.name === column.name);
    return {
      name: column.name,
      position: known?.position ?? index + 1,
      typeOid: column.typeOid,
      typeName:
        known?.typeOid === column.typeOid
          ? known.typeName
          : (types.get(column.typeOid)?.name ?? String(column.typeOid)),
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
