import { ConfigDef, ConfigError, type ConfigValue, range, type Validator } from "../../src/index.ts";
import { TOPIC_PLACEHOLDER } from "./table-naming.ts";

export type InsertMode = "insert" | "upsert" | "update";
export type PrimaryKeyMode = "none" | "kafka" | "record_key" | "record_value";
export type SchemaEvolutionMode = "none" | "basic";

/** The parsed configuration a task works with. */
export interface JdbcSinkConfig {
  readonly connectionUrl: string;
  readonly username: string;
  readonly password: string | null;
  readonly insertMode: InsertMode;
  readonly deleteEnabled: boolean;
  readonly truncateEnabled: boolean;
  readonly collectionNameFormat: string;
  readonly primaryKeyMode: PrimaryKeyMode;
  readonly primaryKeyFields: readonly string[];
  readonly schemaEvolution: SchemaEvolutionMode;
  readonly quoteIdentifiers: boolean;
  readonly batchSize: number;
  readonly useTimeZone: string;
  readonly fieldIncludeList: readonly string[];
  readonly fieldExcludeList: readonly string[];
}

export const CONNECTION_URL = "connection.url";
export const CONNECTION_USERNAME = "connection.username";
export const CONNECTION_PASSWORD = "connection.password";
export const INSERT_MODE = "insert.mode";
export const DELETE_ENABLED = "delete.enabled";
export const TRUNCATE_ENABLED = "truncate.enabled";
export const COLLECTION_NAME_FORMAT = "collection.name.format";
/** Debezium 3 renamed table.name.format; the old key is still read as a deprecated alias. */
export const TABLE_NAME_FORMAT = "table.name.format";
export const PRIMARY_KEY_MODE = "primary.key.mode";
export const PRIMARY_KEY_FIELDS = "primary.key.fields";
export const SCHEMA_EVOLUTION = "schema.evolution";
export const QUOTE_IDENTIFIERS = "quote.identifiers";
export const BATCH_SIZE = "batch.size";
export const USE_TIME_ZONE = "use.time.zone";
/** Debezium's deprecated alias of use.time.zone. */
export const DATABASE_TIME_ZONE = "database.time_zone";
export const FIELD_INCLUDE_LIST = "field.include.list";
export const FIELD_EXCLUDE_LIST = "field.exclude.list";

/** Debezium's EnumeratedValue validation: case-insensitive, trimmed, "Value must be one of a, b, c". */
function enumerated(values: readonly string[]): Validator {
  const validator = (_name: string, value: unknown) => {
    if (value === null) return;
    if (!values.includes(String(value).trim().toLowerCase())) {
      throw new Error(`Value must be one of ${values.join(", ")}`);
    }
  };
  return Object.assign(validator, { description: `[${values.join(", ")}]` });
}

function timeZone(_name: string, value: unknown): void {
  if (value === null) return;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: String(value) });
  } catch {
    throw new Error(`Unknown time zone ${String(value)}`);
  }
}

function listOfRegex(_name: string, value: unknown): void {
  for (const pattern of value as string[]) {
    try {
      new RegExp(pattern);
    } catch (error) {
      throw new Error(`A comma-separated list of valid regular expressions is expected, but ${pattern}: ${error}`);
    }
  }
}

