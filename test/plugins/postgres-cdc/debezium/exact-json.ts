/**
 * JSON with exact 64-bit integers. JsonConverter writes int64 values (int8 columns, LSNs, `ts_ns`) as plain JSON
 * numbers, which JSON.parse rounds past 2^53: 9223372036854775807 would become 9223372036854776000. Integers beyond
 * the safe range are read as bigint (from the number's source text) and written back digit for digit.
 */

type Reviver = (key: string, value: unknown, context?: { source?: string }) => unknown;

const exactIntegers: Reviver = (_key, value, context) =>
  typeof value === "number" && !Number.isSafeInteger(value) && /^-?\d+$/.test(context?.source ?? "")
    ? BigInt(context?.source as string)
    : value;

export function parseExactJson(text: string): unknown {
  return JSON.parse(text, exactIntegers as (key: string, value: unknown) => unknown);
}

const MARK = "\u0000bigint:";

/** JSON.stringify that writes a bigint as a bare JSON number. */
export function stringifyExactJson(value: unknown, space?: number): string {
  const text = JSON.stringify(value, (_key, v) => (typeof v === "bigint" ? `${MARK}${v}` : v), space);
  return text.replace(/"\\u0000bigint:(-?\d+)"/g, "$1");
}
