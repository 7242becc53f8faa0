import avsc from "avsc";

/**
 * Avro's long as Connect's int64 is held: a JS number within ±(2^53-1), a bigint beyond. avsc's own long refuses
 * what a double cannot hold, and its `LongType.__with` escape hatch costs a Buffer per value (measured: reading a
 * 10-field record went from 25 to 70 ms per 1e5), so this subclass keeps avsc's fast varint code for the common case
 * and does exact bigint arithmetic only where a double would not be exact: on reading, varints of 8 bytes or more
 * (zig-zag values of 49 bits and up); on writing, bigints and numbers below -2^52 (whose odd zig-zag form is above
 * 2^53, where doubles skip odd integers).
 */

interface Tap {
  buf: Uint8Array;
  pos: number;
  readLong(): number;
  writeLong(value: number): void;
  skipLong(): void;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const SAFE_MIN = -(2n ** 53n) + 1n;
const SAFE_MAX = 2n ** 53n - 1n;

function isValid(value: unknown): boolean {
  if (typeof value === "number") return Number.isSafeInteger(value);
  return typeof value === "bigint" && value >= INT64_MIN && value <= INT64_MAX;
}

function readExact(bytes: Uint8Array, start: number, end: number): number | bigint {
  let zigzag = 0n;
  for (let i = end - 1; i >= start; i--) zigzag = (zigzag << 7n) | BigInt((bytes[i] as number) & 0x7f);
  const value = BigInt.asIntN(64, (zigzag & 1n) === 0n ? zigzag >> 1n : -((zigzag + 1n) >> 1n));
  return value >= SAFE_MIN && value <= SAFE_MAX ? Number(value) : value;
}

function writeExact(tap: Tap, value: bigint): void {
  let zigzag = BigInt.asUintN(64, value >= 0n ? value << 1n : (-value << 1n) - 1n);
  // Past the buffer's end the bytes are dropped and avsc writes again into a larger buffer (it checks `pos`).
  while (zigzag >= 128n) {
    tap.buf[tap.pos++] = Number(zigzag & 0x7fn) | 0x80;
    zigzag >>= 7n;
  }
  tap.buf[tap.pos++] = Number(zigzag);
}

function fromJson(value: unknown): number | bigint {
  if (typeof value === "bigint") return value >= SAFE_MIN && value <= SAFE_MAX ? Number(value) : value;
  if (typeof value === "string") return fromJson(BigInt(value));
  return Math.trunc(Number(value));
}

const BaseLong = avsc.types.LongType as unknown as new () => avsc.Type;

class ConnectLongType extends BaseLong {
  _check(value: unknown, _flags: unknown, hook?: (value: unknown, type: avsc.Type) => void): boolean {
    const valid = isValid(value);
    if (!valid && hook) hook(value, this);
    return valid;
  }

  _read(tap: Tap): number | bigint {
    const start = tap.pos;
    const value = tap.readLong();
    // Up to 7 bytes (49 bits) avsc's double arithmetic is exact.
    return tap.pos - start < 8 ? value : readExact(tap.buf, start, tap.pos);
  }

  _write(tap: Tap, value: unknown): void {
    if (typeof value === "number" && value > -(2 ** 52) && Number.isSafeInteger(value)) tap.writeLong(value);
    else if (isValid(value)) writeExact(tap, BigInt(value as number | bigint));
    else throw new Error(`invalid "long": ${String(value)}`);
  }

  _copy(value: unknown): number | bigint {
    return fromJson(value);
  }
}

/** The long type every Avro schema here is compiled with (avsc's `typeHook`). */
export const CONNECT_LONG: avsc.Type = new ConnectLongType();
