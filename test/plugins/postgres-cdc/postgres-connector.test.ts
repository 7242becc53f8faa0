import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { manifests, PostgresConnector } from "../../../plugins/postgres-cdc/index.ts";
import type { Struct } from "../../../src/index.ts";
import { runConnectorConformance } from "../../../src/testing/index.ts";
import { usePostgres } from "../../harness.ts";
import { type CdcDatabase, cdcConnectorConfig, cdcDatabaseName, createCdcDatabase } from "./cdc-database.ts";

const [manifest] = manifests;
if (!manifest) throw new Error("the postgres-cdc plugin must export a manifest");

usePostgres();

const DATABASE = cdcDatabaseName("conformance");
let db: CdcDatabase;
beforeAll(async () => {
  db = await createCdcDatabase("conformance", DATABASE);
  await db.sql`CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL)`;
  await db.sql`INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 25) g`;
}, 60_000);
afterAll(async () => {
  await db?.drop();
});

const REQUIRED = ["database.dbname", "database.hostname", "database.user", "topic.prefix"];

runConnectorConformance(manifest, {
  // The kit's unit checks run a task on fake contexts: it reads the same database, through a slot it drops.
  validConfig: cdcConnectorConfig(DATABASE, {
    "slot.name": `${DATABASE}_unit`.slice(0, 63),
    "slot.drop.on.stop": "true",
    "table.include.list": "public.items",
  }),
  requiredKeys: REQUIRED,
  roundTrip: {
    pluginPath: join(import.meta.dir, "..", "..", "..", "plugins", "postgres-cdc"),
    // The kit reads one fresh topic; Debezium's topic is <prefix>.<schema>.<table>, so a RegexRouter sends it there,
    // as a user routing a table's changes would.
    config: (topic) => ({
      ...db.connectorConfig({ "table.include.list": "public.items" }),
      transforms: "route",
      "transforms.route.type": "org.apache.kafka.connect.transforms.RegexRouter",
      "transforms.route.regex": ".*",
      "transforms.route.replacement": topic,
    }),
    minRecords: 25,
    verify: (records) => {
      expect(records).toHaveLength(25);
      const ids = records.map((r) => ((r.value as Struct).get("after") as Struct).get("id"));
      expect(ids.sort((a, b) => Number(a) - Number(b))).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
      expect(records.every((r) => (r.value as Struct).get("op") === "r")).toBe(true);
    },
    timeoutMs: 60_000,
  },
});

describe("PostgresConnector", () => {
  test("is registered under Debezium's class name with short aliases", () => {
    expect(manifests.map((m) => [m.type, m.className, m.aliases])).toEqual([
      [
        "source",
        "io.debezium.connector.postgresql.PostgresConnector",
        ["PostgresConnector", "PostgresCdc", "PostgresCdcSource"],
      ],
    ]);
  });

  test("runs one task whatever tasks.max says: a slot streams to one reader", async () => {
    const connector = new PostgresConnector();
    const config = { "database.hostname": "h", "database.user": "u", "database.dbname": "d", "topic.prefix": "p" };
    connector.start(config);
    expect(connector.taskConfigs(4)).toEqual([config]);
  });

  test("refuses decoderbufs, and slot names PostgreSQL would refuse, naming the key", () => {
    const base = { "database.hostname": "h", "database.user": "u", "database.dbname": "d", "topic.prefix": "p" };
    const errors = (extra: Record<string, string>) =>
      new PostgresConnector()
        .validate({ ...base, ...extra })
        .filter((v) => v.errors.length > 0)
        .map((v) => [v.name, v.errors.join(" ")]);
    expect(errors({ "plugin.name": "decoderbufs" })).toEqual([["plugin.name", expect.stringContaining("pgoutput")]]);
    expect(errors({ "slot.name": "My-Slot" })).toEqual([["slot.name", expect.stringContaining("lowercase")]]);
    expect(errors({ "snapshot.mode": "sometimes" })).toEqual([["snapshot.mode", expect.stringContaining("initial")]]);
  });
});
