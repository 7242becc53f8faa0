/**
 * Java's `Double.toString` and `Float.toString` (JDK 19+), which Kafka's converters put on the wire for FLOAT64 and
 * FLOAT32 values (`12.0`, `1.0E7`, `79.92`). Part of the plugin contract's own code so that the Float64 and Float32
 * boxes (java-numbers.ts) print as Java does; converters and transforms use the same functions.
 */

/** Java's `Double.toString` (JDK 19+, shortest round-trip digits): `12.0`, `0.001`, `1.0E7`, `1.0E-4`, `NaN`. */
export function formatDouble(value: number): string {
  const magnitude = Math.abs(value);
  // The common case: JS prints this range in plain notation with the same shortest digits as Java.
  if (magnitude >= 1e-3 && magnitude < 1e7) return Number.isInteger(value) ? `${value}.0` : String(value);
  if (Number.isNaN(value)) return "NaN";
  if (value === Number.POSITIVE_INFINITY) return "Infinity";
  if (value === Number.NEGATIVE_INFINITY) return "-Infinity";
  if (value === 0) return Object.is(value, -0) ? "-0.0" : "0.0";
  // JS picks the same shortest digits as Java, except that Java prefers two digits over one when the two-digit
  // decimal is closer, which only a subnormal double can need (Double.MIN_VALUE is 4.9E-324, not 5.0E-324).
  if (magnitude < 2.3e-308)
    return layout(
      value,
      shortest(magnitude, (x) => x, 17),
    );
  return layout(value, magnitude.toExponential());
}

const floatView = new Float32Array(1);
const floatBits = new Uint32Array(floatView.buffer);
const MIN_NORMAL_FLOAT = 1.1754943508222875e-38;

/** Java's `Float.toString` (JDK 19+): the shortest digits that read back as the same float32, laid out the same way. */
export function formatFloat(value: number): string {
  const single = Math.fround(value);
  if (!Number.isFinite(single) || single === 0) return formatDouble(single);
  const magnitude = Math.abs(single);
  return layout(single, shortestFloatFast(magnitude) ?? slowShortestFloat(magnitude));
}

/** Powers of two (0.5, 2, 1024, ...) are common and few, so their exact result is worth keeping. */
const powerOfTwoDigits = new Map<number, string>();

function slowShortestFloat(magnitude: number): string {
  const cached = powerOfTwoDigits.get(magnitude);
  if (cached !== undefined) return cached;
  const digits = shortest(magnitude, Math.fround, 9);
  floatView[0] = magnitude;
  if (((floatBits[0] as number) & 0x7fffff) === 0) powerOfTwoDigits.set(magnitude, digits);
  return digits;
}

/**
 * The common case of `shortest` for floats, without exact arithmetic: the float's own shortest double digits,
 * rounded to the fewest digits that still read back as the float. Undefined where that may not be Java's choice:
 * a possible tie between two decimals, a power of two (whose rounding interval is lopsided) and subnormals (where a
 * two-digit decimal may be closer than one digit).
 */
function shortestFloatFast(magnitude: number): string | undefined {
  floatView[0] = magnitude;
  if (magnitude < MIN_NORMAL_FLOAT || ((floatBits[0] as number) & 0x7fffff) === 0) return undefined;
  const [mantissa = "0", exponentText = "0"] = magnitude.toExponential().split("e");
  const digits = mantissa.replace(".", "");
  const exponent = Number(exponentText);
  // The nearest decimal of `precision` digits, as [digits, exponent of the first digit].
  const nearest = (precision: number): [string, number] => {
    if (digits.length <= precision) return [digits, exponent];
    const head = digits.slice(0, precision);
    if (digits.charCodeAt(precision) < 53) return [head, exponent];
    const up = String(Number(head) + 1);
    return up.length > precision ? [up.slice(0, precision), exponent + 1] : [up, exponent];
  };
  const readsBack = (precision: number) => {
    const [d, e] = nearest(precision);
    return Math.fround(Number(`${d}e${e - d.length + 1}`)) === magnitude;
  };
  // Reading back only gets truer with more digits: search for the fewest.
  let low = 1;
  let high = 9;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (readsBack(middle)) high = middle;
    else low = middle + 1;
  }
  if (digits.length === high + 1 && digits.endsWith("5")) return undefined;
  const [d, e] = nearest(high);
  const trimmed = d.replace(/0+$/, "") || "0";
  return trimmed.length > 1 ? `${trimmed[0]}.${trimmed.slice(1)}e${e}` : `${trimmed}e${e}`;
}