/** Debezium's JdbcSinkConnectorConfig keys (3.6.1) that the PostgreSQL dialect uses, with its defaults. */
export const JDBC_SINK_CONFIG_DEF = new ConfigDef()
  .define({
    name: CONNECTION_URL,
    type: "string",
    importance: "high",
    group: "Connection",
    documentation:
      "The PostgreSQL database to write to: jdbc:postgresql://host:port/database (Debezium's form; user and password " +
      "may be given as query parameters), or a postgres:// / postgresql:// URL.",
  })
  .define({
    name: CONNECTION_USERNAME,
    type: "string",
    importance: "high",
    group: "Connection",
    documentation: "Name of the database user to be used when connecting to the connection.",
  })
  .define({
    name: CONNECTION_PASSWORD,
    type: "password",
    defaultValue: null,
    importance: "high",
    group: "Connection",
    documentation: "Password of the database user to be used when connecting to the connection.",
  })
  .define({
    name: INSERT_MODE,
    type: "string",
    defaultValue: "insert",
    validator: enumerated(["insert", "upsert", "update"]),
    importance: "low",
    group: "Connector",
    documentation:
      "The insertion mode to use. 'insert' - the default mode, uses standard SQL insert statements; 'upsert' - " +
      "INSERT ... ON CONFLICT ... DO UPDATE, requires primary.key.mode; 'update' - UPDATE statements by primary key.",
  })
  .define({
    name: DELETE_ENABLED,
    type: "boolean",
    defaultValue: false,
    importance: "low",
    group: "Connector",
    documentation:
      "Whether to treat `null` record values (and Debezium 'd' events) as deletes. Requires primary.key.mode to be " +
      "`record_key`.",
  })
  .define({
    name: TRUNCATE_ENABLED,
    type: "boolean",
    defaultValue: false,
    importance: "low",
    group: "Connector",
    documentation: "Whether to process debezium event `t` as truncate statement.",
  })
  .define({
    name: COLLECTION_NAME_FORMAT,
    type: "string",
    defaultValue: TOPIC_PLACEHOLDER,
    importance: "medium",
    group: "Connector",
    documentation:
      `A format string for the table, which may contain '${TOPIC_PLACEHOLDER}' as a placeholder for the original ` +
      "topic name (its dots replaced by underscores) and '$" +
      "{source.<field>}' for a field of a Debezium event's source block. " +
      "A dot in the result separates schema and table. Replaces the deprecated table.name.format.",
  })
  .define({
    name: TABLE_NAME_FORMAT,
    type: "string",
    defaultValue: null,
    importance: "low",
    group: "Connector",
    documentation: "Deprecated alias of collection.name.format, used when collection.name.format is not set.",
  })
  .define({
    name: PRIMARY_KEY_MODE,
    type: "string",
    defaultValue: "none",
    validator: enumerated(["none", "kafka", "record_key", "record_value"]),
    importance: "high",
    group: "Connector",
    documentation:
      "The primary key mode: none; kafka (__connect_topic, __connect_partition, __connect_offset); record_key (the " +
      "key's fields, or a primitive key named by primary.key.fields); record_value (fields of the value).",
  })
  .define({
    name: PRIMARY_KEY_FIELDS,
    type: "string",
    defaultValue: null,
    importance: "low",
    group: "Connector",
    documentation:
      "A comma-separated list of primary key field names. This is interpreted differently depending on " +
      "primary.key.mode.",
  })
  .define({
    name: SCHEMA_EVOLUTION,
    type: "string",
    defaultValue: "none",
    validator: enumerated(["none", "basic"]),
    importance: "low",
    group: "Connector",
    documentation:
      "Controls how schema evolution is handled by the sink connector: none, or basic (create missing tables, add " +
      "missing columns).",
  })
  .define({
    name: QUOTE_IDENTIFIERS,
    type: "boolean",
    defaultValue: false,
    importance: "low",
    group: "Connector",
    documentation:
      "When enabled, table and column names keep their case. When disabled, they are lower-cased, as PostgreSQL " +
      "folds unquoted identifiers.",
  })
  .define({
    name: BATCH_SIZE,
    type: "int",
    defaultValue: 500,
    validator: range(1),
    importance: "medium",
    group: "Connector Advanced",
    documentation:
      "Specifies how many records to attempt to batch together into the destination table, when possible; each " +
      "batch is written in one transaction.",
  })
  .define({
    name: USE_TIME_ZONE,
    type: "string",
    defaultValue: "UTC",
    validator: Object.assign(timeZone, { description: "an IANA time zone" }),
    importance: "medium",
    group: "Connector",
    documentation: "The timezone used when inserting temporal values. Defaults to UTC.",
  })
  .define({
    name: DATABASE_TIME_ZONE,
    type: "string",
    defaultValue: null,
    validator: Object.assign(timeZone, { description: "an IANA time zone" }),
    importance: "low",
    group: "Connector",
    documentation: "Deprecated alias of use.time.zone, used when use.time.zone is not set.",
  })
  .define({
    name: FIELD_INCLUDE_LIST,
    type: "list",
    defaultValue: [],
    validator: Object.assign(listOfRegex, { description: "regular expressions" }),
    importance: "medium",
    group: "Filters",
    documentation:
      "A comma-separated list of regular expressions matching fully-qualified names of fields that should be " +
      "included in change events. The field names must be delimited by the format <topic>:<field>",
  })
  .define({
    name: FIELD_EXCLUDE_LIST,
    type: "list",
    defaultValue: [],
    validator: Object.assign(listOfRegex, { description: "regular expressions" }),
    importance: "medium",
    group: "Filters",
    documentation:
      "A comma-separated list of regular expressions matching fully-qualified names of fields that should be " +
      "excluded from change events. The field names must be delimited by the format <topic>:<field>",
  });

