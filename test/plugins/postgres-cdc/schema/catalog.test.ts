import { beforeAll, describe, expect, test } from "bun:test";
import { readCapturedTables, readTable, readTableByOid } from "../../../../plugins/postgres-cdc/schema/catalog.ts";
import { PgTypeRegistry } from "../../../../plugins/postgres-cdc/schema/pg-type-registry.ts";
import { splitRegexList, tableFilterFrom } from "../../../../plugins/postgres-cdc/schema/table-filter.ts";
import { ConfigError } from "../../../../src/index.ts";
import { useTestDatabase } from "./pg-test-database.ts";

const db = useTestDatabase("pgtypes_catalog");

beforeAll(async () => {
  await db.sql().unsafe(`CREATE TYPE "Mood" AS ENUM ('b', 'a')`);
  await db.sql().unsafe(`
    CREATE SCHEMA inventory;
    CREATE SCHEMA "Other";
    CREATE DOMAIN inventory.code AS varchar(8) NOT NULL;
    CREATE TABLE inventory.orders (id INT, line INT, note VARCHAR(20) DEFAULT 'x'::character varying, dropped TEXT,
      price NUMERIC(10,2) NOT NULL, mood "Mood", tags TEXT[], code inventory.code, at TIMESTAMPTZ(3),
      PRIMARY KEY (line, id));
    ALTER TABLE inventory.orders DROP COLUMN dropped;
    ALTER TABLE inventory.orders REPLICA IDENTITY FULL;
    CREATE TABLE inventory.customers (id SERIAL PRIMARY KEY, email TEXT, secret TEXT);
    CREATE TABLE inventory.audit (at TIMESTAMP);
    CREATE TABLE inventory.unique_only (a INT, b TEXT NOT NULL, c INT NOT NULL);
    CREATE UNIQUE INDEX a_expr ON inventory.unique_only (lower(b));
    CREATE UNIQUE INDEX b_cols ON inventory.unique_only (c, b);
    CREATE UNIQUE INDEX c_cols ON inventory.unique_only (a);
    CREATE TABLE "Other"."MixedCase" (k INT PRIMARY KEY);
    CREATE TABLE public.spatial_ref_sys (srid INT);
    CREATE VIEW inventory.order_view AS SELECT * FROM inventory.orders;
    CREATE TABLE public.parted (k INT, PRIMARY KEY (k)) PARTITION BY RANGE (k);
  `);
});

describe("readTable", () => {
  test("columns in attnum order without dropped ones, with type, modifier, nullability and default", async () => {
    const info = await readTable(db.sql(), { schema: "inventory", table: "orders" });
    expect(info?.replicaIdentity).toBe("f");
    expect(info?.primaryKey).toEqual(["line", "id"]);
    const mood = (await db.sql()`SELECT oid::int8 AS oid FROM pg_type WHERE typname = 'Mood'`)[0]?.oid;
    expect(
      info?.columns.map((c) => [c.name, c.position, c.typeName, c.typeModifier, c.nullable, c.defaultExpression]),
    ).toEqual([
      ["id", 1, "int4", -1, false, null],
      ["line", 2, "int4", -1, false, null],
      ["note", 3, "varchar", 24, true, "'x'::character varying"],
      ["price", 5, "numeric", (10 << 16) + 2 + 4, false, null],
      ["mood", 6, "Mood", -1, true, null],
      ["tags", 7, "_text", -1, true, null],
      // a NOT NULL domain makes its columns required, as pgjdbc reports them
      ["code", 8, "code", -1, false, null],
      ["at", 9, "timestamptz", 3, true, null],
    ]);
    expect(info?.columns.find((c) => c.name === "mood")?.typeOid).toBe(Number(mood));
    expect(info?.columns[0]?.typeOid).toBe(23);
  });

  test("a table without a primary key has an empty key and default replica identity", async () => {
    const info = await readTable(db.sql(), { schema: "inventory", table: "audit" });
    expect(info?.primaryKey).toEqual([]);
    expect(info?.replicaIdentity).toBe("d");
  });

  test("without a primary key the key is the first unique index of plain columns, as Debezium falls back to", async () => {
    const info = await readTable(db.sql(), { schema: "inventory", table: "unique_only" });
    expect(info?.primaryKey).toEqual(["c", "b"]);
  });

  test("by relation oid, as a Relation message names it; undefined for views and missing tables", async () => {
    const byName = await readTable(db.sql(), { schema: "Other", table: "MixedCase" });
    const byOid = await readTableByOid(db.sql(), byName?.relationId ?? 0);
    expect(byOid).toEqual(byName);
    expect(await readTable(db.sql(), { schema: "inventory", table: "order_view" })).toBeUndefined();
    expect(await readTable(db.sql(), { schema: "inventory", table: "nope" })).toBeUndefined();
    expect(await readTableByOid(db.sql(), 1)).toBeUndefined();
  });
});

