/**
 * Debezium's PostgreSQL connector keys, with Debezium 3.6.1's names, defaults and accepted values, so that a
 * Debezium configuration runs unchanged. Keys sluice does not implement are not defined here: the runtime passes
 * them through as Kafka Connect does, and `/config/validate` lists only what is checked.
 *
 * One difference on purpose: `plugin.name` defaults to `pgoutput` (Debezium's default is `decoderbufs`, a server
 * extension that must be built into PostgreSQL); `pgoutput` ships with PostgreSQL 10 and later and is the only
 * plugin sluice decodes.
 */
import { ConfigDef, type ConfigKey, oneOf, range, type Validator } from "../../../src/index.ts";
import { PUBLICATION_AUTOCREATE_MODES } from "../replication/publication.ts";
import { typeMappingConfigDef } from "../schema/type-mapping-options.ts";

export const SNAPSHOT_MODES = ["always", "initial", "initial_only", "no_data", "never", "when_needed"] as const;
export type SnapshotMode = (typeof SNAPSHOT_MODES)[number];

export type { PublicationAutocreateMode } from "../replication/publication.ts";

const notBlank: Validator = Object.assign(
  (_name: string, value: unknown) => {
    if (typeof value === "string" && value.trim() === "") throw new Error("String must be non-empty");
  },
  { description: "non-empty string" },
);

/** Debezium's slot names: lower-case letters, digits and underscores, as PostgreSQL requires of a slot. */
const slotName: Validator = Object.assign(
  (_name: string, value: unknown) => {
    if (typeof value === "string" && !/^[a-z0-9_]{1,63}$/.test(value)) {
      throw new Error(
        "Valid replication slot name must contain only digits, lowercase characters and underscores with length <= 63",
      );
    }
  },
  { description: "lower-case letters, digits and underscores, at most 63" },
);

const pluginName: Validator = Object.assign(
  (_name: string, value: unknown) => {
    if (value === "pgoutput") return;
    if (value === "decoderbufs") {
      throw new Error("sluice decodes only 'pgoutput' (built into PostgreSQL); set plugin.name=pgoutput");
    }
    throw new Error(`Value must be one of decoderbufs, pgoutput`);
  },
  { description: "[pgoutput]" },
);

const operationList: Validator = Object.assign(
  (_name: string, value: unknown) => {
    const items = (value as readonly string[] | null) ?? [];
    for (const item of items) {
      if (!["c", "u", "d", "t", "none"].includes(item.trim())) {
        throw new Error(`Unexpected operation '${item}': use c, u, d, t or none`);
      }
    }
  },
  { description: "c, u, d, t or none" },
);

const key = (definition: Omit<ConfigKey, "importance"> & Partial<Pick<ConfigKey, "importance">>): ConfigKey => ({
  importance: "medium",
  ...definition,
});

