import { isDecimal, type Schema } from "../../src/index.ts";

/**
 * The order in which Java prints a map Kafka built as a `java.util.HashMap`. Kafka's FileStreamSinkTask prints
 * `String.valueOf(value)`, and the maps it is given are HashMaps: JsonConverter reads every JSON object (schemaless,
 * or a Connect map) into `new HashMap<>()`, one entry after another. Such a map iterates its table's buckets in index
 * order, and the keys of one bucket in the order they were put (a resize splits a bucket keeping that order), so
 * `{"b":1,"a":2}` prints as `{a=2, b=1}`.
 *
 * A bucket is `(h ^ (h >>> 16)) & (capacity - 1)` of the key's `hashCode()`; the table starts at 16 buckets and
 * doubles once it holds more than three quarters of them, or when a ninth key lands in one bucket of a table smaller
 * than 64. Beyond that (nine keys in one bucket of a larger table, which Java turns into a tree) the order followed
 * here is the order of insertion, as it is for keys whose Java hash cannot be known (bytes, lists, maps, structs).
 */

/** java.lang.String.hashCode over UTF-16 code units, in 32-bit arithmetic. */
export function javaStringHash(text: string): number {
  let hash = 0;
  for (let i = 0; i < text.length; i++) hash = (Math.imul(hash, 31) + text.charCodeAt(i)) | 0;
  return hash;
}

/** Long.hashCode: the two halves xor-ed. */
function longHash(value: bigint): number {
  const bits = BigInt.asUintN(64, value);
  return Number(BigInt.asIntN(32, bits ^ (bits >> 32n)));
}

const scratch = new DataView(new ArrayBuffer(8));

function doubleHash(value: number): number {
  // doubleToLongBits: every NaN is the canonical one.
  scratch.setFloat64(0, Number.isNaN(value) ? Number.NaN : value);
  return (scratch.getInt32(0) ^ scratch.getInt32(4)) | 0;
}

function floatHash(value: number): number {
  scratch.setFloat32(0, Number.isNaN(value) ? Number.NaN : value);
  return scratch.getInt32(0);
}

/** BigInteger.hashCode: 31-fold over the magnitude's big-endian 32-bit words, times the sign. */
function bigIntegerHash(value: bigint): number {
  let magnitude = value < 0n ? -value : value;
  const words: number[] = [];
  while (magnitude > 0n) {
    words.push(Number(magnitude & 0xffffffffn));
    magnitude >>= 32n;
  }
  let hash = 0;
  for (let i = words.length - 1; i >= 0; i--) hash = (Math.imul(hash, 31) + (words[i] as number)) | 0;
  return value < 0n ? -hash | 0 : hash;
}

/**
 * The `hashCode()` of the Java object a key stands for, by its schema when there is one (an int32 key is an
 * Integer, an int64 a Long, a float32 a Float) and otherwise by sluice's stand-ins (an integral number is a Long,
 * any other a Double); undefined where it cannot be known.
 */
export function javaHash(key: unknown, schema: Schema | null): number | undefined {
  switch (typeof key) {
    case "string":
      return javaStringHash(key);
    case "boolean":
      return key ? 1231 : 1237;
    case "bigint":
      return longHash(key);
    case "number":
      switch (schema?.type) {
        case "int8":
        case "int16":
        case "int32":
          return key | 0;
        case "float32":
          return floatHash(key);
        case "float64":
          return doubleHash(key);
        case "int64":
          return longHash(BigInt(Math.trunc(key)));
      }
      return numberHash(key);
  }
  if (key instanceof Date) return longHash(BigInt(key.getTime()));
  if (isDecimal(key)) return (Math.imul(31, bigIntegerHash(key.unscaled)) + key.scale) | 0;
  return undefined;
}

/** A schemaless number: a Long when integral (and within the long range), a Double otherwise. */
function numberHash(value: number): number {
  return Number.isSafeInteger(value) ? longHash(BigInt(value)) : doubleHash(value);
}

const TREEIFY_THRESHOLD = 8;
const MIN_TREEIFY_CAPACITY = 64;

// Reused from map to map (a sink prints many small ones): the keys' spread hashes, buckets, and bin counts.
let spread = new Int32Array(64);
let buckets = new Int32Array(64);
const counts = new Int32Array(MIN_TREEIFY_CAPACITY);

/**
 * The number of buckets Java's putVal leaves a `new HashMap<>()` with after `n` keys (spread hashes in `spread`):
 * 16, doubled whenever more than three quarters are taken, and when a ninth key lands in one bin of a table smaller
 * than 64 (treeifyBin resizes instead).
 */
function capacityFor(n: number): number {
  let capacity = 16;
  // Up to 8 keys fit 16 buckets, and no bin can reach nine.
  if (n <= 8) return capacity;
  counts.fill(0, 0, capacity);
  for (let i = 0; i < n && capacity < MIN_TREEIFY_CAPACITY; i++) {
    const bin = (spread[i] as number) & (capacity - 1);
    counts[bin] = (counts[bin] as number) + 1;
    if ((counts[bin] as number) > TREEIFY_THRESHOLD || i + 1 > capacity * 0.75) {
      capacity *= 2;
      counts.fill(0, 0, capacity);
      for (let k = 0; k <= i; k++) {
        const again = (spread[k] as number) & (capacity - 1);
        counts[again] = (counts[again] as number) + 1;
      }
    }
  }
  // From 64 buckets on, only the load doubles the table.
  while (n > capacity * 0.75) capacity *= 2;
  return capacity;
}

/**
 * Fills `order` with the positions of the `n` hashes from `offset` (keys' hashCodes, in the order they were put into
 * a `new HashMap<>()`) in the order the map iterates them: by bucket, in the order put within one. Keys are distinct.
 * Returns whether that order differs from the order put.
 */
export function hashMapOrderInto(hashes: ArrayLike<number>, offset: number, n: number, order: Int32Array): boolean {
  if (spread.length < n) {
    spread = new Int32Array(2 * n);
    buckets = new Int32Array(2 * n);
  }
  for (let i = 0; i < n; i++) {
    const h = hashes[offset + i] as number;
    spread[i] = h ^ (h >>> 16);
  }
  const mask = capacityFor(n) - 1;
  // An insertion sort (maps are small), stable: a key goes after every key of its bucket put before it.
  let moved = false;
  for (let i = 0; i < n; i++) {
    const bucket = (spread[i] as number) & mask;
    let at = i;
    while (at > 0 && (buckets[at - 1] as number) > bucket) {
      order[at] = order[at - 1] as number;
      buckets[at] = buckets[at - 1] as number;
      at--;
    }
    if (at !== i) moved = true;
    order[at] = i;
    buckets[at] = bucket;
  }
  return moved;
}

/** `hashMapOrderInto` as a new array. */
export function hashMapOrder(hashes: readonly number[]): number[] {
  const order = new Int32Array(hashes.length);
  hashMapOrderInto(hashes, 0, hashes.length, order);
  return Array.from(order);
}
