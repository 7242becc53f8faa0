import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { JdbcSinkConnector, JdbcSinkTask, manifests } from "../../../plugins/jdbc-sink/index.ts";
import { ConfigError, SchemaBuilder, Schemas, Struct } from "../../../src/index.ts";
import { parseProperties } from "../../../src/runtime/config/properties-file.ts";
import { runConnectorConformance } from "../../../src/testing/index.ts";
import { sinkRecord, useTestDatabase } from "./pg-test-database.ts";

const db = useTestDatabase("jdbc_sink_connector");
const [manifest] = manifests;
if (!manifest) throw new Error("the jdbc-sink plugin must export its manifest");

const ITEM = SchemaBuilder.struct().name("Item").field("id", Schemas.INT32).field("name", Schemas.STRING).build();
const connection = () => ({ "connection.url": db.jdbcUrl, "connection.username": "postgres" });
/** A short table name per round trip: the kit's topics are longer than PostgreSQL's 63-character names. */
const tableOf = (topic: string) =>
  `rt_${topic.slice(topic.lastIndexOf("-", topic.lastIndexOf("-") - 1) + 1).replaceAll("-", "_")}`;

runConnectorConformance(manifest, {
  get validConfig() {
    return { ...connection(), "schema.evolution": "basic", topics: "conformance" };
  },
  requiredKeys: ["connection.url", "connection.username"],
  sinkRecords: [
    sinkRecord({ topic: "conformance", valueSchema: ITEM, value: new Struct(ITEM).put("id", 1).put("name", "one") }),
  ],
  roundTrip: {
    pluginPath: join(import.meta.dir, "..", "..", "..", "plugins", "jdbc-sink"),
    config: (topic) => ({
      ...connection(),
      "insert.mode": "upsert",
      "primary.key.mode": "record_value",
      "primary.key.fields": "id",
      "schema.evolution": "basic",
      "collection.name.format": tableOf(topic),
    }),
    record: (i) => ({
      keySchema: Schemas.STRING,
      key: `key-${i}`,
      valueSchema: ITEM,
      value: new Struct(ITEM).put("id", i).put("name", `value-${i}`),
    }),
    expected: (_record, i) => `value-${i}`,
    readBack: async (run) => {
      const table = run.config["collection.name.format"] as string;
      const exists = await db.sql.unsafe("SELECT to_regclass($1) IS NOT NULL AS ok", [table]);
      if (!exists[0]?.ok) return [];
      return [...(await db.sql.unsafe(`SELECT name FROM "${table}" ORDER BY id`))].map((r: { name: string }) => r.name);
    },
  },
});

describe("jdbc-sink manifest", () => {
  test("registers Debezium's class name with its short aliases", () => {
    expect(manifests.map((m) => [m.type, m.className, m.aliases])).toEqual([
      ["sink", "io.debezium.connector.jdbc.JdbcSinkConnector", ["JdbcSink", "JdbcSinkConnector"]],
    ]);
    expect(manifest.create()).toBeInstanceOf(JdbcSinkConnector);
    expect(new JdbcSinkConnector().taskClass()).toBe(JdbcSinkTask);
  });
});

