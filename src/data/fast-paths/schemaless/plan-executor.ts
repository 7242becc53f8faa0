import type { ByteWriter } from "../../byte-writer.ts";
import { castToInteger } from "./integer-cast.ts";
import type { JsonShapeScanner } from "./json-shape-scanner.ts";
import { DIRTY, LEAF_NUMBER, LEAF_STRING } from "./json-shape-scanner.ts";
import { LeafCodec } from "./leaf-values.ts";
import type { ShapePlan } from "./shape-plan.ts";
import { OP_BYTES, OP_CAST, OP_CAST_INTEGER, OP_CAST_STRING, OP_CHECK, OP_LEAF } from "./shape-plan.ts";

const TO_STRING = ["string"] as const;

/**
 * Runs a shape's plan for the record just scanned, writing its output after `writer.pos`. Copies are done by hand
 * with the buffer in a local (a subarray and a `set` per field would cost more than the bytes); the few values
 * that need the converter go through the LeafCodec. Throws what a cast throws.
 */
export function executePlan(
  plan: ShapePlan,
  b: Uint8Array,
  scanner: JsonShapeScanner,
  codec: LeafCodec,
  writer: ByteWriter,
): void {
  const { leafStart, leafEnd, leafKind } = scanner;
  const { ops, constants, castLists } = plan;
  let buffer = writer.buffer;
  let pos = writer.pos;
  for (let o = 0; o < ops.length; o += 3) {
    const op = ops[o] as number;
    const a = ops[o + 1] as number;
    let source: Uint8Array = b;
    let from: number;
    let to: number;
    let quoted = false;
    if (op === OP_BYTES) {
      source = constants;
      from = a;
      to = a + (ops[o + 2] as number);
    } else {
      const kind = leafKind[a] as number;
      from = leafStart[a] as number;
      to = leafEnd[a] as number;
      let written: Uint8Array | undefined;
      if (op === OP_LEAF) {
        if ((kind & DIRTY) !== 0) written = codec.rewrite(b, from, to, kind);
      } else if (op === OP_CAST_STRING) {
        // A clean string stays itself; a clean number's bytes are already how Cast's toText prints it.
        if (kind === LEAF_NUMBER) quoted = true;
        else if (kind !== LEAF_STRING) written = codec.write(codec.cast(b, from, to, kind, TO_STRING));
      } else if (op === OP_CAST_INTEGER) {
        const packed = ops[o + 2] as number;
        const value = castToInteger(b, from, to, kind, packed & 0xff);
        if (value === undefined) written = codec.write(codec.cast(b, from, to, kind, castLists[packed >> 8] ?? []));
        else {
          writer.pos = pos;
          writer.ascii(String(value));
          buffer = writer.buffer;
          pos = writer.pos;
          continue;
        }
      } else {
        const casts = castLists[ops[o + 2] as number] ?? [];
        if (op === OP_CHECK) {
          // Only whether the cast throws matters.
          if (!LeafCodec.castCannotFail(kind, casts)) codec.cast(b, from, to, kind, casts);
          continue;
        }
        if (op === OP_CAST) written = codec.write(codec.cast(b, from, to, kind, casts));
      }
      if (written !== undefined) {
        writer.pos = pos;
        writer.bytes(written);
        buffer = writer.buffer;
        pos = writer.pos;
        continue;
      }
    }
    const length = to - from + (quoted ? 2 : 0);
    if (pos + length > buffer.length) {
      writer.pos = pos;
      writer.room(length);
      buffer = writer.buffer;
      pos = writer.pos;
    }
    if (quoted) buffer[pos++] = 0x22;
    for (let i = from; i < to; i++) buffer[pos++] = source[i] as number;
    if (quoted) buffer[pos++] = 0x22;
  }
  writer.pos = pos;
}
