import avsc from "avsc";

/**
 * Avro's long as Connect's int64 is held: a JS number within ±(2^53-1), a bigint beyond. avsc's own long refuses
 * what a double cannot hold, so this one takes the raw zig-zag varint bytes (`noUnpack`) and does the arithmetic
 * itself: plain number arithmetic while exact (every safe integer: its zig-zag form stays below 2^54, even, and so
 * exact), bigint only for the rare larger values.
 */

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
// avsc copies what toBuffer returns into its own buffer at once, so one scratch buffer serves every write.
const scratch = Buffer.alloc(10);

function encode(value: number | bigint): Buffer {
  let n = 0;
  // An odd zig-zag value above 2^53 (a negative number below -2^52) is no double: those go the bigint way.
  if (typeof value === "number" && value > -(2 ** 52)) {
    let zigzag = value >= 0 ? value * 2 : -value * 2 - 1;
    while (zigzag >= 128) {
      scratch[n++] = (zigzag % 128) | 0x80;
      zigzag = Math.floor(zigzag / 128);
    }
    scratch[n++] = zigzag;
  } else {
    const big = BigInt(value);
    let zigzag = big >= 0n ? big << 1n : (-big << 1n) - 1n;
    while (zigzag >= 128n) {
      scratch[n++] = Number(zigzag & 0x7fn) | 0x80;
      zigzag >>= 7n;
    }
    scratch[n++] = Number(zigzag);
  }
  return scratch.subarray(0, n);
}

function decode(bytes: Buffer): number | bigint {
  // Up to 7 bytes hold 49 bits: exact as a double.
  if (bytes.length <= 7) {
    let zigzag = 0;
    let scale = 1;
    for (let i = 0; i < bytes.length; i++) {
      zigzag += ((bytes[i] as number) & 0x7f) * scale;
      scale *= 128;
    }
    return zigzag % 2 === 0 ? zigzag / 2 : -(zigzag + 1) / 2;
  }
  let zigzag = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) zigzag = (zigzag << 7n) | BigInt((bytes[i] as number) & 0x7f);
  const value = (zigzag & 1n) === 0n ? zigzag >> 1n : -((zigzag + 1n) >> 1n);
  return value >= -(2n ** 53n) + 1n && value <= 2n ** 53n - 1n ? Number(value) : BigInt.asIntN(64, value);
}

function isValid(value: unknown): boolean {
  if (typeof value === "number") return Number.isSafeInteger(value);
  return typeof value === "bigint" && value >= INT64_MIN && value <= INT64_MAX;
}

function fromJson(value: unknown): number | bigint {
  if (typeof value === "bigint") return Number.isSafeInteger(Number(value)) ? Number(value) : value;
  if (typeof value === "string") return fromJson(BigInt(value));
  return Math.trunc(Number(value));
}

/** The long type every Avro schema here is compiled with (`registry: { long: CONNECT_LONG }`). */
export const CONNECT_LONG: avsc.types.LongType = avsc.types.LongType.__with(
  {
    fromBuffer: decode,
    toBuffer: encode,
    fromJSON: fromJson,
    // avsc copies a long through toJSON and fromJSON (defaults): a bigint must come back as itself.
    toJSON: (value: number | bigint) => value,
    isValid,
    compare: (a: number | bigint, b: number | bigint) => (a < b ? -1 : a > b ? 1 : 0),
  },
  true,
);
