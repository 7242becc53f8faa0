import type { RelationMessage } from "../replication/pgoutput-messages.ts";
import type { TableSchema } from "./table-schema.ts";

/** The captured tables, by the relation messages that describe them in the stream. */
export interface RelationTables {
  /** The table's schema for this relation, or null when the table is not captured. May read the catalog. */
  forRelation(relation: RelationMessage): Promise<TableSchema | null>;
}
