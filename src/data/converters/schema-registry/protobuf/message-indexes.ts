import { DataError } from "../../../../api/errors.ts";

/**
 * Confluent's message indexes: which message of a .proto file a body holds, as the path of indexes from the file's
 * top-level messages through nested ones. Written before the message as Kafka's zig-zag varints: the count, then
 * each index; the common path [0] (the file's first message) is the single byte 0, a count of zero.
 */

/** The bytes for a path of message indexes. */
export function writeMessageIndexes(indexes: readonly number[]): Uint8Array {
  if (indexes.length === 1 && indexes[0] === 0) return new Uint8Array([0]);
  const bytes: number[] = [];
  writeZigZag(bytes, indexes.length);
  for (const index of indexes) writeZigZag(bytes, index);
  return Uint8Array.from(bytes);
}

/** Reads the path at the start of a body: the indexes (a count of zero is [0]) and where the message starts. */
export function readMessageIndexes(body: Uint8Array): { indexes: number[]; offset: number } {
  const cursor = { offset: 0 };
  const count = readZigZag(body, cursor);
  if (count === 0) return { indexes: [0], offset: cursor.offset };
  if (count < 0 || count > body.length)
    throw new DataError(`Invalid Protobuf message indexes: a count of ${count} in a body of ${body.length} bytes`);
  const indexes: number[] = [];
  for (let i = 0; i < count; i++) indexes.push(readZigZag(body, cursor));
  return { indexes, offset: cursor.offset };
}

function writeZigZag(out: number[], value: number): void {
  let v = ((value << 1) ^ (value >> 31)) >>> 0;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
}

function readZigZag(body: Uint8Array, cursor: { offset: number }): number {
  let value = 0;
  for (let shift = 0; shift < 35; shift += 7) {
    const byte = body[cursor.offset++];
    if (byte === undefined) throw new DataError("Invalid Protobuf message indexes: the body ends inside a varint");
    value |= (byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return (value >>> 1) ^ -(value & 1);
  }
  throw new DataError("Invalid Protobuf message indexes: a varint longer than 5 bytes");
}