/**
 * The checks across keys, in Debezium's words (it logs these and refuses the configuration): upsert needs a primary
 * key mode, deletes need record_key, and only one of the field lists may be set. Returns [key, message] pairs.
 */
export function crossKeyProblems(props: Readonly<Record<string, string>>): [string, string][] {
  const problems: [string, string][] = [];
  const insertMode = (props[INSERT_MODE] ?? "insert").trim().toLowerCase();
  if (insertMode === "upsert") {
    if (props[PRIMARY_KEY_MODE] === undefined && props[PRIMARY_KEY_FIELDS] === undefined) {
      problems.push([
        INSERT_MODE,
        `When using UPSERT, please define '${PRIMARY_KEY_MODE}' and '${PRIMARY_KEY_FIELDS}'.`,
      ]);
    } else if (props[PRIMARY_KEY_MODE] === undefined) {
      problems.push([INSERT_MODE, `When using UPSERT, please define '${PRIMARY_KEY_MODE}'.`]);
    }
  }
  if ((props[DELETE_ENABLED] ?? "").trim().toLowerCase() === "true") {
    // Debezium reads an unset mode as record_key here but then runs with none (a DELETE without WHERE): an unset
    // mode is refused too.
    const mode = (props[PRIMARY_KEY_MODE] ?? "none").trim().toLowerCase();
    if (mode !== "record_key") {
      problems.push([
        DELETE_ENABLED,
        `When '${DELETE_ENABLED}' is set to 'true', the '${PRIMARY_KEY_MODE}' option must be set to 'record_key'.`,
      ]);
    }
  }
  if ((props[FIELD_INCLUDE_LIST] ?? "").trim() !== "" && (props[FIELD_EXCLUDE_LIST] ?? "").trim() !== "") {
    problems.push([
      FIELD_EXCLUDE_LIST,
      "Cannot define both column.exclude.list and column.include.list. Please specify only one.",
    ]);
  }
  return problems;
}

/** ConfigDef validation plus the cross-key checks, each added to its key's ConfigValue (for /config/validate). */
export function validateJdbcSinkConfig(props: Readonly<Record<string, string>>): ConfigValue[] {
  const values = JDBC_SINK_CONFIG_DEF.validate(props);
  for (const [key, message] of crossKeyProblems(props)) {
    values.find((value) => value.name === key)?.errors.push(message);
  }
  return values;
}

/** Parses and checks a configuration; a ConfigError names the first bad key. */
export function parseJdbcSinkConfig(props: Readonly<Record<string, string>>): JdbcSinkConfig {
  const v = JDBC_SINK_CONFIG_DEF.parse(props);
  const [problem] = crossKeyProblems(props);
  if (problem) throw new ConfigError(problem[1], { key: problem[0] });
  const format = props[COLLECTION_NAME_FORMAT] ?? props[TABLE_NAME_FORMAT] ?? TOPIC_PLACEHOLDER;
  const fields = (v[PRIMARY_KEY_FIELDS] as string | null) ?? "";
  return {
    connectionUrl: v[CONNECTION_URL] as string,
    username: v[CONNECTION_USERNAME] as string,
    password: v[CONNECTION_PASSWORD] as string | null,
    insertMode: (v[INSERT_MODE] as string).trim().toLowerCase() as InsertMode,
    deleteEnabled: v[DELETE_ENABLED] as boolean,
    truncateEnabled: v[TRUNCATE_ENABLED] as boolean,
    collectionNameFormat: format,
    primaryKeyMode: (v[PRIMARY_KEY_MODE] as string).trim().toLowerCase() as PrimaryKeyMode,
    primaryKeyFields: fields
      .split(",")
      .map((f) => f.trim())
      .filter((f) => f.length > 0),
    schemaEvolution: (v[SCHEMA_EVOLUTION] as string).trim().toLowerCase() as SchemaEvolutionMode,
    quoteIdentifiers: v[QUOTE_IDENTIFIERS] as boolean,
    batchSize: v[BATCH_SIZE] as number,
    useTimeZone: props[USE_TIME_ZONE] ?? props[DATABASE_TIME_ZONE] ?? "UTC",
    fieldIncludeList: v[FIELD_INCLUDE_LIST] as string[],
    fieldExcludeList: v[FIELD_EXCLUDE_LIST] as string[],
  };
}
