/**
 * Makes sure the publication the stream reads exists, per Debezium's `publication.autocreate.mode`
 * (PostgresReplicationConnection.initPublication):
 *
 * - all_tables (default): create it FOR ALL TABLES when missing; an existing one is used as it is.
 * - disabled: it must exist.
 * - filtered: create it FOR TABLE the captured tables when missing, or SET TABLE them when its tables differ; a
 *   publication FOR ALL TABLES cannot be narrowed, so that is an error.
 * - no_tables: create it with no tables when missing (tables are added by someone else).
 */
import type { Sql } from "postgres";
import { ConfigError, ConnectError } from "../../../src/index.ts";
import type { TableId } from "../schema/table-info.ts";
import { quoteIdentifier } from "./sql-quoting.ts";

export const PUBLICATION_AUTOCREATE_MODES = ["all_tables", "disabled", "filtered", "no_tables"] as const;
export type PublicationAutocreateMode = (typeof PUBLICATION_AUTOCREATE_MODES)[number];

export interface PublicationOptions {
  /** `publication.name` (Debezium's default `dbz_publication`). */
  readonly name: string;
  readonly mode: PublicationAutocreateMode;
  /** The captured tables (mode filtered only). */
  readonly tables?: readonly TableId[];
  /** `publish.via.partition.root`: added to CREATE PUBLICATION's WITH clause, as Debezium. */
  readonly publishViaPartitionRoot?: boolean;
}

/** What ensurePublication did. */
export type PublicationOutcome = "existing" | "created" | "altered";

const tableKey = (t: TableId): string => `${t.schema}.${t.table}`;

function tableList(options: PublicationOptions): string {
  const tables = [...(options.tables ?? [])].sort((a, b) => tableKey(a).localeCompare(tableKey(b)));
  if (tables.length === 0) {
    throw new ConfigError(
      `No table filters found for filtered publication ${options.name}: the table include/exclude lists match no table`,
      { key: "table.include.list" },
    );
  }
  return tables.map((t) => `${quoteIdentifier(t.schema)}.${quoteIdentifier(t.table)}`).join(", ");
}

function withClause(options: PublicationOptions): string {
  return options.publishViaPartitionRoot ? " WITH (publish_via_partition_root = true)" : "";
}

async function publishedTables(sql: Sql, name: string): Promise<Set<string>> {
  const rows = await sql<{ schemaname: string; tablename: string }[]>`
    SELECT schemaname, tablename FROM pg_catalog.pg_publication_tables WHERE pubname = ${name}`;
  return new Set(rows.map((r) => `${r.schemaname}.${r.tablename}`));
}

async function run(sql: Sql, statement: string, name: string): Promise<void> {
  try {
    await sql.unsafe(statement);
  } catch (error) {
    throw new ConnectError(`Unable to create or update the publication '${name}' with ${statement}: ${String(error)}`, {
      cause: error,
    });
  }
}

/** Creates or updates the publication as `options.mode` says, on an ordinary (not replication) connection. */
export async function ensurePublication(sql: Sql, options: PublicationOptions): Promise<PublicationOutcome> {
  const { name, mode } = options;
  const found = await sql<{ puballtables: boolean }[]>`
    SELECT puballtables FROM pg_catalog.pg_publication WHERE pubname = ${name}`;
  const quoted = quoteIdentifier(name);
  const existing = found[0];
  if (existing === undefined) {
    switch (mode) {
      case "disabled":
        throw new ConfigError(
          `The publication '${name}' does not exist and publication autocreation is disabled: create it ` +
            `(CREATE PUBLICATION ${quoted} FOR ...) and restart the connector`,
          { key: "publication.autocreate.mode" },
        );
      case "all_tables":
        await run(sql, `CREATE PUBLICATION ${quoted} FOR ALL TABLES${withClause(options)}`, name);
        return "created";
      case "filtered":
        await run(sql, `CREATE PUBLICATION ${quoted} FOR TABLE ${tableList(options)}${withClause(options)}`, name);
        return "created";
      case "no_tables":
        await run(sql, `CREATE PUBLICATION ${quoted}${withClause(options)}`, name);
        return "created";
    }
  }
  if (mode !== "filtered") return "existing";
  if (existing.puballtables) {
    throw new ConfigError(
      `A logical publication for all tables named '${name}' is already active on the server and can not be altered. ` +
        "If you need to exclude some tables or include only specific subset, please recreate the publication with " +
        "necessary configuration or let the connector recreate it by dropping the existing publication. Otherwise " +
        "please change the 'publication.autocreate.mode' property to 'all_tables'.",
      { key: "publication.autocreate.mode" },
    );
  }
  // Debezium leaves a filtered publication alone when the filters match no table.
  if ((options.tables ?? []).length === 0) return "existing";
  const current = await publishedTables(sql, name);
  const desired = new Set((options.tables ?? []).map(tableKey));
  if (current.size === desired.size && [...desired].every((t) => current.has(t))) return "existing";
  await run(sql, `ALTER PUBLICATION ${quoted} SET TABLE ${tableList(options)}`, name);
  return "altered";
}
