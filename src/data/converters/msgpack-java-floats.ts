import { addExtension } from "msgpackr";
import { Float32, Float64 } from "../../api/java-numbers.ts";
import { MessagePackScanError, skipValue } from "./msgpack-scan.ts";

/**
 * Schemaless Float32 and Float64 boxes (api/java-numbers.ts) in MessagePack, as plain MessagePack floats: a Float32
 * is written as a float 32 and a Float64 as a float 64, where msgpackr alone would write an integral number as an
 * integer. Reading schemaless data, a float 32 becomes a Float32 and an integral float 64 a Float64, so both survive
 * a round trip; a float 64 with a fraction is a plain number, as before.
 *
 * msgpackr can neither write an object as a bare float nor say which width of float it read, so:
 * - writing, an extension for each box class has `pack` write the float token itself into msgpackr's buffer (the
 *   `allocate` callback msgpackr's own typed-array writer uses), so no extension header reaches the wire;
 * - reading, a scan (with msgpack-scan.ts) finds the float tokens concerned outside map keys, and only when there
 *   are some is the value unpacked from a copy in which each is an extension (0x46 "F" for a Float64, 0x66 "f" for
 *   a Float32) that unpacks to a box. Those two extension types exist only in that copy: in any other data they are
 *   unknown, as they were.
 *
 * msgpackr keeps extensions in one table per process; registering these affects only the two box classes.
 */

const FLOAT64_EXTENSION = 0x46;
const FLOAT32_EXTENSION = 0x66;

type Allocate = (size: number) => { target: Uint8Array; targetView: DataView; position: number };

let registered = false;
/** Where the float tokens of the value being marked are; reused, as reading is synchronous. */
const floats: number[] = [];
/** Set while unpacking a marked copy; outside it the two extension types stay unknown. */
let unpackingMarked = false;

function unknownExtension(type: number): Error {
  return new Error(`Unknown extension type ${type}`);
}

export function registerJavaFloatExtensions(): void {
  if (registered) return;
  registered = true;
  const extensions = [
    {
      Class: Float64,
      type: FLOAT64_EXTENSION,
      pack(value: Float64, allocate: Allocate): undefined {
        const { target, targetView, position } = allocate(9);
        target[position] = 0xcb;
        targetView.setFloat64(position + 1, value.value);
      },
      unpack(data: Uint8Array): Float64 {
        if (!unpackingMarked || data.length !== 8) throw unknownExtension(FLOAT64_EXTENSION);
        return new Float64(new DataView(data.buffer, data.byteOffset, 8).getFloat64(0));
      },
    },
    {
      Class: Float32,
      type: FLOAT32_EXTENSION,
      pack(value: Float32, allocate: Allocate): undefined {
        const { target, targetView, position } = allocate(5);
        target[position] = 0xca;
        targetView.setFloat32(position + 1, value.value);
      },
      unpack(data: Uint8Array): Float32 {
        if (!unpackingMarked || data.length !== 4) throw unknownExtension(FLOAT32_EXTENSION);
        return new Float32(new DataView(data.buffer, data.byteOffset, 4).getFloat32(0));
      },
    },
  ];
  // msgpackr's typings know only the `pack` that returns the extension's data.
  for (const extension of extensions) addExtension(extension as unknown as Parameters<typeof addExtension>[0]);
}

/**
 * Whether the big-endian float64 at `at` is an integer, read from its bits (no DataView per value): a zero, or a
 * finite value whose fraction bits below the binary point are all zero.
 */
function integralFloat64At(bytes: Uint8Array, at: number): boolean {
  const biased = ((((bytes[at] as number) << 8) | (bytes[at + 1] as number)) >> 4) & 0x7ff;
  if (biased === 0x7ff) return false; // NaN, infinities
  // Mantissa bits below the binary point: 52 minus the exponent (all 52 for subnormals).
  let fraction = biased === 0 ? 52 : 1075 - biased;
  if (fraction <= 0) return true;
  if (biased !== 0 && fraction > 52) return false; // 0 < |x| < 1
  for (let i = at + 7; fraction > 0; i--, fraction -= 8) {
    const byte = bytes[i] as number;
    if ((fraction >= 8 ? byte : byte & ((1 << fraction) - 1)) !== 0) return false;
  }
  return true;
}

const u16 = (bytes: Uint8Array, at: number) => ((bytes[at] as number) << 8) | (bytes[at + 1] as number);
const u32 = (bytes: Uint8Array, at: number) => u16(bytes, at) * 0x10000 + u16(bytes, at + 2);

/**
 * Collects where the float 32s and integral float 64s of the value at `pos` are, and returns the offset after it.
 * Map keys are left alone: msgpackr turns a number key into its text, which a box must not change.
 */
function collectFloats(bytes: Uint8Array, pos: number, end: number): number {
  const token = bytes[pos] as number;
  let items = -1;
  let header = 1;
  let map = false;
  if (token >= 0x80 && token <= 0x8f) {
    items = token & 0x0f;
    map = true;
  } else if (token >= 0x90 && token <= 0x9f) items = token & 0x0f;
  else if (token === 0xdc || token === 0xde) {
    items = u16(bytes, pos + 1);
    header = 3;
    map = token === 0xde;
  } else if (token === 0xdd || token === 0xdf) {
    items = u32(bytes, pos + 1);
    header = 5;
    map = token === 0xdf;
  } else if (token === 0xca || token === 0xcb) {
    const next = pos + (token === 0xca ? 5 : 9);
    if (next > end) throw new MessagePackScanError("Unexpected end of MessagePack data");
    if (token === 0xca || integralFloat64At(bytes, pos + 1)) floats.push(pos);
    return next;
  } else return skipValue(bytes, pos, end);
  let at = pos + header;
  for (let i = 0; i < items; i++) {
    if (map) at = skipValue(bytes, at, end);
    if (at >= end) throw new MessagePackScanError("Unexpected end of MessagePack data");
    at = collectFloats(bytes, at, end);
  }
  return at;
}

/**
 * The value in `bytes[start, end)` with its float 32s and integral float 64s as the extensions above, or undefined
 * when it has none (or cannot be scanned: then msgpackr reads it, or says what is wrong).
 */
function markJavaFloats(bytes: Uint8Array, start: number, end: number): Uint8Array | undefined {
  floats.length = 0;
  try {
    if (start < end) collectFloats(bytes, start, end);
  } catch (error) {
    if (error instanceof MessagePackScanError) return undefined;
    throw error;
  }
  if (floats.length === 0) return undefined;
  // Each float token gains one byte: its type byte becomes fixext 4 / fixext 8 and the extension type.
  const marked = new Uint8Array(end - start + floats.length);
  let from = start;
  let to = 0;
  for (const at of floats) {
    marked.set(bytes.subarray(from, at), to);
    to += at - from;
    const single = bytes[at] === 0xca;
    marked[to++] = single ? 0xd6 : 0xd7;
    marked[to++] = single ? FLOAT32_EXTENSION : FLOAT64_EXTENSION;
    from = at + 1;
  }
  marked.set(bytes.subarray(from, end), to);
  return marked;
}

/** Unpacks a schemaless value with `unpack`, reading its float 32s and integral float 64s as boxes. */
export function unpackWithJavaFloats(
  bytes: Uint8Array,
  start: number,
  end: number,
  unpack: (bytes: Uint8Array, start: number, end: number) => unknown,
): unknown {
  const marked = markJavaFloats(bytes, start, end);
  if (marked === undefined) return unpack(bytes, start, end);
  unpackingMarked = true;
  try {
    return unpack(marked, 0, marked.length);
  } finally {
    unpackingMarked = false;
  }
}
