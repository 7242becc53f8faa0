/**
 * A pgoutput (protocol version 1) encoder for tests: the inverse of pgoutput-decoder.ts, written from PostgreSQL's
 * "Logical Replication Message Formats" and checked against hand-built bytes in pgoutput-decoder.test.ts.
 */
import { POSTGRES_EPOCH_MICROS } from "../../../../plugins/postgres-cdc/replication/pgoutput-decoder.ts";
import type { PgOutputMessage, TupleValue } from "../../../../plugins/postgres-cdc/replication/pgoutput-messages.ts";

class Writer {
  private readonly parts: number[] = [];

  byte(value: number): this {
    this.parts.push(value & 0xff);
    return this;
  }

  int16(value: number): this {
    return this.byte(value >> 8).byte(value);
  }

  int32(value: number): this {
    return this.byte(value >>> 24)
      .byte(value >>> 16)
      .byte(value >>> 8)
      .byte(value);
  }

  int64(value: bigint): this {
    const unsigned = BigInt.asUintN(64, value);
    return this.int32(Number(unsigned >> 32n)).int32(Number(unsigned & 0xffffffffn));
  }

  raw(bytes: Uint8Array): this {
    for (const b of bytes) this.parts.push(b);
    return this;
  }

  string(value: string): this {
    return this.raw(new TextEncoder().encode(value)).byte(0);
  }

  tuple(values: readonly TupleValue[]): this {
    this.int16(values.length);
    for (const value of values) {
      if (value === null) this.byte(0x6e);
      else if (value === undefined) this.byte(0x75);
      else {
        const bytes = new TextEncoder().encode(value);
        this.byte(0x74).int32(bytes.length).raw(bytes);
      }
    }
    return this;
  }

  done(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

const char = (c: string): number => c.charCodeAt(0);

export function encodePgOutput(m: PgOutputMessage): Uint8Array {
  const w = new Writer();
  switch (m.tag) {
    case "begin":
      return w
        .byte(char("B"))
        .int64(m.finalLsn)
        .int64(m.commitTimeMicros - POSTGRES_EPOCH_MICROS)
        .int32(m.xid)
        .done();
    case "commit":
      return w
        .byte(char("C"))
        .byte(0)
        .int64(m.commitLsn)
        .int64(m.endLsn)
        .int64(m.commitTimeMicros - POSTGRES_EPOCH_MICROS)
        .done();
    case "origin":
      return w.byte(char("O")).int64(m.originLsn).string(m.name).done();
    case "relation": {
      w.byte(char("R")).int32(m.relationId).string(m.namespace).string(m.name).byte(char(m.replicaIdentity));
      w.int16(m.columns.length);
      for (const c of m.columns)
        w.byte(c.isKey ? 1 : 0)
          .string(c.name)
          .int32(c.typeOid)
          .int32(c.typeModifier);
      return w.done();
    }
    case "type":
      return w.byte(char("Y")).int32(m.typeOid).string(m.namespace).string(m.name).done();
    case "insert":
      return w.byte(char("I")).int32(m.relationId).byte(char("N")).tuple(m.newTuple).done();
    case "update":
      w.byte(char("U")).int32(m.relationId);
      if (m.keyTuple) w.byte(char("K")).tuple(m.keyTuple);
      if (m.oldTuple) w.byte(char("O")).tuple(m.oldTuple);
      return w.byte(char("N")).tuple(m.newTuple).done();
    case "delete":
      w.byte(char("D")).int32(m.relationId);
      if (m.keyTuple) w.byte(char("K")).tuple(m.keyTuple);
      if (m.oldTuple) w.byte(char("O")).tuple(m.oldTuple);
      return w.done();
    case "truncate":
      w.byte(char("T"))
        .int32(m.relationIds.length)
        .byte((m.cascade ? 1 : 0) | (m.restartIdentity ? 2 : 0));
      for (const id of m.relationIds) w.int32(id);
      return w.done();
    case "message":
      return w
        .byte(char("M"))
        .byte(m.transactional ? 1 : 0)
        .int64(m.lsn)
        .string(m.prefix)
        .int32(m.content.length)
        .raw(m.content)
        .done();
  }
}