const CONNECTOR_KEYS = new ConfigDef()
  .define(
    key({
      name: "topic.prefix",
      type: "string",
      validator: notBlank,
      importance: "high",
      documentation:
        "The logical name of the database server: the first part of every topic name (<topic.prefix>.<schema>.<table>) " +
        "and the source partition of the offsets.",
    }),
  )
  .define(
    key({
      name: "database.hostname",
      type: "string",
      validator: notBlank,
      importance: "high",
      documentation: "The PostgreSQL server's host.",
    }),
  )
  .define(
    key({
      name: "database.port",
      type: "int",
      defaultValue: 5432,
      validator: range(1, 65535),
      documentation: "The PostgreSQL server's port.",
    }),
  )
  .define(
    key({
      name: "database.user",
      type: "string",
      validator: notBlank,
      importance: "high",
      documentation:
        "The user to connect as; it needs the REPLICATION attribute (or to be the owner of the publication's tables).",
    }),
  )
  .define(
    key({
      name: "database.password",
      type: "password",
      defaultValue: null,
      importance: "high",
      documentation: "The user's password.",
    }),
  )
  .define(
    key({
      name: "database.dbname",
      type: "string",
      validator: notBlank,
      importance: "high",
      documentation: "The database whose changes are captured.",
    }),
  )
  .define(
    key({
      name: "database.sslmode",
      type: "string",
      defaultValue: "prefer",
      validator: oneOf(["disable", "allow", "prefer", "require", "verify-ca", "verify-full"]),
      documentation: "Whether to use TLS to the server, as libpq's sslmode.",
    }),
  )
  .define(
    key({
      name: "plugin.name",
      type: "string",
      defaultValue: "pgoutput",
      validator: pluginName,
      documentation: "The logical decoding plugin: pgoutput.",
    }),
  )
  .define(
    key({
      name: "slot.name",
      type: "string",
      defaultValue: "debezium",
      validator: slotName,
      documentation: "The replication slot changes are streamed from; created when missing.",
    }),
  )
  .define(
    key({
      name: "slot.drop.on.stop",
      type: "boolean",
      defaultValue: false,
      documentation:
        "Drop the slot when the task stops (for tests and temporary connectors: changes made while stopped are lost).",
    }),
  )
  .define(
    key({
      name: "publication.name",
      type: "string",
      defaultValue: "dbz_publication",
      validator: notBlank,
      documentation: "The publication pgoutput streams.",
    }),
  )
  .define(
    key({
      name: "publication.autocreate.mode",
      type: "string",
      defaultValue: "all_tables",
      validator: oneOf(PUBLICATION_AUTOCREATE_MODES),
      documentation:
        "disabled: the publication must exist; all_tables: created FOR ALL TABLES when missing; filtered: created " +
        "(or altered) for the tables the include and exclude lists select; no_tables: created for no table when missing.",
    }),
  )
  .define(
    key({
      name: "publish.via.partition.root",
      type: "boolean",
      defaultValue: false,
      documentation:
        "Publish a partitioned table's changes under the root table's name (the publication's " +
        "publish_via_partition_root), when the connector creates or alters the publication.",
    }),
  )
  .define(
    key({
      name: "snapshot.mode",
      type: "string",
      defaultValue: "initial",
      validator: oneOf(SNAPSHOT_MODES),
      documentation:
        "initial: snapshot the tables when no offset is stored, then stream; always: snapshot at every start; " +
        "initial_only: snapshot, then stop; no_data and never: stream only; when_needed: snapshot when no offset is " +
        "stored or the slot no longer has the stored position.",
    }),
  )
  .define(
    key({
      name: "snapshot.fetch.size",
      type: "int",
      defaultValue: 10240,
      validator: range(1),
      documentation: "Rows read at a time from each table during a snapshot.",
    }),
  )
  .define(
    key({
      name: "schema.include.list",
      type: "list",
      defaultValue: null,
      documentation: "Regular expressions of the schemas to capture (whole names).",
    }),
  )
  .define(
    key({
      name: "schema.exclude.list",
      type: "list",
      defaultValue: null,
      documentation: "Regular expressions of the schemas not to capture.",
    }),
  )
  .define(
    key({
      name: "table.include.list",
      type: "list",
      defaultValue: null,
      documentation: "Regular expressions of the tables to capture, as <schema>.<table>.",
    }),
  )
  .define(
    key({
      name: "table.exclude.list",
      type: "list",
      defaultValue: null,
      documentation: "Regular expressions of the tables not to capture, as <schema>.<table>.",
    }),
  )
  .define(
    key({
      name: "column.include.list",
      type: "list",
      defaultValue: null,
      documentation: "Regular expressions of the columns to include in change events, as <schema>.<table>.<column>.",
    }),
  )
  .define(
    key({
      name: "column.exclude.list",
      type: "list",
      defaultValue: null,
      documentation: "Regular expressions of the columns to leave out of change events, as <schema>.<table>.<column>.",
    }),
  )
  .define(
    key({
      name: "skipped.operations",
      type: "list",
      defaultValue: ["t"],
      validator: operationList,
      documentation:
        "Change events not to write, by operation: c (create), u (update), d (delete), t (truncate); none writes " +
        "every event. Truncates are skipped by default, as in Debezium.",
    }),
  )
  .define(
    key({
      name: "extended.headers.enabled",
      type: "boolean",
      defaultValue: true,
      documentation:
        "Add Debezium's context headers to every record: __debezium.context.connectorLogicalName, .taskId, " +
        ".connectorName and .runId.",
    }),
  )
  .define(
    key({
      name: "table.ignore.builtin",
      type: "boolean",
      defaultValue: true,
      documentation: "Never capture the system schemas' tables.",
    }),
  )
  .define(
    key({
      name: "unavailable.value.placeholder",
      type: "string",
      defaultValue: "__debezium_unavailable_value",
      documentation:
        "What stands for a TOASTed value an update left unchanged (the server does not send it); `hex:` followed by " +
        "hex digits gives bytes.",
    }),
  )
  .define(
    key({
      name: "event.converting.failure.handling.mode",
      type: "string",
      defaultValue: "warn",
      validator: oneOf(["fail", "warn", "skip"]),
      documentation:
        "A value that cannot be converted: fail the task (fail), log it and leave the field null (warn), or leave " +
        "it null silently (skip).",
    }),
  )
  .define(
    key({
      name: "tombstones.on.delete",
      type: "boolean",
      defaultValue: true,
      documentation:
        "Follow each delete event with a tombstone (the key and a null value), so compaction can drop the key.",
    }),
  )
  .define(
    key({
      name: "heartbeat.interval.ms",
      type: "int",
      defaultValue: 0,
      validator: range(0),
      documentation:
        "How often to write a heartbeat record (and move the slot on) while no captured table changes; 0 disables.",
    }),
  )
  .define(
    key({
      name: "topic.heartbeat.prefix",
      type: "string",
      defaultValue: "__debezium-heartbeat",
      documentation: "Heartbeats go to <topic.heartbeat.prefix>.<topic.prefix>.",
    }),
  )
  .define(
    key({
      name: "topic.delimiter",
      type: "string",
      defaultValue: ".",
      documentation: "Between the parts of a topic name.",
    }),
  )
  .define(
    key({
      name: "status.update.interval.ms",
      type: "int",
      defaultValue: 10000,
      validator: range(0),
      documentation: "How often the server is told the position whose changes Kafka has acknowledged.",
    }),
  )
  .define(
    key({
      name: "flush.lsn.source",
      type: "boolean",
      defaultValue: true,
      documentation:
        "Confirm acknowledged positions to the slot, so the server can recycle its WAL. With false, something else must advance the slot.",
    }),
  )
  .define(
    key({
      name: "max.batch.size",
      type: "int",
      defaultValue: 2048,
      validator: range(1),
      documentation: "The most change events one poll returns.",
    }),
  )
  .define(
    key({
      name: "poll.interval.ms",
      type: "long",
      defaultValue: 500,
      validator: range(0),
      documentation: "How long a poll waits for changes before returning none.",
    }),
  );

/** Every key the connector reads: its own and the type mapping's. */
export const POSTGRES_CONNECTOR_CONFIG_DEF = CONNECTOR_KEYS.merge(typeMappingConfigDef());
