import { DataError } from "./errors.ts";
import { formatDouble } from "./java-number-format.ts";
import type { Schema } from "./schema.ts";
import { SchemaBuilder } from "./schema.ts";

const DECIMAL_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
const INTEGER_TEXT = /^[+-]?\d+$/;
const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;

/**
 * Kafka Connect's Decimal logical type (`org.apache.kafka.connect.data.Decimal`) and its values.
 *
 * The type: a `bytes` schema named {@link Decimal.LOGICAL_NAME}, version 1, with a `scale` parameter; the scale is
 * fixed by the schema, not carried by each value. On the wire (Kafka's "encoded format") a value is the unscaled
 * integer as minimal big-endian two's complement bytes, as Java's `BigInteger.toByteArray`.
 *
 * A value (Java's BigDecimal): `unscaled * 10^-scale`, with a bigint `unscaled` so that no digit is lost to floating
 * point. Like a BigDecimal it keeps its own scale: `1.5` and `1.50` are different values (scale 1 and 2), which is
 * why {@link Decimal.fromLogical} refuses a value whose scale is not the schema's. Instances are immutable and may be
 * shared between threads and records.
 */
export class Decimal {
  /** The schema name that marks a Decimal: `org.apache.kafka.connect.data.Decimal`. */
  static readonly LOGICAL_NAME = "org.apache.kafka.connect.data.Decimal";
  /** The schema parameter that holds the scale. */
  static readonly SCALE_FIELD = "scale";

  /** The digits, as an integer. */
  readonly unscaled: bigint;
  /** How many of the digits lie after the decimal point; negative for trailing zeros left out (`1E+3`). */
  readonly scale: number;

  constructor(unscaled: bigint, scale: number) {
    this.unscaled = unscaled;
    this.scale = scale;
  }

  /**
   * A builder for a Decimal schema with this scale (Kafka's `Decimal.builder(scale)`): bytes, named, version 1,
   * the scale as a parameter. Returns a builder so that optionality, a default or a doc can be added.
   */
  static builder(scale: number): SchemaBuilder {
    return new SchemaBuilder("bytes")
      .name(Decimal.LOGICAL_NAME)
      .parameter(Decimal.SCALE_FIELD, String(scale))
      .version(1);
  }

  /** A required Decimal schema with this scale (Kafka's `Decimal.schema(scale)`). */
  static schema(scale: number): Schema {
    return Decimal.builder(scale).build();
  }

  /**
   * The scale a Decimal schema declares. Throws a DataError when the parameter is missing or not an int, as
   * Kafka's converters do when they meet such a schema.
   */
  static scaleOf(schema: Schema): number {
    const text = schema.parameters?.[Decimal.SCALE_FIELD];
    if (text === undefined) throw new DataError("Invalid Decimal schema: scale parameter not found.");
    // Integer.parseInt: an optional sign and digits, nothing around them, within an int.
    const scale = INTEGER_TEXT.test(text) ? Number(text) : Number.NaN;
    if (!(scale >= INT_MIN && scale <= INT_MAX))
      throw new DataError(`Invalid scale parameter found in Decimal schema: ${text}`);
    return scale;
  }

  /**
   * Kafka's `Decimal.fromLogical`: a value to its encoded bytes (the unscaled integer, minimal two's complement).
   * Throws a DataError when the value's scale is not the schema's; the value is never rescaled, as Kafka never
   * does (a value of another scale would read back as another number).
   */
  static fromLogical(schema: Schema, value: { readonly unscaled: bigint; readonly scale: number }): Uint8Array {
    const scale = Decimal.scaleOf(schema);
    if (value.scale !== scale) {
      throw new DataError(
        `Decimal value has mismatching scale for given Decimal schema. Schema has scale ${scale}, value has scale ${value.scale}.`,
      );
    }
    const bytes: number[] = [];
    let rest = value.unscaled;
    for (;;) {
      const byte = Number(rest & 0xffn);
      bytes.push(byte);
      rest >>= 8n;
      const signBit = (byte & 0x80) !== 0;
      if ((rest === 0n && !signBit) || (rest === -1n && signBit)) break;
    }
    return Uint8Array.from(bytes.reverse());
  }