interface Candidate {
  readonly digits: bigint;
  readonly exponent: number;
}

/**
 * The decimal Java's Double/Float.toString selects (JDK 19+): among the decimals of minimal length that round back
 * to `magnitude` (of length 1 or 2 when the minimum is 1), the closest to it, ties going to the even digit.
 * Returned in `toExponential` form.
 */
function shortest(magnitude: number, round: (x: number) => number, maxDigits: number): string {
  const roundTrips = (c: Candidate) => round(Number(`${c.digits}e${c.exponent}`)) === magnitude;
  const candidatesOf = (precision: number): Candidate[] => {
    // toExponential rounds to the nearest decimal of this length; its neighbours may round back too.
    const [mantissa = "0", exp = "0"] = magnitude.toExponential(precision - 1).split("e");
    const digits = BigInt(mantissa.replace(".", ""));
    const exponent = Number(exp) - (precision - 1);
    return [digits - 1n, digits, digits + 1n].filter((d) => d > 0n).map((d) => ({ digits: d, exponent }));
  };
  let chosen: Candidate[] = [];
  for (let precision = 1; precision <= maxDigits && chosen.length === 0; precision++) {
    chosen = candidatesOf(precision).filter(roundTrips);
    if (chosen.length > 0 && precision === 1) chosen = chosen.concat(candidatesOf(2).filter(roundTrips));
  }
  if (chosen.length === 0) return magnitude.toExponential();
  const exact = exactValue(magnitude);
  let best = chosen[0] as Candidate;
  for (const candidate of chosen.slice(1)) {
    const order = compareDistance(candidate, best, exact);
    if (order < 0 || (order === 0 && candidate.digits % 2n === 0n && best.digits % 2n !== 0n)) best = candidate;
  }
  const text = best.digits.toString();
  const exponent = best.exponent + text.length - 1;
  const trimmed = text.replace(/0+$/, "");
  return trimmed.length > 1 ? `${trimmed[0]}.${trimmed.slice(1)}e${exponent}` : `${trimmed}e${exponent}`;
}

/** A finite positive double as `mantissa * 2^exponent`, exactly. */
function exactValue(value: number): { mantissa: bigint; exponent: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  return biased === 0
    ? { mantissa: fraction, exponent: -1074 }
    : { mantissa: fraction | (1n << 52n), exponent: biased - 1075 };
}

/** Compares |a - v| with |b - v| exactly, scaling everything to integers. */
function compareDistance(a: Candidate, b: Candidate, v: { mantissa: bigint; exponent: number }): number {
  const minExponent = Math.min(a.exponent, b.exponent, 0);
  const twos = Math.max(0, -v.exponent);
  const scaled = (c: Candidate) => c.digits * 10n ** BigInt(c.exponent - minExponent) * 2n ** BigInt(twos);
  const target = v.mantissa * 2n ** BigInt(v.exponent + twos) * 10n ** BigInt(-minExponent);
  const da = scaled(a) - target;
  const db = scaled(b) - target;
  const abs = (x: bigint) => (x < 0n ? -x : x);
  return abs(da) < abs(db) ? -1 : abs(da) > abs(db) ? 1 : 0;
}

/** Lays out `d.ddde±x` digits the way Java does: plain for 10^-3 <= |v| < 10^7, else computerized scientific. */
function layout(value: number, exponential: string): string {
  const [mantissa = "0", exponentText = "0"] = exponential.split("e");
  const digits = mantissa.replace(".", "");
  const exponent = Number(exponentText);
  const magnitude = Math.abs(value);
  let text: string;
  if (magnitude >= 1e-3 && magnitude < 1e7) {
    if (exponent >= 0) {
      const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, "0");
      text = `${whole}.${digits.slice(exponent + 1) || "0"}`;
    } else {
      text = `0.${"0".repeat(-exponent - 1)}${digits}`;
    }
  } else {
    text = `${digits[0]}.${digits.slice(1) || "0"}E${exponent}`;
  }
  return value < 0 ? `-${text}` : text;
}
