import { describe, expect, test } from "bun:test";
import { ChangeRecords } from "../../../../plugins/postgres-cdc/events/change-records.ts";
import type { ColumnConverterFactory } from "../../../../plugins/postgres-cdc/events/column-converter.ts";
import { SourceInfoMaker } from "../../../../plugins/postgres-cdc/events/source-info.ts";
import { TableSchema } from "../../../../plugins/postgres-cdc/events/table-schema.ts";
import type { RelationMessage, WalMessage } from "../../../../plugins/postgres-cdc/replication/pgoutput-messages.ts";
import type { TableInfo } from "../../../../plugins/postgres-cdc/schema/table-info.ts";
import { ChangeStream, type ResumePoint } from "../../../../plugins/postgres-cdc/streaming/change-stream.ts";
import { type Schema, Schemas, type SourceRecord, type Struct } from "../../../../src/index.ts";

const INT4 = 23;
const TEXT = 25;

/** int4 and text only: these tests are about the stream's events, not the type mapping. */
const converters: ColumnConverterFactory = (_table, column) => {
  const schema: Schema =
    column.typeOid === INT4
      ? column.nullable
        ? Schemas.OPTIONAL_INT32
        : Schemas.INT32
      : column.nullable
        ? Schemas.OPTIONAL_STRING
        : Schemas.STRING;
  return { schema, fromText: column.typeOid === INT4 ? (text) => Number(text) : (text) => text };
};

const TABLE: TableInfo = {
  schema: "public",
  table: "items",
  relationId: 16384,
  columns: [
    {
      name: "id",
      position: 1,
      typeOid: INT4,
      typeName: "int4",
      typeModifier: -1,
      nullable: false,
      defaultExpression: null,
    },
    {
      name: "name",
      position: 2,
      typeOid: TEXT,
      typeName: "text",
      typeModifier: -1,
      nullable: false,
      defaultExpression: null,
    },
    {
      name: "note",
      position: 3,
      typeOid: TEXT,
      typeName: "text",
      typeModifier: -1,
      nullable: true,
      defaultExpression: null,
    },
  ],
  primaryKey: ["id"],
  replicaIdentity: "d",
};

const RELATION: RelationMessage = {
  tag: "relation",
  relationId: 16384,
  namespace: "public",
  name: "items",
  replicaIdentity: "d",
  columns: TABLE.columns.map((c) => ({ isKey: c.name === "id", name: c.name, typeOid: c.typeOid, typeModifier: -1 })),
};

function stream(resume: ResumePoint | null = null, captured = true): ChangeStream {
  const schema = new TableSchema(TABLE, "shop.public.items", converters, () => true);
  const records = new ChangeRecords({
    partition: { server: "shop" },
    sourceInfo: new SourceInfoMaker("shop", "inventory"),
    tombstonesOnDelete: true,
    clockMicros: () => 1_000_000n,
  });
  return new ChangeStream(records, { forRelation: async () => (captured ? schema : null) }, resume);
}

const begin = (xid: number, lsn: bigint): WalMessage => ({
  lsn,
  message: { tag: "begin", finalLsn: lsn + 100n, commitTimeMicros: 1_700_000_000_000_000n, xid },
});
const commit = (lsn: bigint): WalMessage => ({
  lsn,
  message: { tag: "commit", commitLsn: lsn - 8n, endLsn: lsn, commitTimeMicros: 1_700_000_000_000_000n },
});
const relation: WalMessage = { lsn: 10n, message: RELATION };
const insert = (lsn: bigint, id: number, name: string): WalMessage => ({
  lsn,
  message: { tag: "insert", relationId: 16384, newTuple: [String(id), name, null] },
});

async function decode(changes: ChangeStream, messages: WalMessage[]) {
  const out: SourceRecord[] = [];
  const commits: bigint[] = [];
  await changes.decode(messages, out, (lsn) => commits.push(lsn));
  return { out, commits };
}

const value = (record: SourceRecord) => record.value as Struct;

