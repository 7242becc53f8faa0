import { formatDouble, formatFloat } from "./java-number-format.ts";

/**
 * Java's number classes in schemaless values.
 *
 * A schemaless value has no schema to say what its numbers are, so in Kafka the Java class does: JsonConverter
 * reads `12` as a Long and `12.0` as a Double and writes each back as it came; Cast can make a Byte, Short,
 * Integer, Long, Float or Double. sluice holds schemaless numbers as JS values, and a JS number alone cannot tell
 * every one of those apart, so:
 *
 * - a `number` that is an integer is an integral class (Long when read by a converter), and a `bigint` is a Long
 *   beyond ±(2^53-1);
 * - a `number` with a fraction (or NaN, or an infinity) is a Double;
 * - a `Float64` is a Double whose value is integral (`12.0`, `-0.0`, `1.0E10`): the one kind of Double a plain
 *   number would pass off as a Long;
 * - a `Float32` is any Float (a java.lang.Float), whose shortest text (`79.92`) is not its double's (`79.91999...`).
 *
 * A plugin author meets the boxes in schemaless keys, values and headers, rarely: JsonConverter gives a Float64 for
 * an integral JSON number written with a fraction or exponent (`{"x":12.0}`), Cast a Float32 for a schemaless
 * float32 target, MaskField a masked Double or Float. With a schema, numbers are always plain: the schema says
 * float32 or float64. Read any numeric value with `numberOf`; make a Double with `javaDouble` and a Float with
 * `javaFloat`. Both boxes are immutable, compare by `.value`, convert to their number by `valueOf()` (`+box`,
 * `Number(box)`) and print as Java does (`String(new Float64(12))` is `12.0`); `JSON.stringify` writes their number.
 */

/** A java.lang.Double whose value is integral, as a schemaless value: `new Float64(12)` is Java's `12.0`. */
export class Float64 {
  /** The double; `new Float64(12.5)` is allowed but `javaDouble(12.5)`, a plain number, is the usual form. */
  readonly value: number;

  constructor(value: number) {
    this.value = value;
    Object.freeze(this);
  }

  valueOf(): number {
    return this.value;
  }

  /** Java's `Double.toString`: `12.0`, `-0.0`, `1.0E10`. */
  toString(): string {
    return formatDouble(this.value);
  }

  toJSON(): number {
    return this.value;
  }
}

/** A java.lang.Float, as a schemaless value; the value is rounded to float32 on construction. */
export class Float32 {
  /** The float32 value as a double (`new Float32(79.92).value` is 79.91999816894531). */
  readonly value: number;

  constructor(value: number) {
    this.value = Math.fround(value);
    Object.freeze(this);
  }

  valueOf(): number {
    return this.value;
  }

  /** Java's `Float.toString`: `79.92`, `12.0`, `1.4815035E7`. */
  toString(): string {
    return formatFloat(this.value);
  }

  /** The number whose shortest text is the float's (`79.92`), which is what JSON readers should see. */
  toJSON(): number {
    return Number.isFinite(this.value) ? Number(formatFloat(this.value)) : this.value;
  }
}

/** Whether a value is one of the boxes. */
export function isJavaFloat(value: unknown): value is Float64 | Float32 {
  return value instanceof Float64 || value instanceof Float32;
}

/** The numeric value of a plain number, a bigint or a box; undefined for anything else. */
export function numberOf(value: unknown): number | bigint | undefined {
  if (typeof value === "number" || typeof value === "bigint") return value;
  if (value instanceof Float64 || value instanceof Float32) return value.value;
  return undefined;
}

/**
 * A java.lang.Double as a schemaless value: a plain number when that says Double already (it has a fraction, or is
 * NaN or infinite), else a Float64. Use it for every Double a schemaless value gets, so 12.0 stays 12.0.
 */
export function javaDouble(value: number): number | Float64 {
  return Number.isInteger(value) ? new Float64(value) : value;
}

/** A java.lang.Float as a schemaless value: always a Float32, rounded to float32. */
export function javaFloat(value: number): Float32 {
  return new Float32(value);
}
