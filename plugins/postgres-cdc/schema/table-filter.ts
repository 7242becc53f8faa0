import { ConfigError } from "../../../src/index.ts";
import type { TableId } from "./table-info.ts";

/**
 * Which tables and columns the connector captures, as Debezium's RelationalTableFilters and column filter decide
 * for PostgreSQL: each list is comma-separated regular expressions (a comma inside one escaped as `\,`), matched
 * case-insensitively against the whole of `schema` (schema lists), `schema.table` (table lists) or
 * `schema.table.column` (column lists). An include list wins over its exclude list, which is then ignored, as in
 * Debezium. With `table.ignore.builtin` (default true) the system schemas and tables are never captured.
 */
export interface TableFilter {
  includesTable(id: TableId): boolean;
  includesColumn(id: TableId, column: string): boolean;
}

const SYSTEM_SCHEMAS: ReadonlySet<string> = new Set(["pg_catalog", "information_schema"]);
const SYSTEM_TABLES: ReadonlySet<string> = new Set(["spatial_ref_sys"]);

/** Builds the filter from connector configuration. Throws a ConfigError naming the key of an invalid regex. */
export function tableFilterFrom(config: Readonly<Record<string, string | undefined>>): TableFilter {
  const schemas = listFilter(config, "schema.include.list", "schema.exclude.list");
  const tables = listFilter(config, "table.include.list", "table.exclude.list");
  const columns = listFilter(config, "column.include.list", "column.exclude.list");
  const ignoreBuiltin = (config["table.ignore.builtin"] ?? "true").trim().toLowerCase() !== "false";
  return {
    includesTable(id) {
      if (ignoreBuiltin && isSystemTable(id)) return false;
      if (schemas && !schemas(id.schema)) return false;
      return tables ? tables(`${id.schema}.${id.table}`) : true;
    },
    includesColumn(id, column) {
      return columns ? columns(`${id.schema}.${id.table}.${column}`) : true;
    },
  };
}

function isSystemTable(id: TableId): boolean {
  return (
    SYSTEM_SCHEMAS.has(id.schema.toLowerCase()) ||
    SYSTEM_TABLES.has(id.table.toLowerCase()) ||
    id.schema.startsWith("pg_temp")
  );
}

type Matcher = (text: string) => boolean;

function listFilter(
  config: Readonly<Record<string, string | undefined>>,
  includeKey: string,
  excludeKey: string,
): Matcher | undefined {
  const include = config[includeKey]?.trim();
  if (include) {
    const patterns = compile(include, includeKey);
    return (text) => patterns.some((p) => p.test(text));
  }
  const exclude = config[excludeKey]?.trim();
  if (exclude) {
    const patterns = compile(exclude, excludeKey);
    return (text) => !patterns.some((p) => p.test(text));
  }
  return undefined;
}

/** Debezium's RegExSplitter: split on commas not escaped by a backslash, trim, drop empty parts, unescape `\,`. */
export function splitRegexList(list: string): string[] {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < list.length; i++) {
    const c = list[i];
    if (c === "\\") i++;
    else if (c === ",") {
      parts.push(list.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(list.slice(start));
  return parts.filter((p) => p.length > 0).map((p) => p.trim().replaceAll("\\,", ","));
}

function compile(list: string, key: string): RegExp[] {
  return splitRegexList(list).map((source) => {
    try {
      // Java's Matcher.matches(): the whole text must match, so the pattern is anchored at both ends
      return new RegExp(`^(?:${source})$`, "i");
    } catch (cause) {
      throw new ConfigError(`Invalid value for ${key}: '${source}' is not a valid regular expression`, {
        key,
        cause,
      });
    }
  });
}
