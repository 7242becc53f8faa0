import { ConnectDate } from "./date.ts";
import { Decimal } from "./decimal.ts";
import { DataError } from "./errors.ts";
import { type Schema, type SchemaAndValue, Schemas, type SchemaType } from "./schema.ts";
import { setOwn } from "./schemaless-map.ts";
import { Time } from "./time.ts";
import { Timestamp } from "./timestamp.ts";
import { isBlank, ValueTokenizer } from "./values-tokenizer.ts";

/**
 * Kafka's `Values.parseString`, which SimpleHeaderConverter uses to read header values back: `null`, booleans,
 * integers (the smallest of int8..int64; beyond int64 a Decimal), fractions (float32, else float64, else Decimal),
 * ISO-8601 dates, times and timestamps (UTC), lists `[...]` and maps `{k:v}` of those with a common element schema,
 * and otherwise the text itself as a string.
 *
 * One deviation, on purpose: Kafka stops after the first value and drops whatever follows (`1,2` reads as 1,
 * `[1] x` as [1]); here text with anything after the first value stays a string. `ignoreTrailing` gives Kafka's
 * behaviour. Values: integers are numbers (bigint beyond 2^53), floats keep the double nearest to their text (Kafka
 * holds a Java float), maps with string keys are plain objects and other maps Maps.
 */

const NULL_SCHEMA_AND_VALUE: SchemaAndValue = Object.freeze({ schema: null, value: null });
const TRUE: SchemaAndValue = Object.freeze({ schema: Schemas.BOOLEAN, value: true });
const FALSE: SchemaAndValue = Object.freeze({ schema: Schemas.BOOLEAN, value: false });
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const DATE = /^(\d+)-(\d+)-(\d+)/;
const TIME = /^(\d+):(\d+):(\d+)\.(\d+)Z/;
const TIMESTAMP = /^(\d+)-(\d+)-(\d+)T(\d+):(\d+):(\d+)\.(\d+)Z/;
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;
const SAFE_MIN = -(2n ** 53n) + 1n;
const SAFE_MAX = 2n ** 53n - 1n;

export function parseString(text: string, options: { ignoreTrailing?: boolean } = {}): SchemaAndValue {
  if (text.length === 0) return { schema: Schemas.STRING, value: text };
  const tokens = new ValueTokenizer(text);
  const parsed = parse(tokens, false) ?? NULL_SCHEMA_AND_VALUE;
  if (!options.ignoreTrailing && parsed.schema?.type !== "string") {
    while (tokens.hasNext()) if (!isBlank(tokens.next())) return { schema: Schemas.STRING, value: text };
  }
  return parsed;
}

/** A UTC instant from calendar fields, rolling over out-of-range fields as Java's lenient calendar does. */
function utc(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, millis = 0): Date {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, millis);
  return date;
}

function parseTemporal(token: string): SchemaAndValue | null {
  const text = token.replaceAll("\\:", ":");
  const n = (s: string | undefined) => Number(s);
  if (text.length === 13) {
    const m = TIME.exec(text);
    if (m) return { schema: Time.SCHEMA, value: utc(1970, 1, 1, n(m[1]), n(m[2]), n(m[3]), n(m[4])) };
  } else if (text.length === 24) {
    const m = TIMESTAMP.exec(text);
    if (m)
      return { schema: Timestamp.SCHEMA, value: utc(n(m[1]), n(m[2]), n(m[3]), n(m[4]), n(m[5]), n(m[6]), n(m[7])) };
  } else if (text.length === 10) {
    const m = DATE.exec(text);
    if (m) return { schema: ConnectDate.SCHEMA, value: utc(n(m[1]), n(m[2]), n(m[3])) };
  }
  return null;
}

function parseNumber(token: string): SchemaAndValue | null {
  if (!NUMBER.test(token)) return null;
  const decimal = Decimal.parse(token);
  const integral = decimal.withScale(0);
  if (integral !== null && integral.unscaled >= LONG_MIN && integral.unscaled <= LONG_MAX) {
    const whole = integral.unscaled;
    if (whole >= -128n && whole <= 127n) return { schema: Schemas.INT8, value: Number(whole) };
    if (whole >= -32768n && whole <= 32767n) return { schema: Schemas.INT16, value: Number(whole) };
    if (whole >= -(2n ** 31n) && whole < 2n ** 31n) return { schema: Schemas.INT32, value: Number(whole) };
    return { schema: Schemas.INT64, value: whole >= SAFE_MIN && whole <= SAFE_MAX ? Number(whole) : whole };
  }
  const value = Number(token);
  if (decimal.scale !== 0 && Number.isFinite(Math.fround(value))) return { schema: Schemas.FLOAT32, value };
  if (decimal.scale !== 0 && Number.isFinite(value)) return { schema: Schemas.FLOAT64, value };
  return { schema: Decimal.schema(decimal.scale), value: decimal };
}

