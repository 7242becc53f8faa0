import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { formatLsn, INVALID_LSN, parseLsn } from "../../../../plugins/postgres-cdc/replication/lsn.ts";
import { DataError } from "../../../../src/index.ts";

describe("LSN text", () => {
  test("reads and writes PostgreSQL's form, upper-case without leading zeros", () => {
    expect(parseLsn("16/B374D848")).toBe(0x16_b374d848n);
    expect(parseLsn("0/1a")).toBe(0x1an);
    expect(formatLsn(0x16_b374d848n)).toBe("16/B374D848");
    expect(formatLsn(0n)).toBe("0/0");
    expect(formatLsn(2n ** 64n - 1n)).toBe("FFFFFFFF/FFFFFFFF");
  });

  test("text without a slash is the invalid LSN, as in Debezium", () => {
    expect(parseLsn("")).toBe(INVALID_LSN);
    expect(parseLsn("1234")).toBe(INVALID_LSN);
    expect(parseLsn("/12")).toBe(INVALID_LSN);
  });

  test("words that are not 32-bit hex are a DataError naming the text", () => {
    expect(() => parseLsn("G/1")).toThrow(DataError);
    expect(() => parseLsn("1/123456789")).toThrow("'1/123456789' is not a PostgreSQL LSN");
    expect(() => parseLsn("1/")).toThrow(DataError);
  });

  test("format then parse is the identity over 64 bits", () => {
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), (lsn) => parseLsn(formatLsn(lsn)) === lsn));
  });
});
