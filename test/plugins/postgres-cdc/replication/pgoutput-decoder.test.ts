import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { decodePgOutput } from "../../../../plugins/postgres-cdc/replication/pgoutput-decoder.ts";
import type { PgOutputMessage, TupleValue } from "../../../../plugins/postgres-cdc/replication/pgoutput-messages.ts";
import { DataError } from "../../../../src/index.ts";
import { encodePgOutput } from "./pgoutput-encoder.ts";

const bytes = (...parts: (number | string)[]): Uint8Array =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === "string" ? [...new TextEncoder().encode(p)] : [p])));

describe("decodePgOutput on bytes built by hand", () => {
  test("Begin: final LSN, commit time moved to the Unix epoch, xid", () => {
    // 2000-01-01T00:00:01Z is 1_000_000 µs after PostgreSQL's epoch.
    const m = decodePgOutput(
      bytes("B", 0, 0, 0, 0x16, 0xb3, 0x74, 0xd8, 0x48, 0, 0, 0, 0, 0, 0x0f, 0x42, 0x40, 0xff, 0xff, 0xff, 0xfe),
    );
    expect(m).toEqual({
      tag: "begin",
      finalLsn: 0x16_b374d848n,
      commitTimeMicros: 946_684_801_000_000n,
      xid: 4294967294,
    });
  });

  test("Commit: commit LSN, end LSN and a commit time before 2000 (negative in PostgreSQL's epoch)", () => {
    const m = decodePgOutput(
      bytes(
        "C",
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0x10,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0x20,
        0xff,
        0xff,
        0xff,
        0xff,
        0xff,
        0xff,
        0xff,
        0xff,
      ),
    );
    expect(m).toEqual({ tag: "commit", commitLsn: 0x10n, endLsn: 0x20n, commitTimeMicros: 946_684_799_999_999n });
  });

  test("Relation: namespace, name, replica identity and columns with key flags and type modifiers", () => {
    const m = decodePgOutput(
      bytes(
        "R",
        ...[0, 0, 0x40, 0x01],
        "public\0",
        "orders\0",
        "d",
        ...[0, 2],
        1,
        "id\0",
        ...[0, 0, 0, 23],
        ...[0xff, 0xff, 0xff, 0xff],
        0,
        "näme\0",
        ...[0, 0, 4, 0x13],
        ...[0, 0, 0, 14],
      ),
    );
    expect(m).toEqual({
      tag: "relation",
      relationId: 0x4001,
      namespace: "public",
      name: "orders",
      replicaIdentity: "d",
      columns: [
        { isKey: true, name: "id", typeOid: 23, typeModifier: -1 },
        { isKey: false, name: "näme", typeOid: 1043, typeModifier: 14 },
      ],
    });
  });

  test("Insert: text, null and unchanged-TOAST values", () => {
    const m = decodePgOutput(bytes("I", 0, 0, 0, 7, "N", 0, 3, "t", 0, 0, 0, 2, "42", "n", "u"));
    expect(m).toEqual({ tag: "insert", relationId: 7, newTuple: ["42", null, undefined] });
  });

  test("Update with the old row ('O') and Delete with the key ('K')", () => {
    expect(
      decodePgOutput(bytes("U", 0, 0, 0, 7, "O", 0, 1, "t", 0, 0, 0, 1, "a", "N", 0, 1, "t", 0, 0, 0, 1, "b")),
    ).toEqual({ tag: "update", relationId: 7, oldTuple: ["a"], newTuple: ["b"] });
    expect(decodePgOutput(bytes("D", 0, 0, 0, 7, "K", 0, 1, "t", 0, 0, 0, 0))).toEqual({
      tag: "delete",
      relationId: 7,
      keyTuple: [""],
    });
  });

  test("Truncate: relation ids and the CASCADE / RESTART IDENTITY options", () => {
    expect(decodePgOutput(bytes("T", 0, 0, 0, 2, 3, 0, 0, 0, 7, 0, 0, 0, 8))).toEqual({
      tag: "truncate",
      relationIds: [7, 8],
      cascade: true,
      restartIdentity: true,
    });
  });

  test("Message: transactional flag, LSN, prefix and raw content", () => {
    const m = decodePgOutput(bytes("M", 1, 0, 0, 0, 0, 0, 0, 0, 9, "pfx\0", 0, 0, 0, 2, 0xff, 0));
    expect(m).toMatchObject({ tag: "message", transactional: true, lsn: 9n, prefix: "pfx" });
    expect([...(m as { content: Uint8Array }).content]).toEqual([0xff, 0]);
  });

  test("Origin and Type", () => {
    expect(decodePgOutput(bytes("O", 0, 0, 0, 0, 0, 0, 0, 5, "node1\0"))).toEqual({
      tag: "origin",
      originLsn: 5n,
      name: "node1",
    });
    expect(decodePgOutput(bytes("Y", 0, 0, 0x40, 0, "public\0", "mood\0"))).toEqual({
      tag: "type",
      typeOid: 0x4000,
      namespace: "public",
      name: "mood",
    });
  });

  test("a message inside a larger buffer decodes from its own view", () => {
    const outer = bytes(0xaa, 0xbb, "I", 0, 0, 0, 1, "N", 0, 1, "n", 0xcc);
    expect(decodePgOutput(outer.subarray(2, outer.length - 1))).toEqual({
      tag: "insert",
      relationId: 1,
      newTuple: [null],
    });
  });
});

