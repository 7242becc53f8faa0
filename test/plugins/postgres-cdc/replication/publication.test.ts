import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { ensurePublication } from "../../../../plugins/postgres-cdc/replication/publication.ts";
import { ConfigError } from "../../../../src/index.ts";
import { usePostgres } from "../../../harness.ts";
import { createTestDatabase, type TestDatabase } from "./replication-fixtures.ts";

usePostgres();

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase("publication");
  await db.sql.unsafe(`CREATE SCHEMA "Sales"; CREATE TABLE "Sales"."Order Lines" (id int PRIMARY KEY);
    CREATE TABLE public.customers (id int PRIMARY KEY); CREATE TABLE public.notes (id int PRIMARY KEY)`);
}, 30_000);
afterAll(async () => {
  await db?.drop();
}, 30_000);

async function publication(name: string): Promise<{ all: boolean; tables: string[] } | null> {
  const [row] = await db.sql`SELECT puballtables FROM pg_publication WHERE pubname = ${name}`;
  if (row === undefined) return null;
  const tables = await db.sql`
    SELECT schemaname || '.' || tablename AS t FROM pg_publication_tables WHERE pubname = ${name} ORDER BY 1`;
  return { all: row.puballtables, tables: tables.map((r) => r.t) };
}

describe("ensurePublication per publication.autocreate.mode", () => {
  test("all_tables creates it FOR ALL TABLES once, then uses it as it is", async () => {
    const name = `${db.publicationName()}_All "Quoted"`;
    expect(await ensurePublication(db.sql, { name, mode: "all_tables" })).toBe("created");
    expect((await publication(name))?.all).toBe(true);
    expect(await ensurePublication(db.sql, { name, mode: "all_tables" })).toBe("existing");
  });

  test("disabled uses an existing publication whatever its tables", async () => {
    const name = db.publicationName();
    await db.sql.unsafe(`CREATE PUBLICATION "${name}" FOR TABLE public.notes`);
    expect(await ensurePublication(db.sql, { name, mode: "disabled" })).toBe("existing");
    expect((await publication(name))?.tables).toEqual(["public.notes"]);
  });

  test("filtered creates it FOR the included tables, quoting names, and SETs the tables when they change", async () => {
    const name = db.publicationName();
    const tables = [
      { schema: "Sales", table: "Order Lines" },
      { schema: "public", table: "customers" },
    ];
    expect(await ensurePublication(db.sql, { name, mode: "filtered", tables })).toBe("created");
    expect(await publication(name)).toEqual({ all: false, tables: ["Sales.Order Lines", "public.customers"] });
    expect(await ensurePublication(db.sql, { name, mode: "filtered", tables: [...tables].reverse() })).toBe("existing");
    const changed = [{ schema: "public", table: "notes" }, tables[1] as (typeof tables)[number]];
    expect(await ensurePublication(db.sql, { name, mode: "filtered", tables: changed })).toBe("altered");
    expect((await publication(name))?.tables).toEqual(["public.customers", "public.notes"]);
  });

  test("filtered refuses a publication FOR ALL TABLES and an empty table list", async () => {
    const all = db.publicationName();
    await ensurePublication(db.sql, { name: all, mode: "all_tables" });
    const narrowing = ensurePublication(db.sql, {
      name: all,
      mode: "filtered",
      tables: [{ schema: "public", table: "notes" }],
    });
    await expect(narrowing).rejects.toBeInstanceOf(ConfigError);
    await expect(narrowing).rejects.toThrow(`A logical publication for all tables named '${all}' is already active`);
    const none = db.publicationName();
    await expect(ensurePublication(db.sql, { name: none, mode: "filtered", tables: [] })).rejects.toThrow(
      `No table filters found for filtered publication ${none}`,
    );
    expect(await publication(none)).toBeNull();
  });

  test("a table PostgreSQL cannot publish: a ConnectError naming the publication and the statement", async () => {
    const name = db.publicationName();
    const creating = ensurePublication(db.sql, {
      name,
      mode: "filtered",
      tables: [{ schema: "public", table: "gone" }],
    });
    await expect(creating).rejects.toThrow(
      `Unable to create or update the publication '${name}' with CREATE PUBLICATION "${name}" FOR TABLE "public"."gone"`,
    );
    await expect(creating).rejects.toThrow(/relation "public.gone" does not exist/);
  });

  test("no_tables creates it with no tables", async () => {
    const name = db.publicationName();
    expect(await ensurePublication(db.sql, { name, mode: "no_tables" })).toBe("created");
    expect(await publication(name)).toEqual({ all: false, tables: [] });
  });

  test("publishViaPartitionRoot goes into the WITH clause", async () => {
    const name = db.publicationName();
    await ensurePublication(db.sql, { name, mode: "all_tables", publishViaPartitionRoot: true });
    const [row] = await db.sql`SELECT pubviaroot FROM pg_publication WHERE pubname = ${name}`;
    expect(row?.pubviaroot).toBe(true);
  });
});
