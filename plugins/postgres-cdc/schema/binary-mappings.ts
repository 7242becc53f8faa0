import { DataError, SchemaBuilder } from "../../../src/index.ts";
import type { TypeMappingOptions } from "./type-mapping-options.ts";
import type { ColumnShape, ValueMapping } from "./value-mapping.ts";

/** bytea, bit and varbit, and unknown types' text, as Debezium's binary.handling.mode and Bits represent them. */

const HEX_PAIRS: readonly string[] = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, "0"));
const ENCODER = new TextEncoder();

function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  if (code >= 65 && code <= 70) return code - 55;
  return -1;
}

/** bytea's hex output (`\x0102ff`, bytea_output = hex, PostgreSQL's default) to its bytes. */
export function byteaBytes(text: string, column: string): Uint8Array {
  if (!text.startsWith("\\x") || text.length % 2 !== 0)
    throw new DataError(`Cannot read bytea value of column ${column}: expected hex output (bytea_output = hex)`);
  const bytes = new Uint8Array((text.length - 2) / 2);
  for (let i = 0; i < bytes.length; i++) {
    const high = hexValue(text.charCodeAt(2 + 2 * i));
    const low = hexValue(text.charCodeAt(3 + 2 * i));
    if (high < 0 || low < 0) throw new DataError(`Cannot read bytea value of column ${column}: not hex`);
    bytes[i] = (high << 4) | low;
  }
  return bytes;
}

function hex(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes) out += HEX_PAIRS[b];
  return out;
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}

/** Java's Base64.getUrlEncoder(): the URL-safe alphabet, with padding (Node's "base64url" drops it). */
function base64UrlSafe(bytes: Uint8Array): string {
  return base64(bytes).replaceAll("+", "-").replaceAll("/", "_");
}

/** The schema and encoding of bytes under binary.handling.mode. */
export function binaryEncoding(options: TypeMappingOptions): ValueMapping & { encode: (b: Uint8Array) => unknown } {
  switch (options.binaryHandlingMode) {
    case "base64":
      return { schema: () => new SchemaBuilder("string"), converter: () => (t) => t, encode: base64 };
    case "base64-url-safe":
      return { schema: () => new SchemaBuilder("string"), converter: () => (t) => t, encode: base64UrlSafe };
    case "hex":
      return { schema: () => new SchemaBuilder("string"), converter: () => (t) => t, encode: hex };
    default:
      return { schema: () => new SchemaBuilder("bytes"), converter: () => (t) => t, encode: (b) => b };
  }
}

export function byteaMapping(shape: ColumnShape, options: TypeMappingOptions): ValueMapping {
  const { schema, encode } = binaryEncoding(options);
  return { schema, converter: () => (text) => encode(byteaBytes(text, shape.name)), binary: true };
}

/**
 * A type without a mapping under include.unknown.datatypes: Debezium passes its text on as UTF-8 bytes, in
 * binary.handling.mode. `reformat` rewrites text the way pgjdbc's own object for the type prints it.
 */
export function unknownMapping(options: TypeMappingOptions, reformat?: (text: string) => string): ValueMapping {
  const { schema, encode } = binaryEncoding(options);
  return {
    schema,
    converter: () =>
      reformat ? (text) => encode(ENCODER.encode(reformat(text))) : (text) => encode(ENCODER.encode(text)),
    binary: true,
  };
}

/**
 * bit(n) and varbit(n): a boolean for one bit, else io.debezium.data.Bits: the bits as a little-endian bit set
 * (the last character is bit 0), as few bytes as the highest set bit needs (Java's BitSet.toByteArray).
 */
export function bitsMapping(shape: ColumnShape): ValueMapping {
  if (shape.length <= 1)
    return {
      schema: () => new SchemaBuilder("boolean"),
      converter: () => (text) => {
        const value = Number.parseInt(text, 2);
        if (Number.isNaN(value)) throw new DataError(`Cannot parse bit value '${text}' of column ${shape.name}`);
        return value !== 0;
      },
    };
  return {
    schema: () =>
      new SchemaBuilder("bytes").name("io.debezium.data.Bits").version(1).parameter("length", String(shape.length)),
    converter: () => (text) => {
      const length = text.length;
      let highest = -1;
      for (let i = 0; i < length; i++) {
        const c = text.charCodeAt(i);
        if (c === 49) {
          highest = length - 1 - i;
          break;
        }
        if (c !== 48) throw new DataError(`Cannot parse bit value '${text}' of column ${shape.name}`);
      }
      const bytes = new Uint8Array(highest < 0 ? 0 : (highest >> 3) + 1);
      for (let i = 0; i < length; i++) {
        const c = text.charCodeAt(i);
        if (c === 49) {
          const bit = length - 1 - i;
          bytes[bit >> 3] = (bytes[bit >> 3] as number) | (1 << (bit & 7));
        } else if (c !== 48) throw new DataError(`Cannot parse bit value '${text}' of column ${shape.name}`);
      }
      return bytes;
    },
  };
}
