/** Quoting for names and text put into SQL and replication commands (which take no bind parameters). */

/** `"name"`, doubling embedded quotes: keeps case and any character, as Debezium's TableId.toDoubleQuotedString. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** `'text'`, doubling embedded quotes (standard_conforming_strings, the default since PostgreSQL 9.1). */
export function quoteLiteral(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
