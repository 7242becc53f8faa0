import { DataError } from "../api/errors.ts";
import type { Schema } from "../api/schema.ts";
import { SchemaBuilder } from "../api/schema.ts";

/**
 * Kafka Connect's Decimal logical type: a `bytes` schema named `org.apache.kafka.connect.data.Decimal` with a `scale`
 * parameter, whose values are arbitrary-precision decimals (Java's BigDecimal). Here a value is `unscaled * 10^-scale`
 * with a bigint `unscaled`, so no digit is ever lost to floating point.
 */

export const DECIMAL_LOGICAL_NAME = "org.apache.kafka.connect.data.Decimal";
export const DECIMAL_SCALE_PARAMETER = "scale";

const DECIMAL_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

export class Decimal {
  readonly unscaled: bigint;
  readonly scale: number;

  constructor(unscaled: bigint, scale: number) {
    this.unscaled = unscaled;
    this.scale = scale;
  }

  /** Parses decimal text as Java's `new BigDecimal(String)`: `-1.50` has scale 2, `1E+3` scale -3. */
  static parse(text: string): Decimal {
    const match = DECIMAL_TEXT.exec(text);
    const [, sign = "", whole = "", fraction = "", exponent = "0"] = match ?? [];
    if (!match || whole.length + fraction.length === 0) throw new DataError(`Not a decimal number: ${text}`);
    return new Decimal(BigInt(`${sign}${whole}${fraction}`), fraction.length - Number(exponent));
  }

  /** The shortest decimal that reads back as this number (as Java's `BigDecimal.valueOf(double)`). */
  static fromNumber(value: number): Decimal {
    if (!Number.isFinite(value)) throw new DataError(`Not a decimal number: ${value}`);
    return Decimal.parse(String(value));
  }

  /** The same value with another scale, or null when that would drop non-zero digits. */
  withScale(scale: number): Decimal | null {
    if (scale === this.scale) return this;
    if (scale > this.scale) return new Decimal(this.unscaled * 10n ** BigInt(scale - this.scale), scale);
    const divisor = 10n ** BigInt(this.scale - scale);
    return this.unscaled % divisor === 0n ? new Decimal(this.unscaled / divisor, scale) : null;
  }

  equals(other: unknown): boolean {
    return other instanceof Decimal && other.unscaled === this.unscaled && other.scale === this.scale;
  }

  toNumber(): number {
    return Number(this.toString());
  }

  /** Java's `BigDecimal.toString()`: plain notation unless the exponent is small, e.g. `1.56`, `1E+3`, `1.2E-7`. */
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

/** Decimal values may also come as plain `{ unscaled, scale }` objects (e.g. from another copy of this module). */
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

/** Kafka's `Decimal.builder(scale)`: bytes, named, version 1, with the scale parameter. */
export function decimalSchemaBuilder(scale: number): SchemaBuilder {
  return new SchemaBuilder("bytes")
    .name(DECIMAL_LOGICAL_NAME)
    .parameter(DECIMAL_SCALE_PARAMETER, String(scale))
    .version(1);
}

export function decimalSchema(scale: number): Schema {
  return decimalSchemaBuilder(scale).build();
}

/** The scale a Decimal schema declares. */
export function decimalScale(schema: Schema): number {
  const text = schema.parameters?.[DECIMAL_SCALE_PARAMETER];
  if (text === undefined) throw new DataError("Invalid Decimal schema: scale parameter not found.");
  if (!/^[+-]?\d+$/.test(text.trim())) throw new DataError(`Invalid scale parameter found in Decimal schema: ${text}`);
  return Number(text.trim());
}

/** Kafka's `Decimal.fromLogical`: the unscaled value as minimal big-endian two's complement bytes. */
export function decimalToBytes(
  schema: Schema,
  value: { readonly unscaled: bigint; readonly scale: number },
): Uint8Array {
  const scale = decimalScale(schema);
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

/** Kafka's `Decimal.toLogical`: reads two's complement bytes with the schema's scale. */
export function decimalFromBytes(schema: Schema, bytes: Uint8Array): Decimal {
  const scale = decimalScale(schema);
  if (bytes.length === 0) throw new DataError("Invalid Decimal bytes: zero length");
  let unscaled = 0n;
  for (const byte of bytes) unscaled = (unscaled << 8n) | BigInt(byte);
  if (((bytes[0] as number) & 0x80) !== 0) unscaled -= 1n << BigInt(bytes.length * 8);
  return new Decimal(unscaled, scale);
}