describe("decodePgOutput rejects what protocol version 1 does not send", () => {
  const cases: [string, Uint8Array, RegExp][] = [
    ["an unknown tag", bytes("Z", 0), /tag 'Z' \(90\)/],
    ["an empty message", bytes(), /an empty message/],
    ["a truncated Begin", bytes("B", 0, 0, 0), /pgoutput 'B' message of 4 bytes/],
    ["a string without its NUL", bytes("Y", 0, 0, 0, 1, "public"), /string runs past the end/],
    ["a binary value", bytes("I", 0, 0, 0, 1, "N", 0, 1, "b", 0, 0, 0, 0), /column 1 has the value kind 'b'/],
    ["a value longer than the message", bytes("I", 0, 0, 0, 1, "N", 0, 1, "t", 0, 0, 0, 9, "a"), /past the end/],
    ["an insert without 'N'", bytes("I", 0, 0, 0, 1, "X", 0, 0), /expected 'N', found 'X'/],
    ["trailing bytes", bytes("I", 0, 0, 0, 1, "N", 0, 0, 7), /1 bytes are left/],
    ["an unknown replica identity", bytes("R", 0, 0, 0, 1, "s\0", "t\0", "x", 0, 0), /replica identity 'x'/],
  ];
  for (const [name, input, message] of cases) {
    test(name, () => {
      expect(() => decodePgOutput(input)).toThrow(DataError);
      expect(() => decodePgOutput(input)).toThrow(message);
    });
  }
});

const lsn = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
const oid = fc.integer({ min: 0, max: 2 ** 32 - 1 });
const name = fc.string({ unit: "grapheme", maxLength: 20 }).filter((s) => !s.includes("\0"));
// Microseconds within PostgreSQL's timestamp range around both epochs.
const time = fc.bigInt({ min: -(2n ** 62n), max: 2n ** 62n });
const tuple = fc.array(
  fc.oneof(
    fc.string({ unit: "grapheme", maxLength: 30 }),
    fc.constant(null),
    fc.constant(undefined),
  ) as fc.Arbitrary<TupleValue>,
  { maxLength: 12 },
);

const messages: fc.Arbitrary<PgOutputMessage> = fc.oneof(
  fc.record({ tag: fc.constant("begin" as const), finalLsn: lsn, commitTimeMicros: time, xid: oid }),
  fc.record({ tag: fc.constant("commit" as const), commitLsn: lsn, endLsn: lsn, commitTimeMicros: time }),
  fc.record({ tag: fc.constant("origin" as const), originLsn: lsn, name }),
  fc.record({
    tag: fc.constant("relation" as const),
    relationId: oid,
    namespace: name,
    name,
    replicaIdentity: fc.constantFrom("d" as const, "n" as const, "f" as const, "i" as const),
    columns: fc.array(
      fc.record({
        isKey: fc.boolean(),
        name,
        typeOid: oid,
        typeModifier: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
      }),
      { maxLength: 8 },
    ),
  }),
  fc.record({ tag: fc.constant("type" as const), typeOid: oid, namespace: name, name }),
  fc.record({ tag: fc.constant("insert" as const), relationId: oid, newTuple: tuple }),
  fc.record({ tag: fc.constant("update" as const), relationId: oid, newTuple: tuple }),
  fc.record({ tag: fc.constant("update" as const), relationId: oid, keyTuple: tuple, newTuple: tuple }),
  fc.record({ tag: fc.constant("update" as const), relationId: oid, oldTuple: tuple, newTuple: tuple }),
  fc.record({ tag: fc.constant("delete" as const), relationId: oid, keyTuple: tuple }),
  fc.record({ tag: fc.constant("delete" as const), relationId: oid, oldTuple: tuple }),
  fc.record({
    tag: fc.constant("truncate" as const),
    relationIds: fc.array(oid, { maxLength: 5 }),
    cascade: fc.boolean(),
    restartIdentity: fc.boolean(),
  }),
  fc.record({
    tag: fc.constant("message" as const),
    transactional: fc.boolean(),
    lsn,
    prefix: name,
    content: fc.uint8Array({ maxLength: 40 }),
  }),
);

describe("decodePgOutput round-trips the test encoder", () => {
  test("every message kind, with random field values", () => {
    fc.assert(
      fc.property(messages, (m) => {
        expect(decodePgOutput(encodePgOutput(m))).toEqual(m);
      }),
      { numRuns: 2000 },
    );
  });
});