describe("configuration, in Debezium's words", () => {
  const base = { "connection.url": "jdbc:postgresql://localhost:5432/db", "connection.username": "u" };
  const problems = (props: Record<string, string>) =>
    new JdbcSinkConnector()
      .validate({ ...base, ...props })
      .filter((v) => v.errors.length > 0)
      .map((v) => [v.name, v.errors]);

  const refusals: [string, Record<string, string>, string, string][] = [
    [
      "upsert without primary key keys",
      { "insert.mode": "upsert" },
      "insert.mode",
      "When using UPSERT, please define 'primary.key.mode' and 'primary.key.fields'.",
    ],
    [
      "upsert with fields but no mode",
      { "insert.mode": "upsert", "primary.key.fields": "id" },
      "insert.mode",
      "When using UPSERT, please define 'primary.key.mode'.",
    ],
    [
      "delete.enabled without record_key",
      { "delete.enabled": "true", "primary.key.mode": "record_value" },
      "delete.enabled",
      "When 'delete.enabled' is set to 'true', the 'primary.key.mode' option must be set to 'record_key'.",
    ],
    [
      "delete.enabled with the mode left unset",
      { "delete.enabled": "true" },
      "delete.enabled",
      "When 'delete.enabled' is set to 'true', the 'primary.key.mode' option must be set to 'record_key'.",
    ],
    [
      "an unknown insert.mode",
      { "insert.mode": "merge" },
      "insert.mode",
      "Invalid value merge for configuration insert.mode: Value must be one of insert, upsert, update",
    ],
    [
      "an unknown primary.key.mode",
      { "primary.key.mode": "record_header" },
      "primary.key.mode",
      "Invalid value record_header for configuration primary.key.mode: Value must be one of none, kafka, record_key, record_value",
    ],
    [
      "an unknown schema.evolution",
      { "schema.evolution": "advanced" },
      "schema.evolution",
      "Invalid value advanced for configuration schema.evolution: Value must be one of none, basic",
    ],
    [
      "batch.size 0",
      { "batch.size": "0" },
      "batch.size",
      "Invalid value 0 for configuration batch.size: Value must be at least 1",
    ],
    [
      "both field lists",
      { "field.include.list": "a", "field.exclude.list": "b" },
      "field.exclude.list",
      "Cannot define both column.exclude.list and column.include.list. Please specify only one.",
    ],
    [
      "an unknown time zone",
      { "use.time.zone": "Mars/Olympus" },
      "use.time.zone",
      "Invalid value Mars/Olympus for configuration use.time.zone: Unknown time zone Mars/Olympus",
    ],
  ];
  for (const [what, props, key, message] of refusals) {
    test(`${what}: validate() reports it on ${key}, start() throws a ConfigError naming ${key}`, () => {
      expect(problems(props)).toEqual([[key, [message]]]);
      const error = (() => {
        try {
          new JdbcSinkConnector().start({ ...base, ...props });
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).key).toBe(key);
      expect((error as ConfigError).message).toBe(message);
    });
  }

  test("the example configuration validates without a problem", async () => {
    const path = join(
      import.meta.dir,
      "..",
      "..",
      "..",
      "plugins",
      "jdbc-sink",
      "examples",
      "postgres-upsert.properties",
    );
    const props = parseProperties(await Bun.file(path).text(), path);
    expect(new JdbcSinkConnector().validate(props).filter((v) => v.errors.length > 0)).toEqual([]);
    expect(props["connector.class"]).toBe(manifest.className);
  });

  test("database.time_zone, Debezium's deprecated alias of use.time.zone, is checked as a time zone too", () => {
    expect(problems({ "database.time_zone": "Nowhere/Else" })).toEqual([
      [
        "database.time_zone",
        ["Invalid value Nowhere/Else for configuration database.time_zone: Unknown time zone Nowhere/Else"],
      ],
    ]);
  });

  test("upsert with record_key, deletes with record_key and enum values in any case are accepted", () => {
    expect(problems({ "insert.mode": "UPSERT", "primary.key.mode": "Record_Key", "delete.enabled": "true" })).toEqual(
      [],
    );
  });

  test("connection.url takes jdbc:postgresql:// and postgres:// URLs; other databases are refused", () => {
    for (const url of ["jdbc:postgresql://h:5433/db?sslmode=disable", "postgres://h/db", "postgresql://u:p@h:1/db"]) {
      expect(() => new JdbcSinkConnector().start({ ...base, "connection.url": url })).not.toThrow();
    }
    expect(() => new JdbcSinkConnector().start({ ...base, "connection.url": "jdbc:mysql://h/db" })).toThrow(
      "Invalid value jdbc:mysql://h/db for configuration connection.url: expected jdbc:postgresql://host:port/database (this sink writes to PostgreSQL only)",
    );
  });
});