  /** Kafka's `Decimal.toLogical`: encoded bytes (two's complement) to a value with the schema's scale. */
  static toLogical(schema: Schema, bytes: Uint8Array): Decimal {
    const scale = Decimal.scaleOf(schema);
    // Java's BigInteger refuses no bytes at all ("Zero length BigInteger").
    if (bytes.length === 0) throw new DataError("Invalid Decimal bytes: zero length");
    let unscaled = 0n;
    for (const byte of bytes) unscaled = (unscaled << 8n) | BigInt(byte);
    if (((bytes[0] as number) & 0x80) !== 0) unscaled -= 1n << BigInt(bytes.length * 8);
    return new Decimal(unscaled, scale);
  }

  /**
   * Parses decimal text as Java's `new BigDecimal(String)`: the scale is the text's, so `-1.50` has scale 2 and
   * `1E+3` scale -3. Throws a DataError for text that is not a decimal number.
   */
  static parse(text: string): Decimal {
    const match = DECIMAL_TEXT.exec(text);
    const [, sign = "", whole = "", fraction = "", exponent = "0"] = match ?? [];
    if (!match || whole.length + fraction.length === 0) throw new DataError(`Not a decimal number: ${text}`);
    return new Decimal(BigInt(`${sign}${whole}${fraction}`), fraction.length - Number(exponent));
  }

  /**
   * Java's `BigDecimal.valueOf(double)`: the decimal `Double.toString` prints, so `0.1` is 0.1 (scale 1), `12` is
   * 12.0 (scale 1) and `1e10` is 1.0E+10 (scale -9). Throws a DataError for NaN and the infinities.
   */
  static fromNumber(value: number): Decimal {
    if (!Number.isFinite(value)) throw new DataError(`Not a decimal number: ${value}`);
    return Decimal.parse(formatDouble(value));
  }

  /** The same number with another scale, or null when that would drop non-zero digits. */
  withScale(scale: number): Decimal | null {
    if (scale === this.scale) return this;
    if (scale > this.scale) return new Decimal(this.unscaled * 10n ** BigInt(scale - this.scale), scale);
    const divisor = 10n ** BigInt(this.scale - scale);
    return this.unscaled % divisor === 0n ? new Decimal(this.unscaled / divisor, scale) : null;
  }

  /** BigDecimal's `equals`: the same digits and the same scale (`1.5` and `1.50` differ). */
  equals(other: unknown): boolean {
    return other instanceof Decimal && other.unscaled === this.unscaled && other.scale === this.scale;
  }

  /** The nearest double (BigDecimal's `doubleValue`). */
  toNumber(): number {
    return Number(this.toString());
  }

  /**
   * Java's `BigDecimal.toString()`: plain notation when the scale is not negative and the exponent is at least -6,
   * scientific otherwise: `1.56`, `0.000001`, `1E-7`, `1.2E-7`, `1E+3`, `1.23E+5`.
   */
  toString(): string {
    const negative = this.unscaled < 0n;
    const digits = (negative ? -this.unscaled : this.unscaled).toString();
    const adjusted = digits.length - 1 - this.scale;
    let text: string;
    if (this.scale >= 0 && adjusted >= -6) {
      if (this.scale === 0) text = digits;
      else if (digits.length > this.scale)
        text = `${digits.slice(0, digits.length - this.scale)}.${digits.slice(digits.length - this.scale)}`;
      else text = `0.${"0".repeat(this.scale - digits.length)}${digits}`;
    } else {
      const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
      text = `${mantissa}E${adjusted > 0 ? "+" : ""}${adjusted}`;
    }
    return negative ? `-${text}` : text;
  }
}

/**
 * Whether a value is a Decimal: an instance, or a plain `{ unscaled: bigint, scale: number }` object (as another
 * copy of this module, or a structured clone across threads, makes).
 */
export function isDecimal(value: unknown): value is Decimal {
  if (value instanceof Decimal) return true;
  const candidate = value as { unscaled?: unknown; scale?: unknown } | null;
  return (
    typeof candidate === "object" &&
    candidate !== null &&
    typeof candidate.unscaled === "bigint" &&
    typeof candidate.scale === "number"
  );
}
