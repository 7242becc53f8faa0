import type { SchemaType } from "../../../api/schema.ts";
import { JsonConverter } from "../../converters/json-converter.ts";
import { castValue } from "../../transforms/cast-values.ts";
import { KIND_MASK, LEAF_ARRAY, LEAF_NUMBER, LEAF_STRING } from "./json-shape-scanner.ts";

/**
 * The slow half of the fast path, for the few leaves that cannot be copied: their value as JsonConverter reads it,
 * through Cast's own `castValue`, written by JsonConverter again. The converter is the connector's (same class,
 * same settings), given the leaf's bytes alone: a JSON value reads the same on its own as inside its record, so
 * whatever the converter makes of numbers, strings and arrays, the fast path makes the same.
 */

const NULL_TEXT = new Uint8Array([0x6e, 0x75, 0x6c, 0x6c]);
const decoder = new TextDecoder("utf-8", { fatal: true });

/** The text of `b[start, end)` when it is short ASCII (cheaper than a subarray and a decode), else undefined. */
function shortAscii(b: Uint8Array, start: number, end: number): string | undefined {
  if (end - start > 32) return undefined;
  let text = "";
  for (let i = start; i < end; i++) {
    const c = b[i] as number;
    if (c >= 0x80) return undefined;
    text += String.fromCharCode(c);
  }
  return text;
}

export class LeafCodec {
  private readonly converter = new JsonConverter();

  /** `props`: the value converter's settings (`schemas.enable=false` among them). */
  constructor(props: Readonly<Record<string, string>>) {
    this.converter.configure(props, false);
  }

  /** A leaf's value as the converter reads it; clean strings and numbers without asking it. */
  value(b: Uint8Array, start: number, end: number, kind: number): unknown {
    if (kind === LEAF_STRING)
      return shortAscii(b, start + 1, end - 1) ?? decoder.decode(b.subarray(start + 1, end - 1));
    // A clean number is an integer or a plain fraction that JSON.parse reads exactly as the converter does.
    if (kind === LEAF_NUMBER) return Number(shortAscii(b, start, end) ?? decoder.decode(b.subarray(start, end)));
    return this.converter.toConnectData("", [], b.subarray(start, end)).value;
  }

  /** The converter's bytes for a schemaless value. */
  write(value: unknown): Uint8Array {
    return this.converter.fromConnectData("", [], null, value) ?? NULL_TEXT;
  }

  /** The converter's bytes for a DIRTY leaf. */
  rewrite(b: Uint8Array, start: number, end: number, kind: number): Uint8Array {
    return this.write(this.value(b, start, end, kind));
  }

  /** A leaf through Cast's conversions, in order; throws what Cast throws. */
  cast(b: Uint8Array, start: number, end: number, kind: number, casts: readonly SchemaType[]): unknown {
    let value = this.value(b, start, end, kind);
    for (const target of casts) value = castValue(null, value, target);
    return value;
  }

  /** Whether a single cast of this leaf cannot fail: Cast converts every number, boolean and null. */
  static castCannotFail(kind: number, casts: readonly SchemaType[]): boolean {
    const base = kind & KIND_MASK;
    return casts.length === 1 && base !== LEAF_STRING && base !== LEAF_ARRAY;
  }
}