/** A literal token on its own: embedded anywhere, or at the top level only when nothing follows it. */
function canParseLiteral(tokens: ValueTokenizer, embedded: boolean, literal: string): boolean {
  const start = tokens.mark();
  if (tokens.canConsume(literal) && (embedded || !tokens.hasNext())) return true;
  tokens.rewindTo(start);
  return false;
}

function parse(tokens: ValueTokenizer, embedded: boolean): SchemaAndValue | null {
  if (!tokens.hasNext()) return null;
  if (embedded && tokens.canConsume('"')) return parseQuoted(tokens);
  if (canParseLiteral(tokens, embedded, "null")) return null;
  if (canParseLiteral(tokens, embedded, "true")) return TRUE;
  if (canParseLiteral(tokens, embedded, "false")) return FALSE;
  const start = tokens.mark();
  try {
    if (tokens.canConsume("[")) return parseArray(tokens);
    if (tokens.canConsume("{")) return parseMap(tokens);
  } catch (error) {
    if (!(error instanceof DataError)) throw error;
    tokens.rewindTo(start);
  }
  const token = tokens.next();
  if (isBlank(token)) return { schema: Schemas.STRING, value: token };
  return parseToken(tokens, embedded, token.trim());
}

function parseToken(tokens: ValueTokenizer, embedded: boolean, token: string): SchemaAndValue {
  const first = token.charAt(0);
  const digit = first >= "0" && first <= "9";
  if (digit) {
    // A time or timestamp spans five tokens, its colons being delimiters.
    const position = tokens.mark();
    const rest = tokens.nextTokens(4);
    const spanning = rest === null ? null : parseTemporal(token + rest);
    if (spanning) return spanning;
    tokens.rewindTo(position);
    const temporal = parseTemporal(token);
    if (temporal) return temporal;
  }
  if (digit || first === "+" || first === "-") {
    const number = parseNumber(token);
    if (number) return number;
  }
  if (embedded) throw new DataError("Failed to parse embedded value");
  return { schema: Schemas.STRING, value: tokens.original };
}

function parseQuoted(tokens: ValueTokenizer): SchemaAndValue {
  let content = "";
  while (tokens.hasNext()) {
    if (tokens.canConsume('"')) break;
    content += tokens.next();
  }
  return parseTemporal(content) ?? { schema: Schemas.STRING, value: content };
}

function parseArray(tokens: ValueTokenizer): SchemaAndValue {
  const values: unknown[] = [];
  const merger = new SchemaMerger();
  while (tokens.hasNext()) {
    if (tokens.canConsume("]")) {
      const common = merger.schema;
      if (!common) return { schema: Object.freeze({ type: "array", optional: false }), value: values };
      return {
        schema: Object.freeze({ type: "array", optional: false, valueSchema: common }),
        value: values.map((v) => align(common, v)),
      };
    }
    if (tokens.canConsume(",")) throw new DataError(`Unable to parse an empty array element: ${tokens.original}`);
    const element = parse(tokens, true);
    merger.merge(element);
    values.push(element?.value ?? null);
    const position = tokens.mark();
    if (tokens.canConsume("]")) tokens.rewindTo(position);
    else if (!tokens.canConsume(",")) throw new DataError("Array elements missing ',' delimiter");
  }
  throw new DataError(`Array is missing terminating ']': ${tokens.original}`);
}

function parseMap(tokens: ValueTokenizer): SchemaAndValue {
  const entries: [unknown, unknown][] = [];
  const keys = new SchemaMerger();
  const values = new SchemaMerger();
  while (tokens.hasNext()) {
    if (tokens.canConsume("}")) return mapResult(keys.schema, keys.schema ? values.schema : null, entries);
    if (tokens.canConsume(","))
      throw new DataError(`Unable to parse a map entry with no key or value: ${tokens.original}`);
    const key = parse(tokens, true);
    if (key === null || key.value === null)
      throw new DataError(`Map entry may not have a null key: ${tokens.original}`);
    if (!tokens.canConsume(":")) throw new DataError(`Map entry is missing ':' in ${tokens.original}`);
    const value = parse(tokens, true);
    // As a LinkedHashMap: a repeated key keeps its place and takes the new value.
    const existing = entries.find((entry) => sameKey(entry[0], key.value));
    if (existing) existing[1] = value?.value ?? null;
    else entries.push([key.value, value?.value ?? null]);
    tokens.canConsume(",");
    keys.merge(key);
    values.merge(value);
  }
  throw new DataError(`Map is missing terminating '}': ${tokens.original}`);
}