describe("readCapturedTables", () => {
  const names = async (config: Record<string, string>) =>
    (await readCapturedTables(db.sql(), tableFilterFrom(config))).map((t) => `${t.schema}.${t.table}`);

  test("every user table (and partitioned table) by default, without system tables", async () => {
    expect(await names({})).toEqual([
      "Other.MixedCase",
      "inventory.audit",
      "inventory.customers",
      "inventory.orders",
      "inventory.unique_only",
      "public.parted",
    ]);
  });

  test("table.include.list regexes match the whole schema.table, case-insensitively", async () => {
    expect(await names({ "table.include.list": "inventory\\.order" })).toEqual([]);
    expect(await names({ "table.include.list": "inventory\\.orders,other\\.mixedcase" })).toEqual([
      "Other.MixedCase",
      "inventory.orders",
    ]);
    expect(await names({ "table.include.list": "inventory\\..*s" })).toEqual([
      "inventory.customers",
      "inventory.orders",
    ]);
  });

  test("an include list wins over its exclude list; schema and table lists combine", async () => {
    expect(await names({ "table.exclude.list": "inventory\\.audit, public\\..*" })).toEqual([
      "Other.MixedCase",
      "inventory.customers",
      "inventory.orders",
      "inventory.unique_only",
    ]);
    expect(
      await names({ "table.include.list": "inventory\\.audit", "table.exclude.list": "inventory\\.audit" }),
    ).toEqual(["inventory.audit"]);
    expect(await names({ "schema.include.list": "inventory", "table.exclude.list": ".*\\.orders" })).toEqual([
      "inventory.audit",
      "inventory.customers",
      "inventory.unique_only",
    ]);
    expect(await names({ "schema.exclude.list": "inventory,public" })).toEqual(["Other.MixedCase"]);
  });

  test("table.ignore.builtin=false lets system tables through", async () => {
    expect(await names({ "table.ignore.builtin": "false", "schema.include.list": "public" })).toEqual([
      "public.parted",
      "public.spatial_ref_sys",
    ]);
  });

  test("column include and exclude lists match schema.table.column", async () => {
    const [excluded] = await readCapturedTables(
      db.sql(),
      tableFilterFrom({
        "table.include.list": "inventory\\.customers",
        "column.exclude.list": "inventory\\.customers\\.secret",
      }),
    );
    expect(excluded?.columns.map((c) => c.name)).toEqual(["id", "email"]);
    const [included] = await readCapturedTables(
      db.sql(),
      tableFilterFrom({ "table.include.list": "inventory\\.customers", "column.include.list": ".*\\.(id|EMAIL)" }),
    );
    expect(included?.columns.map((c) => c.name)).toEqual(["id", "email"]);
  });

  test("an invalid regex is a ConfigError naming the key", () => {
    expect(() => tableFilterFrom({ "table.include.list": "inventory\\.(" })).toThrow(ConfigError);
    expect(() => tableFilterFrom({ "column.exclude.list": "a,[b" })).toThrow("column.exclude.list");
  });

  test("list items split on unescaped commas, trimmed, with \\, kept as a comma", () => {
    expect(splitRegexList(" a\\.b , c{1\\,2},,d ")).toEqual(["a\\.b", "c{1,2}", "d"]);
  });
});

describe("PgTypeRegistry", () => {
  test("resolves arrays to elements, domains to base types with their modifier, enums to sorted labels", async () => {
    const types = await PgTypeRegistry.read(db.sql());
    const text = types.get(25);
    expect(text?.name).toBe("text");
    expect(types.get(1009)).toMatchObject({ name: "_text", elementOid: 25 });
    const info = await readTable(db.sql(), { schema: "inventory", table: "orders" });
    const code = info?.columns.find((c) => c.name === "code");
    const root = types.root(code?.typeOid ?? 0, code?.typeModifier ?? -1);
    expect(root.type?.name).toBe("varchar");
    expect(root.typeModifier).toBe(12);
    const mood = info?.columns.find((c) => c.name === "mood");
    expect(types.get(mood?.typeOid ?? 0)?.enumLabels).toEqual(["b", "a"]);
    // point's typelem is float8, but it is not an array
    expect(types.get(600)?.elementOid).toBe(0);
  });

  test("a type created after the registry was read is resolved on demand", async () => {
    const types = await PgTypeRegistry.read(db.sql());
    await db.sql().unsafe("CREATE TYPE late AS ENUM ('x', 'y')");
    const oid = Number((await db.sql()`SELECT 'late'::regtype::oid::int8 AS oid`)[0]?.oid);
    const arrayOid = Number((await db.sql()`SELECT '_late'::regtype::oid::int8 AS oid`)[0]?.oid);
    expect(types.get(arrayOid)).toBeUndefined();
    const array = await types.resolve(db.sql(), arrayOid);
    expect(array?.elementOid).toBe(oid);
    expect(types.get(oid)?.enumLabels).toEqual(["x", "y"]);
    expect(await types.resolve(db.sql(), 4_000_000_000)).toBeUndefined();
  });
});
