import { DataError, isDecimal, type Schema, Struct } from "../../src/index.ts";
import { decimalText } from "./pg-column-types.ts";

const MICROS_PER_DAY = 86_400_000_000n;

/**
 * A field's value as PostgreSQL input text, bound as a text parameter and cast to the column's type in the SQL:
 * one encoding for every client, and PostgreSQL's own parser decides what a column accepts (its refusal is the
 * error a user sees). `timeZone` is use.time.zone, in which Connect Timestamps are written.
 */
export function valueText(schema: Schema, value: unknown, timeZone: string): string | null {
  if (value === null || value === undefined) return null;
  switch (schema.name) {
    case "org.apache.kafka.connect.data.Decimal":
      if (!isDecimal(value)) break;
      return decimalText(value.unscaled, value.scale);
    case "org.apache.kafka.connect.data.Date":
      return dateText(BigInt(Math.floor(asDate(value).getTime() / 86_400_000)));
    case "org.apache.kafka.connect.data.Time":
      return millisTimeText(asDate(value).getTime());
    case "org.apache.kafka.connect.data.Timestamp":
      return zonedLocalText(asDate(value).getTime(), timeZone);
    case "io.debezium.time.Date":
      return dateText(BigInt(Number(value)));
    case "io.debezium.time.Time":
      return millisTimeText(Number(value));
    case "io.debezium.time.MicroTime":
      return timeText(integer(value), 6);
    case "io.debezium.time.NanoTime":
      return nanoTimeText(integer(value));
    case "io.debezium.time.Timestamp":
      return millisLocalText(Number(value));
    case "io.debezium.time.MicroTimestamp":
      return localDateTimeText(integer(value), 6);
    case "io.debezium.time.NanoTimestamp": {
      const nanos = integer(value);
      const micros = floorDiv(nanos, 1000n);
      return `${localDateTimeText(micros, 6)}${String(nanos - micros * 1000n).padStart(3, "0")}`;
    }
    case "io.debezium.time.MicroDuration":
      return `${decimalText(integer(value), 6)} seconds`;
    case "io.debezium.data.VariableScaleDecimal":
      return variableScaleText(value);
  }
  switch (schema.type) {
    case "boolean":
      return value ? "true" : "false";
    case "int8":
    case "int16":
    case "int32":
    case "int64":
      return typeof value === "bigint" ? value.toString() : String(Number(value));
    case "float32":
    case "float64":
      return floatText(Number(value));
    case "string":
      return String(value);
    case "bytes":
      return `\\x${Buffer.from(value as Uint8Array).toString("hex")}`;
    case "map":
      return hstoreText(value, schema, timeZone);
    case "array":
      return arrayText(value as readonly unknown[], schema.valueSchema as Schema, timeZone);
  }
  // A struct has no column type; the same words as columnTypeOf, whichever meets it first.
  throw new DataError(
    `Failed to resolve column type for schema: ${schema.type.toUpperCase()} (${schema.name ?? "null"})`,
  );
}

function asDate(value: unknown): Date {
  if (value instanceof Date) return value;
  if (typeof value === "number") return new Date(value);
  throw new DataError(`Expected a Date, got ${typeof value}`);
}

function integer(value: unknown): bigint {
  return typeof value === "bigint" ? value : BigInt(Math.trunc(Number(value)));
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

function floatText(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Number.POSITIVE_INFINITY) return "Infinity";
  if (value === Number.NEGATIVE_INFINITY) return "-Infinity";
  return String(value);
}

/** Days since the epoch as an ISO date; years before 1 are written with PostgreSQL's BC suffix. */
function dateText(days: bigint): string {
  const iso = new Date(Number(days) * 86_400_000).toISOString();
  const dash = iso.indexOf("-", 1);
  const yearText = iso.slice(0, dash);
  const year = Number(yearText);
  const rest = iso.slice(dash, dash + 6);
  if (year <= 0) return `${String(1 - year).padStart(4, "0")}${rest} BC`;
  return `${String(year).padStart(4, "0")}${rest}`;
}

