import { DataError, type SinkRecord, Struct } from "../../src/index.ts";

/** A destination table: schema (null: the connection's search_path) and name, as they will be written. */
export interface TableId {
  readonly schema: string | null;
  readonly name: string;
}

/** Debezium's placeholder for the topic (a plain string: it is not a JavaScript template). */
export const TOPIC_PLACEHOLDER = ["$", "{topic}"].join("");
const SOURCE_PLACEHOLDER = /\$\{source\.(.*?)\}/g;

/**
 * Debezium's DefaultCollectionNamingStrategy: the topic's dots become underscores, `${topic}` takes it, and
 * `${source.<field>}` takes a field of a Debezium event's source block. Returns null (the record is skipped, as
 * Debezium does) when the format needs a source block that the record does not have.
 */
export function resolveTableName(record: SinkRecord, format: string, isDebeziumEnvelope: boolean): string | null {
  let name = format.replaceAll(TOPIC_PLACEHOLDER, record.topic.replaceAll(".", "_"));
  if (!name.includes("${source.")) return name;
  if (!isDebeziumEnvelope || !(record.value instanceof Struct)) return null;
  const source = record.value.get("source");
  if (!(source instanceof Struct)) return null;
  name = name.replace(SOURCE_PLACEHOLDER, (_match, field: string) => {
    const value = source.get(field);
    if (typeof value !== "string") {
      throw new DataError(
        `Failed to resolve collection name with format '${format}': source field '${field}' of topic ` +
          `'${record.topic}' is not a string`,
      );
    }
    return value;
  });
  return name;
}

/**
 * Splits a resolved name into its parts as Debezium's TableId.parseParts: dots separate, double quotes protect a
 * part with dots. Of three parts (database.schema.table) the database is dropped: PostgreSQL writes within the
 * connection's database. Unquoted identifiers are lower-cased unless quote.identifiers is set, as PostgreSQL
 * folds them.
 */
export function parseTableId(text: string, quoteIdentifiers: boolean): TableId {
  const parts: { text: string; quoted: boolean }[] = [];
  let current = "";
  let quoted = false;
  let inQuotes = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '"') {
      if (inQuotes && text[i + 1] === '"') {
        current += '"';
        i++;
      } else {
        inQuotes = !inQuotes;
        quoted = true;
      }
    } else if (c === "." && !inQuotes) {
      parts.push({ text: current, quoted });
      current = "";
      quoted = false;
    } else {
      current += c;
    }
  }
  parts.push({ text: current, quoted });
  if (parts.length > 3 || parts.some((p) => p.text.length === 0)) {
    throw new DataError(`Failed to parse table name into TableId: ${text}`);
  }
  const fold = (p: { text: string; quoted: boolean }) => (quoteIdentifiers || p.quoted ? p.text : p.text.toLowerCase());
  const name = fold(parts[parts.length - 1] as { text: string; quoted: boolean });
  const schema = parts.length >= 2 ? fold(parts[parts.length - 2] as { text: string; quoted: boolean }) : null;
  return { schema, name };
}

/** A column name as it is stored: folded to lower case unless quote.identifiers is set. */
export function columnName(field: string, quoteIdentifiers: boolean): string {
  return quoteIdentifiers ? field : field.toLowerCase();
}

/**
 * Every identifier is written quoted, after folding: the result is the name PostgreSQL would store for an unquoted
 * identifier, and names that are reserved words or hold characters like '-' work too.
 */
export function quote(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}

export function qualifiedName(table: TableId): string {
  return table.schema === null ? quote(table.name) : `${quote(table.schema)}.${quote(table.name)}`;
}

export function describeTable(table: TableId): string {
  return table.schema === null ? table.name : `${table.schema}.${table.name}`;
}
