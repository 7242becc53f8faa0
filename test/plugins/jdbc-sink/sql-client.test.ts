import { describe, expect, test } from "bun:test";
import { parseConnectionUrl } from "../../../plugins/jdbc-sink/connection-url.ts";
import { bunClient, porsagerClient, refusalOf } from "../../../plugins/jdbc-sink/sql-client.ts";
import { POSTGRES_URL, usePostgres } from "../../harness.ts";

usePostgres();

const options = () => parseConnectionUrl(POSTGRES_URL, "postgres", null);

// Both clients are held to the contract the sink relies on: text parameters cast in SQL, a transaction that commits
// or rolls back, and PostgreSQL's message and SQLSTATE on a refusal.
for (const [name, open] of [
  ["Bun.sql", bunClient],
  ["postgres (porsager)", porsagerClient],
] as const) {
  describe(`${name} behind the sink's client interface`, () => {
    test("binds text parameters (null too) and casts them, json included, without re-encoding", async () => {
      const client = open(options());
      const rows = await client.query(
        "SELECT $1::text::integer AS i, $2::text::json AS j, $3::text::bytea AS b, $4::text::integer AS n",
        ["42", '{"a":1}', "\\x01ff", null],
      );
      await client.close();
      expect(rows).toHaveLength(1);
      expect(rows[0]?.i).toBe(42);
      expect(rows[0]?.j).toEqual({ a: 1 });
      expect(Array.from(rows[0]?.b as Uint8Array)).toEqual([1, 255]);
      expect(rows[0]?.n).toBeNull();
    });

    test("commits a transaction that resolves and rolls back one that throws", async () => {
      const client = open(options());
      const table = `sql_client_${name.replace(/\W/g, "")}_${process.pid}`;
      await client.query(`CREATE TABLE ${table} (id integer)`);
      await client.transaction((tx) => tx.query(`INSERT INTO ${table} VALUES (1)`));
      const failed = await client
        .transaction(async (tx) => {
          await tx.query(`INSERT INTO ${table} VALUES (2)`);
          await tx.query("SELECT $1::text::integer", ["nope"]);
        })
        .then(
          () => null,
          (e: unknown) => e,
        );
      const rows = await client.query(`SELECT id FROM ${table} ORDER BY id`);
      await client.query(`DROP TABLE ${table}`);
      await client.close();
      expect(rows).toEqual([{ id: 1 }]);
      expect(refusalOf(failed)).toEqual({
        message: 'invalid input syntax for type integer: "nope"',
        sqlState: "22P02",
      });
    });
  });
}

test("an error that is not PostgreSQL's is no refusal", () => {
  expect(refusalOf(new Error("connection reset"))).toBeNull();
  expect(refusalOf("text")).toBeNull();
});