/** Time of day from microseconds since midnight (wrapped into one day), with `digits` fractional digits. */
function timeText(micros: bigint, digits: number): string {
  let of = micros % MICROS_PER_DAY;
  if (of < 0n) of += MICROS_PER_DAY;
  const totalSeconds = of / 1_000_000n;
  const fraction = String(of % 1_000_000n)
    .padStart(6, "0")
    .slice(0, digits);
  const h = String(totalSeconds / 3600n).padStart(2, "0");
  const m = String((totalSeconds / 60n) % 60n).padStart(2, "0");
  const s = String(totalSeconds % 60n).padStart(2, "0");
  return `${h}:${m}:${s}.${fraction}`;
}

function nanoTimeText(nanos: bigint): string {
  const micros = floorDiv(nanos, 1000n);
  return `${timeText(micros, 6)}${String(nanos - micros * 1000n).padStart(3, "0")}`;
}

/** A local date-time (Debezium's Timestamp types carry the source's wall clock as if it were UTC). */
function localDateTimeText(micros: bigint, digits: number): string {
  const days = floorDiv(micros, MICROS_PER_DAY);
  const date = dateText(days);
  const time = timeText(micros - days * MICROS_PER_DAY, digits);
  return date.endsWith(" BC") ? `${date.slice(0, -3)} ${time} BC` : `${date} ${time}`;
}

/**
 * Milliseconds since the epoch as a local date-time. The hot path of most records: Date's own ISO text, sliced,
 * costs a fraction of the bigint arithmetic, which only years outside 0001-9999 still take.
 */
function millisLocalText(millis: number): string {
  const iso = new Date(millis).toISOString();
  if (iso.length === 24 && iso[0] !== "0") return `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
  return localDateTimeText(BigInt(millis) * 1000n, 3);
}

/** Milliseconds since midnight (wrapped into one day) as a time of day. */
function millisTimeText(millis: number): string {
  const ofDay = ((millis % 86_400_000) + 86_400_000) % 86_400_000;
  return new Date(ofDay).toISOString().slice(11, 23);
}

/** An instant as the wall clock of a time zone, as Debezium binds a Connect Timestamp in use.time.zone. */
function zonedLocalText(millis: number, timeZone: string): string {
  return millisLocalText(timeZone === "UTC" ? millis : millis + zoneOffsetMillis(millis, timeZone));
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function zoneOffsetMillis(millis: number, timeZone: string): number {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
      era: "short",
    });
    formatters.set(timeZone, format);
  }
  const parts: Record<string, string> = {};
  for (const part of format.formatToParts(new Date(millis))) parts[part.type] = part.value;
  const year = parts.era === "BC" ? 1 - Number(parts.year) : Number(parts.year);
  const wall = Date.UTC(
    year,
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  return wall - (millis - (((millis % 1000) + 1000) % 1000));
}

function variableScaleText(value: unknown): string {
  if (!(value instanceof Struct)) throw new DataError("A VariableScaleDecimal value must be a struct");
  const scale = Number(value.get("scale"));
  const bytes = value.get("value") as Uint8Array;
  let unscaled = 0n;
  for (const byte of bytes) unscaled = (unscaled << 8n) | BigInt(byte);
  if (bytes.length > 0 && ((bytes[0] as number) & 0x80) !== 0) unscaled -= 1n << BigInt(bytes.length * 8);
  return decimalText(unscaled, scale);
}

function quoted(text: string): string {
  return `"${text.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`;
}

/** An hstore literal: `"k"=>"v"`, a null value as NULL. */
function hstoreText(value: unknown, schema: Schema, timeZone: string): string {
  const entries = value instanceof Map ? [...value.entries()] : Object.entries(value as Record<string, unknown>);
  const valueSchema = schema.valueSchema as Schema;
  return entries
    .map(([k, v]) => {
      const text = v === null || v === undefined ? null : valueText(valueSchema, v, timeZone);
      return `${quoted(String(k))}=>${text === null ? "NULL" : quoted(text)}`;
    })
    .join(",");
}

/** A PostgreSQL array literal, every element quoted; nested arrays nest. */
function arrayText(values: readonly unknown[], elementSchema: Schema, timeZone: string): string {
  const items = values.map((v) => {
    if (v === null || v === undefined) return "NULL";
    if (elementSchema.type === "array")
      return arrayText(v as readonly unknown[], elementSchema.valueSchema as Schema, timeZone);
    return quoted(valueText(elementSchema, v, timeZone) as string);
  });
  return `{${items.join(",")}}`;
}
