import { DataError, Decimal } from "../../../src/index.ts";

/**
 * Java BigDecimal operations Debezium applies to numeric and money values, on sluice's Decimal (an unscaled bigint
 * and a scale).
 */

/** `new BigDecimal(text)` for PostgreSQL's numeric output (plain digits, optional sign and fraction). */
export function parseDecimal(text: string, column: string): Decimal {
  try {
    return Decimal.parse(text);
  } catch (cause) {
    throw new DataError(`Cannot parse numeric value '${text}' of column ${column}`, { cause });
  }
}

/** BigDecimal.setScale(scale, HALF_UP): more digits are zeros, fewer are rounded half away from zero. */
export function setScaleHalfUp(value: Decimal, scale: number): Decimal {
  if (scale >= value.scale) return new Decimal(value.unscaled * 10n ** BigInt(scale - value.scale), scale);
  const divisor = 10n ** BigInt(value.scale - scale);
  const negative = value.unscaled < 0n;
  const magnitude = negative ? -value.unscaled : value.unscaled;
  let quotient = magnitude / divisor;
  if ((magnitude % divisor) * 2n >= divisor) quotient += 1n;
  return new Decimal(negative ? -quotient : quotient, scale);
}

/** BigDecimal.stripTrailingZeros, then a negative scale set back to 0 (as Debezium does for VariableScaleDecimal). */
export function stripTrailingZerosNonNegative(value: Decimal): Decimal {
  if (value.unscaled === 0n) return new Decimal(0n, 0);
  let unscaled = value.unscaled;
  let scale = value.scale;
  while (scale > 0 && unscaled % 10n === 0n) {
    unscaled /= 10n;
    scale--;
  }
  return new Decimal(unscaled, scale);
}

/** BigDecimal.toPlainString: never scientific; a negative scale writes the zeros out. */
export function toPlainString(value: Decimal): string {
  if (value.scale <= 0) return (value.unscaled * 10n ** BigInt(-value.scale)).toString();
  const negative = value.unscaled < 0n;
  const digits = (negative ? -value.unscaled : value.unscaled).toString().padStart(value.scale + 1, "0");
  const point = digits.length - value.scale;
  return `${negative ? "-" : ""}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** BigInteger.toByteArray: the minimal big-endian two's complement bytes (VariableScaleDecimal's `value`). */
export function twosComplementBytes(unscaled: bigint): Uint8Array {
  // Decimal's encoded form is exactly the unscaled integer's BigInteger bytes.
  return Decimal.fromLogical(UNSCALED, new Decimal(unscaled, 0));
}

const UNSCALED = Decimal.schema(0);

/**
 * Debezium's PostgresMoney.parse: money text in the server's lc_monetary (`$1,234.56`, `-$1,234.56`, `($1.00)`)
 * without its currency symbol and separators.
 */
export function parseMoney(text: string, column: string): Decimal {
  const negative = text.startsWith("(") || text.startsWith("-");
  let value = text.startsWith("-") ? `(${text.slice(1)})` : text;
  if (value.startsWith("(") && value.endsWith(")")) value = value.slice(1, -1);
  const first = value.charCodeAt(0);
  // one leading currency character, as Debezium drops exactly one
  if (value.length > 0 && !(first >= 48 && first <= 57) && first !== 46) value = value.slice(1);
  value = value.replaceAll(",", "");
  try {
    return Decimal.parse(negative ? `-${value}` : value);
  } catch (cause) {
    throw new DataError(`Failed to parse money value: ${text} of column ${column}`, { cause });
  }
}
