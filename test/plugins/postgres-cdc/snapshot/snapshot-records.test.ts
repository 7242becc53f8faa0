import { describe, expect, test } from "bun:test";
import { ChangeRecords } from "../../../../plugins/postgres-cdc/events/change-records.ts";
import { SourceInfoMaker } from "../../../../plugins/postgres-cdc/events/source-info.ts";
import { TableSchema } from "../../../../plugins/postgres-cdc/events/table-schema.ts";
import type { TableInfo } from "../../../../plugins/postgres-cdc/schema/table-info.ts";
import { SnapshotRecords } from "../../../../plugins/postgres-cdc/snapshot/snapshot-records.ts";
import { Schemas, type SourceRecord, type Struct } from "../../../../src/index.ts";

const table = (name: string): TableSchema => {
  const info: TableInfo = {
    schema: "public",
    table: name,
    relationId: 1,
    columns: [
      {
        name: "id",
        position: 1,
        typeOid: 25,
        typeName: "text",
        typeModifier: -1,
        nullable: false,
        defaultExpression: null,
      },
    ],
    primaryKey: ["id"],
    replicaIdentity: "d",
  };
  return new TableSchema(
    info,
    `db.public.${name}`,
    () => ({ schema: Schemas.STRING, fromText: (t) => t }),
    () => true,
  );
};

/** Runs tables of the given row counts (each read in one fetch) and lists each record's marker. */
function markers(...counts: number[]): string[] {
  const records = new ChangeRecords({
    partition: { server: "db" },
    sourceInfo: new SourceInfoMaker("db", "d"),
    tombstonesOnDelete: true,
  });
  const snapshot = new SnapshotRecords(records, { consistentPoint: 900n, txId: 42, startedMicros: 5_000_000n });
  const out: SourceRecord[] = [];
  counts.forEach((count, t) => {
    snapshot.beginTable();
    const schema = table(`t${t}`);
    snapshot.rows(
      schema,
      Array.from({ length: count }, (_, i) => [`r${i}`]),
      out,
    );
    snapshot.endTable();
  });
  snapshot.end(out);
  return out.map((r) => ((r.value as Struct).get("source") as Struct).get("snapshot") as string);
}

describe("snapshot markers as Debezium's SnapshotMarkerResolver gives them", () => {
  test("first, per-table first and last, last", () => {
    expect(markers(3, 3)).toEqual([
      "first",
      "true",
      "last_in_data_collection",
      "first_in_data_collection",
      "true",
      "last",
    ]);
  });

  test("a one-row first table is 'first'; a one-row last table is 'last'", () => {
    expect(markers(1, 1)).toEqual(["first", "last"]);
  });

  test("the last row read is 'last' even when the tables after it are empty; an empty first table gives no 'first'", () => {
    expect(markers(0, 2, 0)).toEqual(["first_in_data_collection", "last"]);
  });

  test("read events: op r, the consistent point, the snapshot's transaction, snapshot offsets", () => {
    const records = new ChangeRecords({
      partition: { server: "db" },
      sourceInfo: new SourceInfoMaker("db", "d"),
      tombstonesOnDelete: true,
    });
    const snapshot = new SnapshotRecords(records, { consistentPoint: 900n, txId: 42, startedMicros: 5_000_000n });
    const out: SourceRecord[] = [];
    snapshot.beginTable();
    snapshot.rows(table("t"), [["a"], ["b"]], out);
    snapshot.endTable();
    snapshot.end(out);
    const value = out[1]?.value as Struct;
    expect(value.get("op")).toBe("r");
    const source = value.get("source") as Struct;
    expect([source.get("lsn"), source.get("txId"), source.get("sequence"), source.get("ts_ms")]).toEqual([
      900,
      42,
      '[null,"900"]',
      5000,
    ]);
    expect(out[0]?.sourceOffset).toMatchObject({
      lsn: 900,
      snapshot: "INITIAL",
      last_snapshot_record: false,
      snapshot_completed: false,
    });
    expect(out[1]?.sourceOffset).toMatchObject({ last_snapshot_record: true, snapshot_completed: true });
  });
});