/** Java's `equals` for parsed values, which is how a LinkedHashMap finds a repeated key. */
function sameKey(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a instanceof Date || b instanceof Date)
    return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  if (a instanceof Decimal || b instanceof Decimal) return a instanceof Decimal && a.equals(b);
  if (Array.isArray(a) || Array.isArray(b))
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameKey(x, b[i]));
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  const entries = (m: object) => (m instanceof Map ? [...m.entries()] : Object.entries(m));
  const [x, y] = [entries(a), entries(b)];
  return x.length === y.length && x.every(([k, v]) => y.some(([k2, v2]) => sameKey(k, k2) && sameKey(v, v2)));
}

function mapResult(
  keySchema: Schema | null,
  valueSchema: Schema | null,
  entries: [unknown, unknown][],
): SchemaAndValue {
  const aligned = entries.map(([k, v]): [unknown, unknown] => [
    keySchema ? align(keySchema, k) : k,
    valueSchema ? align(valueSchema, v) : v,
  ]);
  const schema: Schema = Object.freeze({
    type: "map",
    optional: false,
    ...(keySchema ? { keySchema } : {}),
    ...(valueSchema ? { valueSchema } : {}),
  });
  if (keySchema?.type !== "string") return { schema, value: new Map(aligned) };
  const object: Record<string, unknown> = {};
  for (const [k, v] of aligned) setOwn(object, k as string, v);
  return { schema, value: object };
}

const INTEGER_TYPES: readonly SchemaType[] = ["int8", "int16", "int32", "int64"];
const NUMERIC_ORDER: readonly SchemaType[] = ["int8", "int16", "int32", "int64", "float32", "float64"];

/** Kafka's SchemaMerger: the common schema of the elements seen, widening numbers; null if there is none. */
class SchemaMerger {
  schema: Schema | null = null;
  private compatible = true;

  merge(latest: SchemaAndValue | null): void {
    if (!latest?.schema || !this.compatible) return;
    if (this.schema === null) this.schema = latest.schema;
    else {
      this.schema = mergeSchemas(this.schema, latest.schema);
      this.compatible = this.schema !== null;
    }
  }
}

function mergeSchemas(previous: Schema, latest: Schema): Schema | null {
  if (previous.type !== latest.type) {
    const a = NUMERIC_ORDER.indexOf(previous.type);
    const b = NUMERIC_ORDER.indexOf(latest.type);
    if (a < 0 || b < 0) return null;
    return a > b ? previous : latest;
  }
  // Same type: Kafka keeps the later schema (so a Date and a plain int32 merge to whichever came last).
  return previous.optional === latest.optional ? (previous.optional ? previous : latest) : null;
}

/** Kafka's `convertTo` of an element to the common schema, for the conversions merging can call for. */
function align(schema: Schema, value: unknown): unknown {
  if (value === null) {
    if (schema.optional) return null;
    throw new DataError("Unable to convert a null value to a schema that requires a value");
  }
  const numeric = typeof value === "number" || typeof value === "bigint";
  switch (schema.name) {
    case ConnectDate.LOGICAL_NAME:
      return value instanceof Date
        ? value
        : numeric
          ? ConnectDate.toLogical(schema, Number(value))
          : fail(value, schema);
    case Time.LOGICAL_NAME:
      return value instanceof Date ? value : numeric ? Time.toLogical(schema, Number(value)) : fail(value, schema);
    case Timestamp.LOGICAL_NAME:
      return value instanceof Date ? value : numeric ? new Date(Number(value)) : fail(value, schema);
  }
  if (INTEGER_TYPES.includes(schema.type)) return numeric ? value : fail(value, schema);
  if (schema.type === "float32" || schema.type === "float64") return numeric ? Number(value) : fail(value, schema);
  return value;
}

function fail(value: unknown, schema: Schema): never {
  throw new DataError(`Unable to convert ${String(value)} to ${schema.type}`);
}
