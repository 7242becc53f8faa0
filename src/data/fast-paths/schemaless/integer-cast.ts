import { LEAF_NUMBER, LEAF_STRING } from "./json-shape-scanner.ts";

/**
 * Cast to int8, int16, int32 or int64 of the two leaves it most often meets, read from their bytes: a clean string
 * of ASCII digits (Integer.parseInt's plain case: an optional sign and up to 15 digits, so the value is exact) and
 * a clean integer literal. Anything else (other text, fractions, values out of range, which make Cast throw) is
 * undefined: the general cast decides.
 */
export function castToInteger(
  b: Uint8Array,
  start: number,
  end: number,
  kind: number,
  bits: number,
): number | undefined {
  let p = start;
  let q = end;
  if (kind === LEAF_STRING) {
    p++;
    q--;
  } else if (kind !== LEAF_NUMBER) return undefined;
  const negative = b[p] === 0x2d;
  // JSON numbers have no plus sign; parseInt's text may.
  if (negative || (kind === LEAF_STRING && b[p] === 0x2b)) p++;
  const digits = q - p;
  if (digits === 0 || digits > 15) return undefined;
  let value = 0;
  for (let i = p; i < q; i++) {
    const d = (b[i] as number) - 0x30;
    if (d < 0 || d > 9) return undefined;
    value = value * 10 + d;
  }
  if (negative) value = -value;
  // A number keeps its value when it fits (Java's narrowing of an in-range long); a string out of range throws.
  const limit = 2 ** (bits - 1);
  return bits === 64 || (value >= -limit && value < limit) ? value : undefined;
}