describe("pgoutput's messages become Debezium's change events", () => {
  test("an insert: key, after, source position, offset", async () => {
    const { out, commits } = await decode(stream(), [
      begin(700, 100n),
      relation,
      insert(120n, 1, "apple"),
      commit(200n),
    ]);
    expect(commits).toEqual([200n]);
    expect(out).toHaveLength(1);
    const record = out[0] as SourceRecord;
    expect(record.topic).toBe("shop.public.items");
    expect((record.key as Struct).get("id")).toBe(1);
    expect(value(record).get("op")).toBe("c");
    expect(value(record).get("before")).toBeNull();
    expect((value(record).get("after") as Struct).get("name")).toBe("apple");
    const source = value(record).get("source") as Struct;
    expect([source.get("txId"), source.get("lsn"), source.get("sequence"), source.get("snapshot")]).toEqual([
      700,
      120,
      '[null,"120"]',
      "false",
    ]);
    expect(source.get("ts_ms")).toBe(1_700_000_000_000);
    expect(record.sourceOffset).toEqual({
      lsn: 120,
      lsn_proc: 120,
      lsn_commit: null,
      txId: 700,
      ts_usec: 1_700_000_000_000_000,
      messageType: "INSERT",
    });
  });

  test("the next transaction's events carry the last commit's position", async () => {
    const { out } = await decode(stream(), [
      begin(1, 100n),
      relation,
      insert(120n, 1, "a"),
      commit(200n),
      begin(2, 210n),
      insert(220n, 2, "b"),
      commit(300n),
    ]);
    const second = out[1] as SourceRecord;
    expect((value(second).get("source") as Struct).get("sequence")).toBe('["200","220"]');
    expect(second.sourceOffset).toMatchObject({ lsn_commit: 200, txId: 2 });
  });

  test("a delete under the default replica identity: before has the key, required columns their fallback; then a tombstone", async () => {
    const { out } = await decode(stream(), [
      begin(3, 100n),
      relation,
      { lsn: 130n, message: { tag: "delete", relationId: 16384, keyTuple: ["5", null, null] } },
      commit(200n),
    ]);
    expect(out).toHaveLength(2);
    const before = value(out[0] as SourceRecord).get("before") as Struct;
    expect([before.get("id"), before.get("name"), before.get("note")]).toEqual([5, "", null]);
    expect(value(out[0] as SourceRecord).get("op")).toBe("d");
    expect(out[1]?.value).toBeNull();
    expect(out[1]?.valueSchema).toBeNull();
    expect(((out[1] as SourceRecord).key as Struct).get("id")).toBe(5);
  });

  test("an update that changes the key: delete of the old key, its tombstone, create of the new, each naming the other key", async () => {
    const { out } = await decode(stream(), [
      begin(4, 100n),
      relation,
      {
        lsn: 140n,
        message: { tag: "update", relationId: 16384, keyTuple: ["1", null, null], newTuple: ["2", "a", null] },
      },
      commit(200n),
    ]);
    expect(out.map((r) => (r.value === null ? "tombstone" : value(r).get("op")))).toEqual(["d", "tombstone", "c"]);
    expect(out[0]?.headers.map((h) => [h.key, (h.value as Struct).get("id")])).toEqual([["__debezium.newkey", 2]]);
    expect(out[2]?.headers.map((h) => [h.key, (h.value as Struct).get("id")])).toEqual([["__debezium.oldkey", 1]]);
  });

  test("an update keeping the key has no before (default identity); an unchanged TOASTed text is Debezium's placeholder", async () => {
    const { out } = await decode(stream(), [
      begin(5, 100n),
      relation,
      { lsn: 150n, message: { tag: "update", relationId: 16384, newTuple: ["1", undefined, "n"] } },
      commit(200n),
    ]);
    expect(out).toHaveLength(1);
    expect(value(out[0] as SourceRecord).get("before")).toBeNull();
    expect((value(out[0] as SourceRecord).get("after") as Struct).get("name")).toBe("__debezium_unavailable_value");
  });

  test("a truncate has no key", async () => {
    const { out } = await decode(stream(), [
      begin(6, 100n),
      relation,
      { lsn: 160n, message: { tag: "truncate", relationIds: [16384], cascade: false, restartIdentity: false } },
      commit(200n),
    ]);
    expect(out).toHaveLength(1);
    expect(out[0]?.key).toBeNull();
    expect(out[0]?.keySchema).toBeNull();
    expect(value(out[0] as SourceRecord).get("op")).toBe("t");
  });

  test("after a restart, the stored transaction's events up to lsn_proc are skipped, later ones and later transactions not", async () => {
    const { out } = await decode(stream({ txId: 9, lastProcessedLsn: 130n }), [
      begin(9, 100n),
      relation,
      insert(120n, 1, "a"),
      insert(130n, 2, "b"),
      insert(140n, 3, "c"),
      commit(200n),
      begin(10, 210n),
      insert(120n, 4, "d"), // another transaction may have lower positions: never skipped
      commit(300n),
    ]);
    expect(out.map((r) => (r.key as Struct).get("id"))).toEqual([3, 4]);
  });

  test("after the connection broke inside a transaction, its events read before are not written again", async () => {
    const changes = stream();
    const first = await decode(changes, [begin(11, 100n), relation, insert(120n, 1, "a"), insert(130n, 2, "b")]);
    changes.reconnected();
    const second = await decode(changes, [
      begin(11, 100n),
      relation,
      insert(120n, 1, "a"),
      insert(130n, 2, "b"),
      insert(140n, 3, "c"),
      commit(200n),
    ]);
    expect([...first.out, ...second.out].map((r) => (r.key as Struct).get("id"))).toEqual([1, 2, 3]);
  });

  test("tables the filters leave out give no events, but their commits still count", async () => {
    const { out, commits } = await decode(stream(null, false), [
      begin(1, 100n),
      relation,
      insert(120n, 1, "a"),
      commit(200n),
    ]);
    expect(out).toEqual([]);
    expect(commits).toEqual([200n]);
  });

  test("a change of a relation never described is an error naming it", async () => {
    await expect(decode(stream(), [begin(1, 100n), insert(120n, 1, "a")])).rejects.toThrow("relation 16384");
  });
});
