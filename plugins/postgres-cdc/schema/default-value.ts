import { Struct } from "../../../src/index.ts";
import type { PgType } from "./pg-type-registry.ts";

/**
 * A column's schema default from its DEFAULT expression, as Debezium's PostgresDefaultValueConverter computes it:
 * a literal (`0`, `'abc'::character varying`, `'2024-01-01'::date`) is read as a value of the column's type; a
 * function call or CURRENT_* stands for a placeholder of the type (0, `1970-01-01`, the nil UUID, ...), so
 * `nextval(...)` gives 0 and `now()` the epoch; `NULL::type` and anything unparseable give no default. Types
 * without a default mapper (bytea, money, arrays, domains, ...) have none either.
 */

const LITERAL = /'(.*?)'/;
// Debezium's pattern `^[(]?[A-Za-z0-9_.]+\((?:.+(?:, ?.+)*)?\)` matches the same texts as this one, without its
// nested quantifiers' backtracking.
const FUNCTION_CALL = /^\(?[A-Za-z0-9_.]+\(.*\)/;
const CURRENT_DATE_TIMES: ReadonlySet<string> = new Set([
  "current_timestamp",
  "current_time",
  "current_date",
  "localtime",
  "localtimestamp",
]);
const TRIMMED_TYPES: ReadonlySet<string> = new Set([
  "bit",
  "varbit",
  "bool",
  "numeric",
  "float4",
  "float8",
  "int2",
  "int4",
  "serial",
  "int8",
  "bigserial",
  "smallserial",
  "uuid",
  "date",
  "time",
  "timestamp",
  "timestamptz",
  "interval",
]);
const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const FLOAT = /^[+-]?(?:NaN|Infinity|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)$/;
const TIME_OF_DAY = /^(\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?$/;
const DATE_ONLY = /^\d{4,}-\d{2}-\d{2}( BC)?$/;
const DATE_TIME =
  /^(\d{4,}-\d{2}-\d{2})[ T](\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)([+-]\d{2}(?::?\d{2})?(?::\d{2})?)?( BC)?$/;

/** Debezium's extractDefault: the text inside the first quotes, the raw text without quotes, null for NULL::. */
function extractLiteral(expression: string): string | null {
  if (!expression.includes("'")) return expression.startsWith("NULL::") ? null : expression;
  return LITERAL.exec(expression)?.[1] ?? null;
}

function extract(expression: string, placeholder: string): string | null {
  if (FUNCTION_CALL.test(expression) || CURRENT_DATE_TIMES.has(expression.toLowerCase())) return placeholder;
  return extractLiteral(expression);
}

/** pgjdbc's TimestampUtils accepts `HH:mm` and a date without time; PostgreSQL's own output has seconds. */
function normalizedTime(text: string): string | null {
  const m = TIME_OF_DAY.exec(text);
  if (!m) return null;
  return `${(m[1] as string).padStart(2, "0")}:${m[2]}:${m[3] ?? "00"}${m[4] ?? ""}`;
}

function normalizedTimestamp(text: string, withZone: boolean): string | null {
  const date = DATE_ONLY.exec(text);
  if (date) {
    const bc = date[1] ?? "";
    const day = bc ? text.slice(0, -3) : text;
    return `${day} 00:00:00${withZone ? "+00" : ""}${bc}`;
  }
  const m = DATE_TIME.exec(text);
  if (!m) return null;
  const time = normalizedTime(m[2] as string);
  if (!time) return null;
  // pgjdbc reads a timestamp without zone at UTC
  const zone = m[3] ?? (withZone ? "+00" : "");
  return `${m[1]} ${time}${withZone ? zone : ""}${m[4] ?? ""}`;
}

/** The text of the default as PostgreSQL would print a value of the type, or null for no default. */
function defaultText(typeName: string, type: PgType | undefined, expression: string): string | null {
  const expr = TRIMMED_TYPES.has(typeName) ? expression.trim() : expression;
  if (type?.enumLabels) return enumDefault(type.name, expr);
  const nullable = (placeholder: string) => (expr.startsWith("NULL::") ? null : extract(expr, placeholder));
  switch (typeName) {
    case "bit":
      return extract(expr, "00");
    case "varbit":
      return extract(expr, "0");
    case "bool": {
      const v = nullable("false");
      return v === null ? null : v.toLowerCase() === "true" ? "t" : "f";
    }
    case "bpchar":
    case "varchar":
    case "text":
      return extract(expr, "");
    case "json":
    case "jsonb":
      return extract(expr, "{}");
    case "xml":
      return extract(expr, "");
    case "numeric": {
      const v = nullable("0.0");
      return v !== null && DECIMAL.test(v) ? v : null;
    }
    case "float4":
    case "float8": {
      const v = nullable("0.0");
      return v !== null && FLOAT.test(v.trim()) ? v.trim() : null;
    }
    case "int2":
    case "int4":
    case "int8":
    case "serial":
    case "bigserial":
    case "smallserial": {
      const v = nullable("0");
      return v !== null && INTEGER.test(v) ? v : null;
    }
    case "uuid": {
      const v = extract(expr, "00000000-0000-0000-0000-000000000000");
      return v === null ? null : v.toLowerCase();
    }
    case "date": {
      const v = extract(expr, "1970-01-01");
      return v !== null && DATE_ONLY.test(v) ? v : null;
    }
    case "time": {
      const v = extract(expr, "00:00");
      return v === null ? null : normalizedTime(v);
    }
    case "timestamp":
    case "timestamptz": {
      const v = extract(expr, "1970-01-01");
      return v === null ? null : normalizedTimestamp(v, typeName === "timestamptz");
    }
    case "interval":
      return extract(expr, "epoch");
    default:
      return null;
  }
}

/** Debezium's extractEnumDefault: `'happy'::mood` (or `::schema."Mood"`), the cast naming the enum. */
function enumDefault(enumName: string, expression: string): string | null {
  const cast = expression.lastIndexOf("::");
  if (cast < 0) return null;
  const suffix = expression.slice(cast + 2);
  const lastPart = suffix.slice(suffix.lastIndexOf(".") + 1);
  const castName = lastPart.startsWith('"') && lastPart.endsWith('"') ? lastPart.slice(1, -1) : lastPart;
  if (castName !== enumName) return null;
  const value = expression.slice(0, cast);
  return value.length >= 2 && value.startsWith("'") && value.endsWith("'") ? value.slice(1, -1) : null;
}

/**
 * The Connect default of a column, or undefined for none. `typeName` is the column's own type name (a domain's
 * or an array's name has no default mapper), `type` its type for enums, `fromText` the column's converter.
 */
export function columnDefault(
  typeName: string,
  type: PgType | undefined,
  expression: string | null,
  fromText: (text: string) => unknown,
): unknown {
  if (expression === null) return undefined;
  const text = defaultText(typeName, type, expression);
  if (text === null) return undefined;
  try {
    const value = fromText(text);
    // Kafka cannot hold a struct default (KAFKA-12694): Debezium drops it
    return value === null || value instanceof Struct ? undefined : value;
  } catch {
    // Debezium logs "Cannot parse column default value" and builds the field without a default
    return undefined;
  }
}
