import { describe, expect, test } from "bun:test";
import { DataError } from "../../../../../src/api/errors.ts";
import {
  readMessageIndexes,
  writeMessageIndexes,
} from "../../../../../src/data/converters/schema-registry/protobuf/message-indexes.ts";

describe("Confluent message indexes", () => {
  test("the first message is the single byte 0", () => {
    expect([...writeMessageIndexes([0])]).toEqual([0]);
    expect(readMessageIndexes(Uint8Array.of(0, 0x08, 0x01))).toEqual({ indexes: [0], offset: 1 });
  });

  test("an empty path is written as a count of zero, which reads as [0]", () => {
    expect([...writeMessageIndexes([])]).toEqual([0]);
  });

  test("other paths are a zig-zag count then zig-zag indexes", () => {
    expect([...writeMessageIndexes([1])]).toEqual([2, 2]);
    expect([...writeMessageIndexes([1, 2])]).toEqual([4, 2, 4]);
    expect([...writeMessageIndexes([0, 0])]).toEqual([4, 0, 0]);
    // 300 zig-zags to 600: 0xd8 0x04.
    expect([...writeMessageIndexes([300])]).toEqual([2, 0xd8, 0x04]);
  });

  test("reading gives the path and where the message starts", () => {
    for (const path of [[1], [1, 2], [0, 0], [300], [5, 0, 7]]) {
      const bytes = writeMessageIndexes(path);
      const body = new Uint8Array([...bytes, 0x08, 0x96, 0x01]);
      expect(readMessageIndexes(body)).toEqual({ indexes: path, offset: bytes.length });
    }
  });

  test("a body that ends inside the indexes is a DataError", () => {
    expect(() => readMessageIndexes(Uint8Array.of())).toThrow(DataError);
    expect(() => readMessageIndexes(Uint8Array.of(4, 2))).toThrow(DataError);
    expect(() => readMessageIndexes(Uint8Array.of(0x80, 0x80))).toThrow(DataError);
  });
});
