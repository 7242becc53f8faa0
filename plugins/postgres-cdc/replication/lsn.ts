/**
 * WAL positions in PostgreSQL's text form `XXXXXXXX/XXXXXXXX` (the high and low 32 bits in hex), as Debezium's Lsn
 * reads and writes them: text without a slash (or with nothing before it) is the invalid LSN 0/0.
 */
import { DataError } from "../../../src/index.ts";
import type { Lsn } from "./pgoutput-messages.ts";

/** PostgreSQL's InvalidXLogRecPtr, which Debezium calls INVALID_LSN. */
export const INVALID_LSN: Lsn = 0n;

const HEX_WORD = /^[0-9a-fA-F]{1,8}$/;

/** Reads `16/B374D848`; text without a slash gives INVALID_LSN, as Debezium's Lsn.valueOf(String). */
export function parseLsn(text: string): Lsn {
  const slash = text.lastIndexOf("/");
  if (slash <= 0) return INVALID_LSN;
  const high = text.slice(0, slash);
  const low = text.slice(slash + 1);
  if (!HEX_WORD.test(high) || !HEX_WORD.test(low)) {
    throw new DataError(
      `'${text}' is not a PostgreSQL LSN: expected two hexadecimal words of 32 bits, as '16/B374D848'`,
    );
  }
  return (BigInt(`0x${high}`) << 32n) | BigInt(`0x${low}`);
}

/** Writes an LSN as PostgreSQL and Debezium do: upper-case hex without leading zeros, `16/B374D848`. */
export function formatLsn(lsn: Lsn): string {
  const high = (lsn >> 32n) & 0xffffffffn;
  const low = lsn & 0xffffffffn;
  return `${high.toString(16).toUpperCase()}/${low.toString(16).toUpperCase()}`;
}
